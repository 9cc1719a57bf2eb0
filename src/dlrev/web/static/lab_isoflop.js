/* The IsoFLOP tables of the Lab and Scaling pages (only included when `dlrev serve --lab` points
   at a `dlrev lab isoflop` folder). It draws what dlrev.lab.isofit computed: the best size per
   compute budget, the exponents beside the published ones, tokens per parameter, the caveat.
   On the Scaling page it also embeds the best-size-against-compute chart. */
(function () {
  'use strict';
  function $(sel) { return document.querySelector(sel); }
  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1e4 || (a > 0 && a < 1e-2)) return v.toExponential(1).replace('e+', 'e');
    return a >= 100 ? Math.round(v).toLocaleString('en') : v.toPrecision(digits || 3);
  }
  function iv(lo, hi, digits) {
    return lo === null || lo === undefined || hi === null || hi === undefined ? '' :
      '[' + fmt(lo, digits) + ', ' + fmt(hi, digits) + ']';
  }
  function table(sel, heads, rows) {
    var el = $(sel);
    if (!el) return;
    var head = el.querySelector('thead tr'), body = el.querySelector('tbody');
    heads.forEach(function (h) { var th = document.createElement('th'); th.scope = 'col'; th.textContent = h; head.appendChild(th); });
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      r.forEach(function (c, i) {
        var td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row'; else td.className = 'num';
        td.textContent = c;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function draw(lab) {
    var d = lab.isoflop;
    if (!d) return null;
    table('#iso-optima', ['Compute (FLOP)', 'Sizes', 'Best N', '95% interval', 'Tokens D', 'Tokens per parameter', '95% interval ', 'Loss at best N'],
      d.budgets.map(function (b) {
        return [fmt(b.compute), String(b.n_runs), b.N_opt === null ? 'none' : fmt(b.N_opt), b.N_opt === null ? b.note : iv(b.N_low, b.N_high),
          fmt(b.D_opt), fmt(b.tokens_per_param), iv(b.tpp_low, b.tpp_high), fmt(b.loss_opt, 4)];
      }));
    var rows = [], x = d.exponents, a3 = d.approach3 || {};
    if (x) rows.push(['This run, IsoFLOP (approach 2)', fmt(x.a, 2), iv(x.a_low, x.a_high, 2), fmt(x.b, 2), iv(x.b_low, x.b_high, 2)]);
    if (a3.ok) rows.push(['This run, L(N, D) fit (approach 3)', fmt(a3.a, 2), iv(a3.a_low, a3.a_high, 2), fmt(a3.b, 2), iv(a3.b_low, a3.b_high, 2)]);
    Object.keys(d.published).forEach(function (k) {
      var p = d.published[k];
      rows.push([p.label, fmt(p.a, 2), iv(p.a_low, p.a_high, 3), fmt(p.b, 2), iv(p.b_low, p.b_high, 3)]);
    });
    table('#iso-exponents', ['', 'a (N_opt ∝ C^a)', 'interval', 'b (D_opt ∝ C^b)', 'interval '], rows);
    var cap = $('#iso-exp-cap');
    if (cap) cap.textContent = 'This run: 95% intervals. Published: ' + d.published_source + '.';
    var tpp = [];
    if (x && x.tokens_per_param) tpp.push(['This run, approach 2, at ' + fmt(x.tokens_per_param.compute) + ' FLOP', fmt(x.tokens_per_param.value), iv(x.tokens_per_param.low, x.tokens_per_param.high)]);
    if (a3.ok) (a3.optima || []).forEach(function (o) { tpp.push(['This run, approach 3, at ' + fmt(o.compute) + ' FLOP', fmt(o.tokens_per_param), iv(o.low, o.high)]); });
    Object.keys(d.tokens_per_param_ref).forEach(function (k) {
      var r = d.tokens_per_param_ref[k];
      tpp.push([r.label + ' (' + r.source + ')', fmt(r.value), '']);
    });
    table('#iso-tpp', ['', 'Tokens per parameter', '95% interval'], tpp);
    var cav = $('#iso-caveat');
    if (cav) cav.textContent = d.caveat + ((lab.notes || []).length ? ' Notes: ' + lab.notes.join(' ') : '');
    return lab;
  }
  function start() {
    fetch('data/lab.json').then(function (r) {
      if (!r.ok) throw new Error('data/lab.json: HTTP ' + r.status);
      return r.json();
    }).then(function (lab) {
      if (!draw(lab)) return null;
      var box = $('#iso-chart');
      if (!box || typeof vegaEmbed !== 'function') return null;
      var spec = JSON.parse(JSON.stringify(lab.charts.compute));
      spec.width = Math.max(200, Math.min(720, box.clientWidth - 70));
      spec.height = 260;
      return vegaEmbed(box, spec, {renderer: 'svg', actions: false, ast: true, defaultStyle: false,
        tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1});
    }).catch(function (err) {
      var api = window.dlrevExplorer;
      if (api && api.errors) api.errors.push(String(err));
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
