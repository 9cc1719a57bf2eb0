// What the pages that load their own data share (Horizons, Growth, Capabilities): fetch
// data/<name>.json once the document is ready, hand it to the page's draw function, say what
// went wrong in #status, and embed Vega-Lite the same way everywhere. Written for dlrev.
(function () {
  'use strict';
  function embed(target, spec) {
    return window.vegaEmbed(target, spec, {renderer: 'svg', actions: false, ast: true,
      defaultStyle: false, tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1});
  }
  // `api` is the page's window object (ready, errors, data); `draw(data)` may return a promise.
  function page(name, api, draw) {
    function fail(err) {
      api.errors.push(String(err));
      var s = document.getElementById('status');
      if (s) s.textContent = 'Could not draw the chart: ' + err;
    }
    function start() {
      if (location.protocol === 'file:') return;  // boot.js says which command serves the folder
      fetch('data/' + name + '.json')
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (d) { api.data = d; return draw(d); })
        .then(function () { api.ready = true; document.body.setAttribute('data-' + name, '1'); })
        .catch(fail);
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
  window.dlrevStandalone = {embed: embed, page: page};
})();
