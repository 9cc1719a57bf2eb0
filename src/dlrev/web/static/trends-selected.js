/* The selected system's panel beside the Trends chart: its details and source, previous/next
 * buttons that step through the marks in date order, and a find-by-name box. */
import {$, el, hostOf, safeUrl, say, sci} from './util.js';
import {state} from './state.js';

export function selectionPanel(systems, update) {
  var shownNow = [], namesKey = '';
  function showSelected() {
    var box = $('#selected');
    var s = null;
    if (state.sel) systems.forEach(function (x) { if (x.name === state.sel) s = x; });
    box.textContent = '';
    $('#select-hint').hidden = !!s;
    if (!s) { box.hidden = true; return; }
    box.hidden = false;
    var dl = el('dl');
    // lists stored as 'a,b,c' are shown as words, so that a narrow panel wraps between them
    var words = function (v) { return v ? String(v).split(/\s*,\s*/).join(', ') : v; };
    [['Organization', s.org], ['Date', s.date], ['Domain', words(s.domain)],
      ['Training compute', s.compute ? sci(s.compute) + ' FLOP' : null],
      ['Parameters', s.parameters ? sci(s.parameters) : null],
      ['Dataset size', s.dataset_size ? sci(s.dataset_size) + ' ' + (s.dataset_unit || '') : null],
      ['Confidence', s.confidence], ['Task', words(s.task)]].forEach(function (kv) {
      if (kv[1] === null || kv[1] === undefined || kv[1] === '') return;
      dl.appendChild(el('dt', {text: kv[0]})); dl.appendChild(el('dd', {text: kv[1]}));
    });
    var close = el('button', {type: 'button', class: 'small', text: 'Close'});
    close.addEventListener('click', function () { state.sel = ''; update(false); });
    var url = safeUrl(s.url);
    box.appendChild(el('h2', {text: s.name}));
    box.appendChild(dl);
    if (url) box.appendChild(el('p', null, el('a', {href: url, rel: 'noopener noreferrer',
      target: '_blank', text: 'Source: ' + hostOf(url)})));
    // step through the marks on the chart in date order, from the keyboard too
    var order = shownNow.slice().sort(function (a, b) { return a.x - b.x || (a.date < b.date ? -1 : 1); });
    var at = -1;
    order.forEach(function (r, i) { if (r.name === s.name) at = i; });
    var nav = el('p', {class: 'nav-buttons'});
    [['Previous', -1], ['Next', 1]].forEach(function (d) {
      var b = el('button', {type: 'button', class: 'small', text: d[0] + ' system',
        'aria-label': d[0] + ' system on the chart'});
      var to = order[at + d[1]];
      b.disabled = at < 0 || !to;
      b.addEventListener('click', function () { if (to) { state.sel = to.name; update(false).then(function () { var again = $('#selected .nav-buttons button:nth-child(' + (d[1] < 0 ? 1 : 2) + ')'); if (again) again.focus(); }); } });
      nav.appendChild(b);
    });
    box.appendChild(nav);
    box.appendChild(close);
  }
  // the search box's suggestions: the systems on the chart now
  function fillNames(points) {
    var key = points.length + '|' + (points[0] ? points[0].id : '') + '|' + (points.length ? points[points.length - 1].id : '');
    if (key === namesKey) return;
    namesKey = key;
    var dl = $('#names');
    dl.textContent = '';
    points.slice().sort(function (a, b) { return a.name.localeCompare(b.name); })
      .forEach(function (r) { dl.appendChild(el('option', {value: r.name})); });
  }
  $('#find').addEventListener('change', function () {
    var v = $('#find').value.trim().toLowerCase();
    if (!v) return;
    var hit = shownNow.filter(function (r) { return r.name.toLowerCase() === v; })[0] ||
      shownNow.filter(function (r) { return r.name.toLowerCase().indexOf(v) >= 0; })[0];
    if (!hit) { say('No system named "' + $('#find').value + '" on the chart now.'); return; }
    say('');  // a found system clears the last miss's notice
    state.sel = hit.name;
    update(false);
  });
  return {show: function (points) { shownNow = points; fillNames(points); showSelected(); }};
}
