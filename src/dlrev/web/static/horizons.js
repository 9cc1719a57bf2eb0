// The Horizons page: draws the chart from data/horizons.json (spec and data made at build time).
(function () {
  'use strict';
  var api = window.dlrevHorizons = {ready: false, errors: []};
  function fail(err) {
    api.errors.push(String(err));
    var s = document.getElementById('status');
    if (s) s.textContent = 'Could not draw the chart: ' + err;
  }
  function draw(d) {
    var spec = JSON.parse(JSON.stringify(d.spec));
    spec.title.subtitle = d.kind === 'fit'
      ? 'Fitted from METR per-task results; bars: ' + Math.round((d.settings.ci || 0.95) * 100) + '% bootstrap intervals'
      : "METR's published values (curated table)";
    spec.datasets = {agents: d.agents, line: d.line, levels: d.levels};
    // Fit the page's width (the spec's autosize counts axes and legend in it).
    var box = document.getElementById('chart');
    spec.width = Math.max(260, Math.min(1000, box.clientWidth || 900));
    if (spec.width < 600) {  // a phone: shorter title, legends stacked
      spec.height = 320;
      spec.title.text = 'AI time horizons';
      spec.layer.forEach(function (l) {
        var enc = l.encoding || {};
        ['color', 'strokeDash'].forEach(function (k) {
          if (enc[k] && enc[k].legend) enc[k].legend.direction = 'vertical';
        });
      });
    }
    return vegaEmbed('#chart', spec, {renderer: 'svg', actions: false, ast: true,
      defaultStyle: false, tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1});
  }
  function start() {
    if (location.protocol === 'file:') return;  // boot.js says which command serves the folder
    fetch('data/horizons.json')
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (d) { api.data = d; return draw(d); })
      .then(function () { api.ready = true; document.body.setAttribute('data-horizons', '1'); })
      .catch(fail);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
