import {$, api, el, hostOf, num, pct, rendered, say} from './util.js';
import {listOf, pageParams, writeParams} from './state.js';
import {checkedValues, fillCheckboxes} from './filters.js';
import {pageReadme, readme, rowsCSV, wireDownloads} from './downloads.js';
import {badge, embedSpec, fillSources, fillTable, linkTo, subtitle} from './charts.js';

// ---------------------------------------------------------------- Forecasts page
export default function forecastsPage(data) {
  var d = data.forecasts, meta = data.meta, specs = data.pagespecs, view = null, pview = null;
  var chain = Promise.resolve();
  meta.source_line = 'Source: dlrev curated forecasts and benchmark results · built ' + meta.built;
  var kinds = [];
  d.predictions.forEach(function (p) { if (p.kind && kinds.indexOf(p.kind) < 0) kinds.push(p.kind); });
  var defaults = {b: d.benchmarks.indexOf('MATH') >= 0 ? 'MATH' : (d.benchmarks[0] || ''), kinds: kinds.join(',')};
  var st = pageParams(defaults);
  if (d.benchmarks.indexOf(st.b) < 0) st.b = defaults.b;
  var sel = $('#bench');
  d.benchmarks.forEach(function (b) {
    var n = d.forecasts.filter(function (f) { return f.benchmark === b; }).length;
    sel.appendChild(el('option', {value: b, text: b + ' (' + n + ' forecast' + (n === 1 ? '' : 's') + ')'}));
  });
  sel.value = st.b;
  fillCheckboxes($('#kinds'), 'kind', kinds, listOf(st.kinds));
  fillSources(d.sources, d.method);
  $('#summary').textContent = d.summary.text ? d.summary.text.charAt(0).toUpperCase() + d.summary.text.slice(1) : '';
  function where(f) {
    if (!f.resolved) return 'not resolved';
    if (f.outside === true) return 'outside the interval';
    if (f.outside === false) return 'inside the interval';
    return 'no interval published';
  }
  function intervalText(f) {
    if (f.low === null || f.high === null) return f.interval_level ? 'bounds not published (' + pct(f.interval_level) + ' interval)' : 'not published';
    return '[' + num(f.low) + ', ' + num(f.high) + '] ' + (f.interval_level ? pct(f.interval_level) : '(level not published)');
  }
  function positionText(f) {
    if (!f.position) return f.resolved ? '–' : 'not resolved yet';
    return f.position + (f.position_source === 'reported' ? ' (as the source reported)' : '');
  }
  function renderForecast() {
    var fs = d.forecasts.filter(function (f) { return f.benchmark === st.b; });
    var ds = {history: [], fans: [], medians: [], trend: [], targets: [], outcomes: [], refs: []};
    d.history.forEach(function (h) {
      if (h.benchmark === st.b) ds.history.push({x: h.year, y: h.value, best: h.best, series: h.series || 'main', rank: h.series ? 1 : 0, system: h.system, date: h.date});
    });
    fs.forEach(function (f) {
      f.geometry.forEach(function (g) {
        if (g.layer === 'fan') ds.fans.push({id: f.id, x: g.x, lo: g.lo, hi: g.hi});
        else if (g.layer === 'median') ds.medians.push({id: f.id, x: g.x, y: g.y});
        else if (g.layer === 'trend') ds.trend.push({id: f.id, x: g.x, y: g.y});
      });
      if (f.median !== null) ds.targets.push({x: f.target_year, median: f.median, question: f.question, forecaster: f.forecaster, interval: intervalText(f)});
      if (f.outcome !== null) ds.outcomes.push({x: f.target_year, y: f.outcome, where: where(f), question: f.question, system: f.outcome_system || '', median: f.median === null ? '–' : num(f.median), position: positionText(f),
        desc: f.question + ': outcome ' + num(f.outcome) + ', ' + where(f)});
    });
    (d.refs[st.b] || []).forEach(function (r) { ds.refs.push({y: r.value, label: r.label + ' ' + num(r.value)}); });
    var spec = subtitle(JSON.parse(JSON.stringify(specs.forecast)), meta);
    spec.title.text = st.b + ': forecasts against what happened';
    api.outcomes = ds.outcomes.length; api.fans = ds.fans.length / 2;
    return embedSpec('#chart', spec, ds).then(function (v) { if (view) view.finalize(); view = v; api.view = v; });
  }
  function renderTable() {
    fillTable('#fc-table', [
      ['question', 'Question', function (f) {
        var btn = el('button', {type: 'button', class: 'link', text: f.question});
        btn.addEventListener('click', function () { st.b = f.benchmark; sel.value = st.b; update(); });
        return btn;
      }],
      ['forecaster', 'Forecaster'],
      ['forecast_date', 'Made'],
      ['target_date', 'Target date'],
      ['median', 'Median', function (f) { return num(f.median); }],
      ['interval', 'Interval', intervalText],
      ['outcome', 'Outcome', function (f) { return f.outcome === null ? '–' : num(f.outcome) + (f.outcome_system ? ' · ' + f.outcome_system : ''); }],
      ['position', 'Where it fell', positionText, function (f) { return f.outside === true ? 'pos-outside' : f.outside === false ? 'pos-inside' : ''; }],
      ['trend', 'Naive trend', function (f) { return f.trend === null ? '–' : num(f.trend); }],
      ['closer', 'Closer', function (f) { return f.closer || '–'; }],
      ['source_url', 'Source', function (f) { return linkTo(f.source_url); }],
    ], d.forecasts, function (f) { return f.benchmark === st.b ? 'current' : null; });
  }
  function renderPredictions() {
    var ks = listOf(st.kinds);
    var ps = d.predictions.filter(function (p) { return ks.indexOf(p.kind) >= 0; });
    var by = parseInt(meta.built.slice(0, 4), 10);
    var rows = ps.map(function (p) {
      var when = p.predicted_year === null ? 'no year (a trend claim)' : String(p.predicted_year) +
        (p.low_year !== null ? ' [' + p.low_year + ', ' + p.high_year + ']' + (p.interval_level ? ' ' + pct(p.interval_level) : '') : '');
      return {row: p.who + ', ' + p.made.slice(0, 4) + ': ' + p.kind, order: p.id, made_year: p.made_year,
        x2: p.predicted_year, lo: p.low_year, hi: p.high_year, kind: p.kind, who: p.who, made: p.made,
        claim: p.claim, when: when, host: hostOf(p.source_url),
        desc: p.who + ' (' + p.made + '): ' + p.claim + '; predicted ' + when};
    });
    var spec = subtitle(JSON.parse(JSON.stringify(specs.predictions)), meta);
    api.predictions = rows.length;
    fillTable('#pred-table', [
      ['who', 'Who'], ['made', 'Made'], ['claim', 'Claim'],
      ['predicted_year', 'Predicted year', function (p) {
        return p.predicted_year === null ? '–' : String(p.predicted_year) + (p.low_year !== null ? ' [' + p.low_year + ', ' + p.high_year + ']' : '');
      }],
      ['lead_years', 'Lead (years)', function (p) { return p.lead_years === null ? '–' : p.lead_years.toFixed(0); }],
      ['kind', 'Event'],
      ['method', 'Method', function (p) {
        if (!p.unverified) return p.method;
        var box = el('span', {text: (p.method || '') + ' '});
        box.appendChild(badge('A figure of this prediction could not be checked against its original source.'));
        return box;
      }],
      ['source_url', 'Source', function (p) { return linkTo(p.source_url); }],
    ], ps);
    return embedSpec('#pred-chart', spec, {predictions: rows, today: [{x: by + 0.5, label: 'site built ' + meta.built}]})
      .then(function (v) { if (pview) pview.finalize(); pview = v; api.pview = v; });
  }
  function render() {
    writeParams(st, defaults);
    renderTable();
    api.state = JSON.parse(JSON.stringify(st));
    return Promise.all([renderForecast(), renderPredictions()]).then(rendered);
  }
  function update() {
    chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
    return chain;
  }
  sel.addEventListener('change', function () { st.b = sel.value; update(); });
  $('#kinds').addEventListener('change', function () { st.kinds = checkedValues($('#kinds')).join(','); update(); });
  api.getState = function () { return JSON.parse(JSON.stringify(st)); };
  var keys = ['question', 'benchmark', 'forecaster', 'forecast_date', 'target_date', 'sota_at_forecast', 'median', 'low', 'high', 'interval_level', 'outcome', 'outcome_system', 'position', 'position_source', 'outside', 'trend', 'closer', 'source_url', 'outcome_source_url', 'notes'];
  wireDownloads(function () { return 'dlrev-forecasts-' + st.b.replace(/[^A-Za-z0-9]+/g, '-'); },
    function () { return view; },
    function () { return {name: 'forecasts.csv', text: rowsCSV(d.forecasts, keys), readme: pageReadme(meta, 'forecasts (CSV)', d.forecasts.length, d.sources, d.summary.text + ' ' + d.method)}; },
    function () { return {name: 'forecasts.json', text: JSON.stringify({summary: d.summary, forecasts: d.forecasts, predictions: d.predictions}, null, 1), readme: pageReadme(meta, 'forecasts and predictions (JSON)', d.forecasts.length + d.predictions.length, d.sources, d.method)}; });
  return update();
}
