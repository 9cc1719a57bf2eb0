import {$, LANES, api, el, safeUrl} from './util.js';
import {state, writeState} from './state.js';
import {checkedValues, fillCheckboxes} from './filters.js';

// ---------------------------------------------------------------- Timeline page
export default function timelinePage(data) {
  var ms = data.milestones, names = {};
  data.systems.forEach(function (s) { names[s.name] = true; });
  fillCheckboxes($('#lanes'), 'lane', LANES, state.lanes);
  var subs = {};
  ms.forEach(function (m) { if (m.subarea) subs[m.subarea] = true; });
  var subSel = $('#subarea');
  Object.keys(subs).sort().forEach(function (s) { subSel.appendChild(el('option', {value: s, text: s})); });
  subSel.value = subs[state.sub] ? state.sub : '';
  function render() {
    var box = $('#timeline');
    box.textContent = '';
    var lanes = LANES.filter(function (l) { return state.lanes.indexOf(l) >= 0; });
    box.style.setProperty('--lanes', String(Math.max(1, lanes.length)));
    var headRow = el('div', {class: 'tl-row tl-head', role: 'presentation'}, el('div', {class: 'tl-year'}));
    lanes.forEach(function (l) { headRow.appendChild(el('div', {class: 'tl-lane lane-' + l, role: 'heading', 'aria-level': '2', text: l})); });
    box.appendChild(headRow);
    var shown = ms.filter(function (m) {
      return lanes.indexOf(m.domain) >= 0 && (!state.sub || m.subarea === state.sub);
    });
    var years = {};
    shown.forEach(function (m) { var y = m.date.slice(0, 4); (years[y] = years[y] || []).push(m); });
    Object.keys(years).sort().forEach(function (y) {
      var row = el('div', {class: 'tl-row', role: 'presentation'}, el('div', {class: 'tl-year', text: y}));
      lanes.forEach(function (l) {
        var cell = el('div', {class: 'tl-cell lane-' + l, role: 'presentation'});
        years[y].filter(function (m) { return m.domain === l; }).forEach(function (m) {
          var card = el('article', {class: 'card', role: 'listitem', id: 'm-' + m.id},
            el('time', {datetime: m.date, text: m.date}),
            el('h3', {text: m.title}),
            m.headline ? el('p', {class: 'headline', text: m.headline}) : null,
            el('p', {text: m.summary}),
            el('p', {class: 'sub', text: m.subarea}));
          var links = el('p', {class: 'links'});
          var u = safeUrl(m.url);
          if (u) links.appendChild(el('a', {href: u, rel: 'noopener noreferrer', target: '_blank', text: 'source'}));
          m.systems.forEach(function (n) {
            if (!names[n]) return;
            links.appendChild(document.createTextNode(' · '));
            links.appendChild(el('a', {href: 'index.html?q=' + encodeURIComponent(n) + '&sel=' + encodeURIComponent(n), text: n + ' on the chart'}));
          });
          card.appendChild(links);
          cell.appendChild(card);
        });
        row.appendChild(cell);
      });
      box.appendChild(row);
    });
    if (!shown.length) box.appendChild(el('p', {class: 'note', text: 'No milestones in this selection.'}));
    $('#count').textContent = shown.length + ' of ' + ms.length + ' milestones';
    writeState();
    api.cards = shown.length; api.state = JSON.parse(JSON.stringify(state));
    document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
  }
  $('#lanes').addEventListener('change', function () { state.lanes = checkedValues($('#lanes')); render(); });
  subSel.addEventListener('change', function () { state.sub = subSel.value; render(); });
  render();
}
