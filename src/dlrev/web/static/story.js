/* dlrev Story page (index.html). Written for dlrev; no third-party code.
 * 1. An old Trends link (index.html?preset=...&eras=...) still opens that view: Trends now lives
 *    at trends.html, so a query with any Trends key is handed on to it unchanged.
 * 2. Draws the Story's charts from data/storypage.json (drawing helpers in cards.js). */
(function () {
  'use strict';
  var TRENDS_KEYS = ['preset', 'y', 'x', 'eras', 'areas', 'conf', 'q', 'org', 'from', 'to',
    'frontier', 'sel'];
  var params = new URLSearchParams(location.search);
  if (TRENDS_KEYS.some(function (k) { return params.has(k); })) {
    location.replace('trends.html' + location.search + location.hash);
    return;
  }
  var state = window.dlrevStory = {ready: false, errors: []};
  if (location.protocol === 'file:') return;  // boot.js says which command serves the folder
  state.timing = {start: performance.now()};
  // Asked for at once, while the browser is still parsing the Vega bundle below this script;
  // drawn once the page and the bundle are in.
  var data = fetch('data/storypage.json').then(function (r) {
    if (!r.ok) throw new Error('data/storypage.json: HTTP ' + r.status);
    return r.json();
  });
  var parsed = new Promise(function (done) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', done);
    else done();
  });
  Promise.all([data, parsed])
    .then(function (got) {
      var d = got[0];
      state.timing.data = performance.now();
      state.data = d;
      return window.dlrevCharts.start(d, function (key) { return d.charts[key]; });
    })
    .then(function () {
      state.ready = true;
      state.errors = state.errors.concat(window.dlrevCharts.errors);
      document.body.setAttribute('data-story', 'drawn');
    })
    .catch(function (err) {
      state.errors.push(String(err));
      var s = document.getElementById('status');
      if (s) s.textContent = 'Could not draw the charts: ' + err;
    });
})();
