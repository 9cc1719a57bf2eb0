// The Capabilities page: draws data/capability.json (computed by dlrev.capability at build time).
(function () {
  'use strict';
  var api = window.dlrevCapability = {ready: false, errors: [], data: null};
  function $(sel) { return document.querySelector(sel); }
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function f1(v) { return v === null || v === undefined || !isFinite(v) ? '–' : v.toFixed(1); }
  function band(lo, hi) { return '[' + f1(lo) + ', ' + f1(hi) + ']'; }
  function dates(d, lo, hi) { return d ? d + ' [' + (lo || '?') + ', ' + (hi || '?') + ']' : '–'; }

  function fill(sel, cols, rows) {
    var head = $(sel + ' thead tr'), body = $(sel + ' tbody');
    if (!head.children.length) cols.forEach(function (c) { var th = el('th', c[0]); th.scope = 'col'; head.appendChild(th); });
    body.textContent = '';
    rows.forEach(function (r, i) {
      var tr = el('tr');
      cols.forEach(function (c) { var td = el('td', c[1](r, i)); if (c[2]) td.className = 'num'; tr.appendChild(td); });
      body.appendChild(tr);
    });
  }

  function embed(target, spec, datasets) {
    var s = JSON.parse(JSON.stringify(spec));
    s.datasets = datasets;
    // the chart fills its box (axes included), so a phone never scrolls sideways
    s.width = Math.max(240, Math.min(1100, $(target).clientWidth - 8));
    return window.dlrevStandalone.embed(target, s);
  }

  function csv(rows, keys) {
    var cell = function (v) {
      if (v === null || v === undefined) return '';
      var t = String(v);
      return /[",\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    return [keys.join(',')].concat(rows.map(function (r) {
      return keys.map(function (k) { return cell(r[k]); }).join(',');
    })).join('\n') + '\n';
  }
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var a = el('a'); a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }

  function modelsTable(d) {
    var top = $('#top').value;
    var rows = top === 'all' ? d.models : d.models.slice(0, Number(top));
    fill('#models-table', [
      ['#', function (r, i) { return String(i + 1); }, true],
      ['Model', function (r) { return r.name; }],
      ['Model id', function (r) { return r.model; }],
      ['Released', function (r) { return r.date || '–'; }],
      ['Index', function (r) { return f1(r.eci); }, true],
      ['Interval', function (r) { return band(r.eci_low, r.eci_high); }],
      ['Benchmarks', function (r) { return String(r.n_benchmarks); }, true]
    ], rows);
  }

  function render(d) {
    modelsTable(d);
    $('#top').addEventListener('change', function () { modelsTable(d); });
    fill('#bench-table', [
      ['Benchmark', function (r) { return r.benchmark + (r.reference ? ' (reference)' : ''); }],
      ['Difficulty', function (r) { return f1(r.edi) + ' ' + band(r.edi_low, r.edi_high); }],
      ['Models', function (r) { return String(r.n_models); }, true],
      ['50% reached', function (r) { return dates(r.date_50, r.low_50, r.high_50); }],
      ['90% reached', function (r) { return dates(r.date_90, r.low_90, r.high_90); }]
    ], d.benchmarks);
    $('#dl-csv').addEventListener('click', function () {
      download('dlrev-capability-index.csv', csv(d.models, ['model', 'name', 'date', 'eci', 'eci_low', 'eci_high', 'n_benchmarks', 'frontier']), 'text/csv');
    });
    $('#dl-json').addEventListener('click', function () {
      download('dlrev-capability.json', JSON.stringify(d, null, 1), 'application/json');
    });
    return Promise.all([
      embed('#chart', d.specs.index, {models: d.models, line: d.line}),
      embed('#chart2', d.specs.difficulty, {benchmarks: d.benchmarks})
    ]);
  }

  function start() {
    fetch('data/capability.json')
      .then(function (r) { if (!r.ok) throw new Error('data/capability.json: ' + r.status); return r.json(); })
      .then(function (d) { api.data = d; return render(d); })
      .then(function () { api.ready = true; document.body.setAttribute('data-capability', 'ready'); })
      .catch(function (err) {
        api.errors.push(String(err));
        var s = $('#status'); if (s) s.textContent = 'Could not draw the page: ' + err;
      });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
