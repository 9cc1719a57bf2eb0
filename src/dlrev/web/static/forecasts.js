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
      d.forecasts.concat(d.date_forecasts || []).forEach(function (f) {
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
    renderDates(d.date_forecasts || []);
    document.body.setAttribute('data-forecasts-text', '1');
  }
  function num(v, digits) { return v === null || v === undefined ? '' : Number(v).toFixed(digits); }
  function verdict(f) {
    if (!f.resolved) return 'not happened yet';
    if (f.speed) return f.speed === 'inside' ? 'inside the range' : f.speed + ' than the range';
    if (f.median_speed) return f.median_speed + ' than the median';
    return 'not scored (no figure)';
  }
  // the date forecasts' table: one row each, every cell through textContent
  function renderDates(rows) {
    var body = document.querySelector('#date-table tbody');
    if (!body) return;
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (f) {
      var tr = document.createElement('tr');
      var prob = f.reported_outcome_probability;
      var cells = [f.forecaster, f.question, f.forecast_date, num(f.median, 1),
        f.low !== null && f.high !== null ? num(f.low, 0) + '-' + num(f.high, 0) : '',
        prob === null || prob === undefined ? '' : Math.round(prob * 100) + '%',
        f.outcome_date || '', verdict(f)];
      cells.forEach(function (c) {
        var td = document.createElement('td');
        td.textContent = c === null || c === undefined ? '' : String(c);
        tr.appendChild(td);
      });
      var src = document.createElement('td');
      var a = document.createElement('a');
      a.href = f.source_url; a.textContent = f.publisher || 'source';
      src.appendChild(a);
      if (f.outcome_source_url) {
        var o = document.createElement('a');
        o.href = f.outcome_source_url; o.textContent = 'outcome';
        src.appendChild(document.createTextNode(' · '));
        src.appendChild(o);
      }
      tr.appendChild(src);
      if (f.speed === 'faster' || f.speed === 'slower') tr.className = 'pos-outside';
      body.appendChild(tr);
    });
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
