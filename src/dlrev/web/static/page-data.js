import {$, PAGE_SIZE, api, el, hostOf, safeUrl, sci} from './util.js';
import {state, writeState} from './state.js';
import {selection, setupFilters} from './filters.js';
import {cleanRecord, download, readme, toCSV, zip} from './downloads.js';

// ---------------------------------------------------------------- Data page
export var COLUMNS = [
  ['name', 'System'], ['org', 'Organization'], ['date', 'Date'], ['area', 'Domain'],
  ['compute', 'Training compute (FLOP)'], ['parameters', 'Parameters'],
  ['dataset_size', 'Dataset size'], ['confidence', 'Confidence'], ['url', 'Source']];
export default function dataPage(data) {
  var systems = data.systems, meta = data.meta, current = [];
  var head = $('#table thead tr');
  COLUMNS.forEach(function (c) {
    var th = el('th', {scope: 'col', 'data-col': c[0]});
    if (c[0] === 'url') th.textContent = c[1];
    else {
      var b = el('button', {type: 'button', class: 'sort', text: c[1]});
      b.addEventListener('click', function () {
        if (state.sort === c[0]) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
        else { state.sort = c[0]; state.dir = c[0] === 'name' || c[0] === 'org' ? 'asc' : 'desc'; }
        state.p = 1; render();
      });
      th.appendChild(b);
    }
    head.appendChild(th);
  });
  function cmp(a, b) {
    var k = state.sort, va = a[k], vb = b[k];
    var na = va === null || va === undefined || va === '', nb = vb === null || vb === undefined || vb === '';
    if (na && nb) return 0;
    if (na) return 1;     // blanks last in either direction
    if (nb) return -1;
    var r = typeof va === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return state.dir === 'asc' ? r : -r;
  }
  function render() {
    current = selection(systems, state).slice().sort(cmp);
    var pages = Math.max(1, Math.ceil(current.length / PAGE_SIZE));
    if (state.p > pages) state.p = pages;
    var rows = current.slice((state.p - 1) * PAGE_SIZE, state.p * PAGE_SIZE);
    var tb = $('#table tbody');
    tb.textContent = '';
    rows.forEach(function (s) {
      var tr = el('tr');
      COLUMNS.forEach(function (c) {
        var v = s[c[0]];
        if (c[0] === 'name') { tr.appendChild(el('th', {scope: 'row', text: v})); return; }
        if (c[0] === 'url') {
          var u = safeUrl(v);
          tr.appendChild(el('td', null, u ? el('a', {href: u, rel: 'noopener noreferrer', target: '_blank', text: hostOf(u)}) : null));
          return;
        }
        var t = typeof v === 'number' ? sci(v) : (v || '');
        if (c[0] === 'dataset_size' && v && s.dataset_unit) t += ' ' + s.dataset_unit;
        tr.appendChild(el('td', {text: t, class: typeof v === 'number' ? 'num' : null}));
      });
      tb.appendChild(tr);
    });
    document.querySelectorAll('#table thead th').forEach(function (th) {
      var k = th.getAttribute('data-col');
      th.setAttribute('aria-sort', k === state.sort ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    $('#count').textContent = current.length + ' of ' + systems.length + ' systems';
    $('#pageinfo').textContent = 'Page ' + state.p + ' of ' + pages;
    $('#prev').disabled = state.p <= 1;
    $('#next').disabled = state.p >= pages;
    writeState();
    api.rows = rows.length; api.selected = current.length; api.state = JSON.parse(JSON.stringify(state));
    document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
  }
  setupFilters(systems, render);
  $('#prev').addEventListener('click', function () { state.p -= 1; render(); });
  $('#next').addEventListener('click', function () { state.p += 1; render(); });
  $('#dl-csv').addEventListener('click', function () {
    download('dlrev-systems-selection.zip', zip([
      {name: 'systems.csv', text: toCSV(current)},
      {name: 'README.txt', text: readme(meta, current.length, 'systems (CSV)')}]));
  });
  $('#dl-json').addEventListener('click', function () {
    download('dlrev-systems-selection-json.zip', zip([
      {name: 'systems.json', text: JSON.stringify(current.map(cleanRecord), null, 1)},
      {name: 'README.txt', text: readme(meta, current.length, 'systems (JSON)')}]));
  });
  api.selectionCSV = function () { return toCSV(current); };
  api.readme = function () { return readme(meta, current.length, 'systems (CSV)'); };
  render();
}
