// The Growth page: draws the stacked panels from data/growth.json (spec and data made at build
// time by dlrev.web.growth_page); only the panels' width follows the page.
(function () {
  'use strict';
  var api = window.dlrevGrowth = {ready: false, errors: []};
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
    return window.dlrevStandalone.embed('#chart', spec);
  }
  window.dlrevStandalone.page('growth', api, draw);
})();
