// The Horizons page: draws the chart from data/horizons.json (spec and data made at build time).
(function () {
  'use strict';
  var api = window.dlrevHorizons = {ready: false, errors: []};
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
    return window.dlrevStandalone.embed('#chart', spec);
  }
  window.dlrevStandalone.page('horizons', api, draw);
})();
