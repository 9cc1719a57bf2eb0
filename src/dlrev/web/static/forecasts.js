/* dlrev explorer, Forecasts page: the plain sentence of every forecast and the caption that says
 * where the straight-line trend is missing and why. Reads the data app.js has already loaded
 * (window.dlrevExplorer.data), so it makes no request of its own. Written for dlrev; every data
 * string reaches the page through textContent. */
(function () {
  'use strict';
  var tries = 0;
  function render(d) {
    var list = document.getElementById('sentences');
    var box = document.getElementById('sentences-box');
    // open on wide screens; on a phone the list would push the chart a screen down
    if (box && window.innerWidth >= 700) box.setAttribute('open', '');
    if (list) {
      while (list.firstChild) list.removeChild(list.firstChild);
      d.forecasts.forEach(function (f) {
        var li = document.createElement('li');
        li.textContent = f.sentence;
        list.appendChild(li);
      });
    }
    var note = document.getElementById('trend-note');
    if (note) {
      var miss = d.trend_missing || [];
      note.textContent = miss.length === 0
        ? 'The dotted trend is drawn for every benchmark and forecast date.'
        : 'No dotted trend for: ' + miss.map(function (m) {
          return m.benchmark + ' (forecasts of ' + m.forecast_date + '): ' + m.why;
        }).join('; ') + '.';
    }
    document.body.setAttribute('data-forecasts-text', '1');
  }
  function wait() {
    var api = window.dlrevExplorer;
    var d = api && api.data && api.data.forecasts;
    if (d) { render(d); return; }
    if (tries++ < 200) setTimeout(wait, 50);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wait);
  else wait();
})();
