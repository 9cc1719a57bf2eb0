import {$, api, el, num, rendered, say, sci} from './util.js';
import {ignore, listOf, pageParams, validList, writeParams} from './state.js';
import {checkedValues, fillCheckboxes} from './filters.js';
import {pageReadme, readme, rowsCSV, wireDownloads} from './downloads.js';
import {embedSpec, fillSources, fillTable, subtitle} from './charts.js';

// ---------------------------------------------------------------- Scaling page
export default function scalingPage(data) {
  var d = data.scaling, meta = data.meta, specs = data.pagespecs, view = null, view2 = null;
  var chain = Promise.resolve();
  meta.source_line = 'Source: ' + d.sets.map(function (s) { return s.source.split(',')[0]; }).join('; ') + ' · dlrev ' + meta.version;
  var names = d.sets.map(function (s) { return s.name; });
  var computes = [];
  d.frontier.forEach(function (f) {
    var e = Math.log10(f.compute);
    if (Math.abs(e - Math.round(e)) < 1e-9 && computes.indexOf(f.compute) < 0) computes.push(f.compute);
  });
  var defaults = {sets: names.join(','), c: computes.indexOf(1e24) >= 0 ? '1e24' : sci(computes[0])};
  var st = pageParams(defaults);
  st.sets = validList(st.sets, names, defaults.sets, 'sets', 'not a published parameter set');
  fillCheckboxes($('#sets'), 'set', names, listOf(st.sets));
  var bsel = $('#budget');
  computes.forEach(function (c) { bsel.appendChild(el('option', {value: '1e' + Math.round(Math.log10(c)), text: sci(c).replace('.0e', 'e') + ' FLOP'})); });
  if (!computes.some(function (c) { return Math.abs(c - Number(st.c)) / c < 1e-9; })) {
    ignore('c', [st.c], 'not one of the budgets in the table');
    st.c = defaults.c;
  }
  bsel.value = st.c;
  fillSources(d.sets.map(function (s) { return s.source; }).concat([d.chinchilla_source]), d.method);
  var links = $('#sources');
  links.textContent = '';
  d.sets.forEach(function (s) { links.appendChild(el('li', {text: s.name + ': ' + s.source})); });
  links.appendChild(el('li', {text: 'Data of the Chinchilla runs: ' + d.chinchilla_source}));
  $('#sources-summary').textContent = (d.sets.length + 1) + ' sources';
  function render() {
    var shown = listOf(st.sets);
    var order = {};
    names.forEach(function (n, i) { order[n] = i; });
    var curves = [];
    d.iso.forEach(function (r) {
      if (shown.indexOf(r.params) < 0) return;
      curves.push({set: r.params, order: order[r.params], kind: 'iso', what: 'N = ' + sci(r.N).replace('.0e', 'e'), N: r.N,
        lc: Math.log10(r.compute), loss: r.loss, compute_text: sci(r.compute) + ' FLOP', loss_text: r.loss.toFixed(3)});
    });
    var optimal = [];
    d.frontier.forEach(function (r) {
      if (shown.indexOf(r.params) < 0) return;
      curves.push({set: r.params, order: order[r.params], kind: 'frontier', what: 'compute-optimal frontier', N: 0,
        lc: Math.log10(r.compute), loss: r.loss, compute_text: sci(r.compute) + ' FLOP', loss_text: r.loss.toFixed(3)});
      [['N', 'N (parameters)'], ['D', 'D (tokens)']].forEach(function (q) {
        optimal.push({set: r.params, key: r.params + q[0], quantity: q[1], lc: Math.log10(r.compute), lv: Math.log10(r[q[0]]),
          compute_text: sci(r.compute) + ' FLOP', value_text: sci(r[q[0]]), tpp: r.tokens_per_param.toFixed(1)});
      });
    });
    (d.points || []).forEach(function (p) {
      shown.forEach(function (s) {
        curves.push({set: s, order: order[s], kind: 'run', what: 'training run', N: p.N, lc: Math.log10(p.C), loss: p.loss,
          compute_text: sci(p.C) + ' FLOP', loss_text: p.loss.toFixed(3)});
      });
    });
    var budget = Number(st.c);
    fillTable('#sets-table', [
      ['name', 'Parameter set'], ['E', 'E', function (s) { return num(s.E); }], ['A', 'A', function (s) { return num(s.A); }],
      ['B', 'B', function (s) { return num(s.B); }], ['alpha', 'α', function (s) { return num(s.alpha); }],
      ['beta', 'β', function (s) { return num(s.beta); }], ['a', 'a (N ∝ Cᵃ)', function (s) { return s.a.toFixed(3); }],
      ['b', 'b (D ∝ Cᵇ)', function (s) { return s.b.toFixed(3); }],
      ['opt', 'At ' + sci(budget) + ' FLOP: N, D, tokens/param, loss', function (s) {
        var o = d.frontier.filter(function (f) { return f.params === s.name && Math.abs(f.compute - budget) / budget < 1e-9; })[0];
        return o ? sci(o.N) + ' params, ' + sci(o.D) + ' tokens, ' + o.tokens_per_param.toFixed(1) + ', ' + o.loss.toFixed(3) : '–';
      }],
      ['source', 'Source'],
    ], d.sets, function (s) { return shown.indexOf(s.name) >= 0 ? 'current' : null; });
    writeParams(st, defaults);
    api.state = JSON.parse(JSON.stringify(st));
    api.curves = curves.length;
    var s1 = subtitle(JSON.parse(JSON.stringify(specs['scaling-iso'])), meta);
    var s2 = subtitle(JSON.parse(JSON.stringify(specs['scaling-optimal'])), meta);
    return Promise.all([embedSpec('#chart', s1, {curves: curves}), embedSpec('#chart2', s2, {optimal: optimal})])
      .then(function (vs) {
        if (view) view.finalize();
        if (view2) view2.finalize();
        view = vs[0]; view2 = vs[1]; api.view = view; api.view2 = view2; rendered();
      });
  }
  function update() {
    chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
    return chain;
  }
  $('#sets').addEventListener('change', function () { st.sets = checkedValues($('#sets')).join(','); update(); });
  bsel.addEventListener('change', function () { st.c = bsel.value; update(); });
  api.getState = function () { return JSON.parse(JSON.stringify(st)); };
  var keys = ['params', 'compute', 'N', 'D', 'tokens_per_param', 'loss', 'a', 'b'];
  wireDownloads(function () { return 'dlrev-scaling'; }, function () { return view; },
    function () { return {name: 'frontier.csv', text: rowsCSV(d.frontier, keys), readme: pageReadme(meta, 'compute-optimal frontier (CSV)', d.frontier.length, d.sets.map(function (s) { return s.source; }), d.method)}; },
    function () { return {name: 'scaling.json', text: JSON.stringify(d, null, 1), readme: pageReadme(meta, 'scaling page data (JSON)', d.frontier.length + d.iso.length, d.sets.map(function (s) { return s.source; }), d.method)}; });
  return update();
}
