// The Growth page: draws the stacked panels from data/growth.json (spec and data made at build
// time by dlrev.web.growth_page); only the panels' width follows the page.
(function () {
  'use strict';
  var api = window.dlrevGrowth = {ready: false, errors: []};
  function fail(err) {
    api.errors.push(String(err));
    var s = document.getElementById('status');
    if (s) s.textContent = 'Could not draw the chart: ' + err;
  }
  function draw(d) {
    var spec = JSON.parse(JSON.stringify(d.spec));
    var box = document.getElementById('chart');
    var full = box.clientWidth || 900;
    // Room for the y axis and its title beside each panel.
    var width = Math.max(200, Math.min(1000, full - (full < 600 ? 80 : 110)));
    spec.vconcat.forEach(function (p) {
      p.width = width;
      if (full < 600) p.height = 170;
    });
    return vegaEmbed('#chart', spec, {renderer: 'svg', actions: false, ast: true,
      defaultStyle: false, tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1});
  }
  function start() {
    if (location.protocol === 'file:') return;  // boot.js says which command serves the folder
    fetch('data/growth.json')
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (d) { api.data = d; return draw(d); })
      .then(function () { api.ready = true; document.body.setAttribute('data-growth', '1'); })
      .catch(fail);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
