import {$, AREAS, CONFS, METRIC_LABEL, METRIC_UNIT, SVG_LIMIT, api, decYear, el, fmt, hostOf, isoOfYear, safeUrl, same, say, sci, validIso} from './util.js';
import {DEFAULTS, PROJECTION_YEARS, ignore, presets, setPresets, state, writeState} from './state.js';
import {selection, setupFilters, syncFilterInputs} from './filters.js';
import {LOG2, refitEras} from './refit.js';
import {eraLabels, landmarkLabels, projections, xFrame, yFrame} from './trends-draw.js';
import {download} from './downloads.js';
import {eraControls} from './trends-eras.js';
import {selectionPanel} from './trends-selected.js';
import {PHONE, availableWidth} from './charts.js';

// ---------------------------------------------------------------- Trends page
export default function trendsPage(data) {
  var systems = data.systems, meta = data.meta, fits = data.fits, specs = data.vgspecs;
  setPresets(fits.presets);
  var drawnWidth = 0, usedSize = [0, 0];
  var view = null, viewKey = null, lastFits = [], rendering = Promise.resolve();
  var presetSel = $('#preset');
  Object.keys(presets).forEach(function (k) {
    presetSel.appendChild(el('option', {value: k, text: presets[k].label}));
  });
  if (state.preset && !presets[state.preset]) {
    ignore('preset', [state.preset], 'not one of ' + Object.keys(presets).join(', '));
    state.preset = presets[DEFAULTS.preset] ? DEFAULTS.preset : '';
  }
  // An explicit eras list wins; otherwise the preset's (or none).
  if (state.eras === null) {
    state.eras = state.preset ? presets[state.preset].eras.slice() : [];
    if (state.preset && !location.search.match(/[?&](from|to)=/)) {
      state.from = presets[state.preset].from || '';
      state.to = presets[state.preset].to || '';
    }
  }
  presetSel.value = state.preset;
  $('#x').value = state.x; $('#y').value = state.y; $('#frontier').value = state.frontier;

  function matchesPreset() {
    var p = presets[state.preset];
    if (!p) return null;
    if (state.x !== 'year' || state.y !== p.y || !same(state.eras, p.eras)) return null;
    if ((state.from || null) !== (p.from || null) || (state.to || null) !== (p.to || null)) return null;
    if (!same(state.areas, AREAS) || !same(state.conf, CONFS) || state.q || state.org) return null;
    if (state.frontier === 'only') return null;
    var eng = fits.engine && fits.engine[state.preset];
    return eng && eng.rows ? eng : null;
  }

  function plotRows(sel) {
    var rows = [], ym = state.y, xm = state.x;
    sel.forEach(function (s) {
      var yv = s[ym];
      if (!(yv > 0)) return;
      var xv = xm === 'year' ? s.year : (s[xm] > 0 ? Math.log10(s[xm]) : null);
      if (xv === null || xv === undefined) return;
      var ty = sci(yv) + (METRIC_UNIT[ym] ? ' ' + METRIC_UNIT[ym] : '') +
        (ym === 'dataset_size' && s.dataset_unit ? ' ' + s.dataset_unit : '');
      var tx = xm === 'year' ? '' : sci(s[xm]);
      var host = hostOf(s.url), conf = s.confidence || 'unknown';
      // the tooltip is made here, once, not by Vega's expression interpreter for every mark
      var tip = {System: s.name, Organization: s.org || '', Date: s.date};
      tip[METRIC_LABEL[ym]] = ty;
      if (xm !== 'year') tip[METRIC_LABEL[xm]] = tx;
      tip.Domain = s.area; tip.Confidence = conf; tip.Source = host;
      rows.push({id: s.id, name: s.name, org: s.org || '', date: s.date, area: s.area,
        notable: !!s.notable, confidence: conf, host: host, x: xv, y: Math.log10(yv),
        ty: ty, tx: tx, tip: tip,
        desc: s.name + ', ' + s.date + ', ' + METRIC_LABEL[ym] + ' ' + sci(yv)});
    });
    return rows;
  }
  function recordSetters(rows) {
    var sorted = rows.slice().sort(function (a, b) {
      return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    });
    var best = -Infinity, out = {};
    sorted.forEach(function (r) { if (r.y > best) { best = r.y; out[r.id] = true; } });
    return out;
  }
  function eraBounds() { return state.eras.map(decYear); }

  // Shaded era rectangles: the boundaries inside the plotted data.
  function eraRects(rows) {
    if (state.x !== 'year' || !rows.length) return [];
    var xmin = Infinity, xmax = -Infinity;
    rows.forEach(function (r) { if (r.x < xmin) xmin = r.x; if (r.x > xmax) xmax = r.x; });
    var inner = eraBounds().filter(function (v) { return v > xmin && v < xmax; });
    var edges = [xmin].concat(inner, [xmax]), out = [];
    for (var e = 0; e + 1 < edges.length; e++) {
      out.push({start: edges[e], end: edges[e + 1], shade: e % 2 ? '#e4e4e4' : '#f4f4f4'});
    }
    return out;
  }
  function browserFits(rows, sel) {
    if (state.x !== 'year') return [];
    return refitEras(rows, sel, state.eras, fits.ci || 0.9, fits.bootstrap || 1000);
  }
  function engineFits(eng) {
    return eng.rows.map(function (r) {
      var o = JSON.parse(JSON.stringify(r));
      o.method = 'dlrev trend engine: ' + (eng.interval_method || 'bootstrap') + '; ' +
        Math.round((r.ci || eng.ci) * 100) + '% interval' +
        (eng.notes && eng.notes.length ? '; ' + eng.notes.join(' ') : '');
      o.engine = true;
      return o;
    });
  }

  function specFor() {
    var key = state.x + '|' + state.y;
    var spec = JSON.parse(JSON.stringify(specs[key]));
    return {key: key, spec: spec};
  }
  // The plot's inner size in pixels: the view's once drawn at this width, else an estimate.
  function plotSize(avail) {
    if (view && Math.abs(avail - drawnWidth) <= 30) return [view.width(), view.height()];
    return [Math.max(120, avail - 95), avail < PHONE ? 320 : 400];
  }
  function datasets(rows, sel, avail) {
    var rec = recordSetters(rows);
    var shown = state.frontier === 'only' ? rows.filter(function (r) { return rec[r.id]; }) : rows;
    var rings = shown.filter(function (r) {
      return (state.frontier && rec[r.id]) || (state.sel && r.name === state.sel);
    });
    var eng = matchesPreset();
    lastFits = eng ? engineFits(eng) : browserFits(shown, sel);
    api.fitSource = eng ? 'engine' : 'browser';
    var lineRows = [], bandRows = [], ys = [];
    shown.forEach(function (r) { ys.push(r.y); });
    lastFits.forEach(function (e, i) {
      if (!e.fitted || !e.draw) return;
      var key = 'fit' + i;
      lineRows.push({era: key, kind: 'fit', x: e.x_first, y: e.intercept + e.slope * e.x_first});
      lineRows.push({era: key, kind: 'fit', x: e.x_last, y: e.intercept + e.slope * e.x_last});
      (e.band || []).forEach(function (b) {
        if (b[1] !== null && b[2] !== null) {
          bandRows.push({era: key, x: b[0], lo: b[1], hi: b[2]}); ys.push(b[1], b[2]);
        }
      });
    });
    var toYear = state.x === 'year' && state.proj ? Number(state.proj) : 0;
    var proj = projections(lastFits, toYear, METRIC_UNIT[state.y]);
    proj.bands.forEach(function (b) { ys.push(b.lo, b.hi); });
    var size = plotSize(avail);
    usedSize = size;
    var xdom = xFrame(shown, toYear);
    var labels = state.x === 'year' ? eraLabels(lastFits, xdom, size[0]) : {rows: [], n: 0};
    var ydom = yFrame(ys, labels.n, size[1]);
    var marks = state.lm === '0' ? [] : landmarkLabels(shown, fits.landmarks || [], xdom, ydom,
      size[0], size[1], labels.n ? labels.n * 30 + 6 : 0);
    return {points: shown, rings: rings, eras: eraRects(shown), lines: lineRows,
      bands: bandRows, labels: labels.rows, landmarks: marks, proj_lines: proj.lines,
      proj_bands: proj.bands, proj_text: proj.text,
      frame: {x_lo: xdom[0], x_hi: xdom[1], y_lo: ydom[0], y_hi: ydom[1]}};
  }
  // The compiled spec, adjusted once per embed: axis domains driven by signals (so the frame
  // always holds the data, projections and labels) and a legend that answers clicks.
  function prepareSpec(spec, avail, frame, canvas) {
    spec.width = avail;   // as wide as the page allows, axes and legend included
    spec.autosize = {type: 'fit-x', contains: 'padding'};
    if (avail < PHONE) spec.height = 320;
    spec.signals = (spec.signals || []).concat(Object.keys(frame).map(function (k) {
      return {name: k, value: frame[k]};
    }));
    spec.scales.forEach(function (sc) {
      if (sc.name === 'x') sc.domain = [{signal: 'x_lo'}, {signal: 'x_hi'}];
      if (sc.name === 'y') sc.domain = [{signal: 'y_lo'}, {signal: 'y_hi'}];
    });
    // the marks read ready-made fields: no per-mark expression (Vega interprets them, slowly,
    // under the page's CSP) and no validity filter on rows that are valid by construction
    var fast = {};
    spec.marks.forEach(function (m) {
      // landmark names (and their halo) are aligned towards their mark, row by row
      if (/^landmark_(halo|names)_/.test(m.name || '')) {
        m.encode.update.align = {field: 'align'};
      }
    });
    spec.marks.forEach(function (m) {
      if (m.name !== 'points_marks' && m.name !== 'rings_marks') return;
      m.encode.update.tooltip = {field: 'tip'};
      if (m.encode.update.description) m.encode.update.description = {field: 'desc'};
      if (canvas) {   // a canvas has no per-mark accessibility tree to describe
        delete m.encode.update.description;
        delete m.encode.update.ariaRoleDescription;
        m.aria = false;
      }
      if (m.from && m.from.data) fast[m.from.data] = true;
    });
    spec.data.forEach(function (d) {
      if (fast[d.name] && d.transform) {
        d.transform = d.transform.filter(function (t) { return t.type !== 'filter'; });
      }
    });
    (spec.legends || []).forEach(function (lg) {
      lg.encode = lg.encode || {};
      ['symbols', 'labels'].forEach(function (part) {
        lg.encode[part] = lg.encode[part] || {};
        lg.encode[part].interactive = true;
        lg.encode[part].update = Object.assign(lg.encode[part].update || {}, {cursor: {value: 'pointer'}});
      });
    });
    return spec;
  }
  function fitTable() {
    var tb = $('#fit-table tbody');
    tb.textContent = '';
    var note = $('#fit-note');
    if (state.x !== 'year') {
      note.textContent = 'Trend lines are fitted against publication date; choose the date as x to see them.';
      return;
    }
    var methods = {};
    lastFits.forEach(function (e) {
      if (e.method) methods[e.method] = true;
      var has = e.fitted;
      var ci = function (a, b, d) {
        return has && isFinite(a) && isFinite(b) && a !== null && b !== null ?
          ' [' + fmt(a, d) + ', ' + fmt(b, d) + ']' : '';
      };
      var md = e.month_days || 365.25 / 12;
      var dbl = function (s) { return LOG2 / s * 365.25 / md; };
      var name = e.group && e.group !== 'all' ? e.label + ' (' + e.group + ')' : e.label;
      tb.appendChild(el('tr', null,
        el('th', {scope: 'row', text: name}),
        el('td', {text: String(e.n)}),
        el('td', {text: has ? fmt(e.slope, 3) + ci(e.slope_low, e.slope_high, 3) : '–'}),
        el('td', {text: has ? Math.pow(10, e.slope).toFixed(2) + 'x/year' +
          ci(Math.pow(10, e.slope_low), Math.pow(10, e.slope_high), 2) : '–'}),
        el('td', {text: has && e.slope > 0 ? fmt(dbl(e.slope), 1) +
          (e.slope_low > 0 ? ci(dbl(e.slope_high), dbl(e.slope_low), 1) : '') : '–'}),
        el('td', {text: has ? fmt(e.r2, 2) : '–'})));
    });
    note.textContent = (Object.keys(methods).join(' · ') ||
      'Too few systems with data in the selection to fit a trend.') +
      (api.fitSource === 'browser' ? ' ' + (fits.notable_rule || '') : '');
  }


  function render() {
    var sel = selection(systems, state);
    var rows = plotRows(sel);
    var avail = availableWidth('#chart');
    var ds = datasets(rows, sel, avail);
    var frame = ds.frame;
    delete ds.frame;
    var withData = ds.points.length;
    $('#count').textContent = withData + ' of ' + sel.length + ' selected systems have ' +
      METRIC_LABEL[state.y].toLowerCase() + (state.x !== 'year' ? ' and ' +
      METRIC_LABEL[state.x].toLowerCase() : '') + ' (' + systems.length + ' in the data)';
    var sp = specFor();
    var t0 = performance.now();
    var go;
    if (!view || viewKey !== sp.key || (ds.points.length > SVG_LIMIT) !== api.canvas ||
        Math.abs(avail - drawnWidth) > 30) {
      var spec = prepareSpec(sp.spec, avail, frame, ds.points.length > SVG_LIMIT);   // a Vega spec compiled at build time
      drawnWidth = avail;
      spec.data.forEach(function (d) { if (ds[d.name]) d.values = ds[d.name]; });
      if (view) { view.finalize(); view = null; }
      api.canvas = ds.points.length > SVG_LIMIT;
      go = vegaEmbed('#chart', spec, {
        mode: 'vega',
        renderer: api.canvas ? 'canvas' : 'svg', actions: false, ast: true, defaultStyle: false,
        tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1,
      }).then(function (res) {
        view = res.view; viewKey = sp.key; api.view = view;
        view.addEventListener('click', onClick);
        return view;
      });
    } else {
      Object.keys(ds).forEach(function (k) { view.data(k, ds[k]); });
      Object.keys(frame).forEach(function (k) { view.signal(k, frame[k]); });
      go = view.runAsync();
    }
    return go.then(function () {
      // labels were laid out for an estimated plot size: lay them out again for the real one
      if (Math.abs(view.width() - usedSize[0]) > 2 || Math.abs(view.height() - usedSize[1]) > 2) {
        // only the labels move; the points are re-encoded only if the frame changed
        var again = datasets(rows, sel, avail);
        ['labels', 'landmarks'].forEach(function (k) { view.data(k, again[k]); ds[k] = again[k]; });
        Object.keys(again.frame).forEach(function (k) {
          if (again.frame[k] !== frame[k]) view.signal(k, again.frame[k]);
        });
        frame = again.frame;
        return view.runAsync();
      }
      return view;
    }).then(function () {
      api.renderMs = performance.now() - t0;
      api.fits = lastFits.map(function (e) {
        return {label: e.label, group: e.group || 'all', n: e.n, fitted: !!e.fitted,
          slope: e.fitted ? e.slope : null, intercept: e.fitted ? e.intercept : null,
          slope_low: e.slope_low === undefined ? null : e.slope_low,
          slope_high: e.slope_high === undefined ? null : e.slope_high,
          engine: !!e.engine, method: e.method || null};
      });
      api.points = ds.points.length;
      api.landmarks = ds.landmarks.map(function (m) { return m.name; });
      api.projections = ds.proj_text.map(function (t) { return t.text; });
      api.frame = frame;
      api.state = JSON.parse(JSON.stringify(state));
      eras.placeHandles();
      fitTable();
      panel.show(ds.points);
      eras.restoreFocus();
      document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
    });
  }
  function onClick(ev, item) {
    if (!item) return;
    var role = item.mark && item.mark.role;
    if (role === 'legend-symbol' || role === 'legend-label' || role === 'legend-entry') {
      var v = item.datum && (item.datum.value || item.datum.label);
      if (AREAS.indexOf(v) < 0) return;
      state.areas = same(state.areas, [v]) ? AREAS.slice() : [v];
      syncFilterInputs(); update(false);
    } else if (item.datum && item.datum.name && item.datum.id !== undefined) {
      state.sel = state.sel === item.datum.name ? '' : item.datum.name;
      update(false);
    }
  }
  function update(fromPreset) {
    if (!fromPreset && presetSel.value !== state.preset) presetSel.value = state.preset;
    eras.eraInputs();
    writeState();
    rendering = rendering.then(render).catch(function (err) {
      api.errors.push(String(err)); say('Chart error: ' + err);
    });
    return rendering;
  }
  api.update = update;
  var eras = eraControls(function () { return view; }, update);
  var panel = selectionPanel(systems, update);
  api.setEras = function (list) { state.eras = list.slice().sort(); state.preset = ''; return update(false); };

  PROJECTION_YEARS.forEach(function (y) { $('#proj').appendChild(el('option', {value: y, text: y})); });
  $('#proj').value = state.proj;
  $('#proj').addEventListener('change', function () { state.proj = $('#proj').value; update(false); });
  $('#lm').checked = state.lm !== '0';
  $('#lm').addEventListener('change', function () { state.lm = $('#lm').checked ? '1' : '0'; update(false); });
  setupFilters(systems, function () { update(false); });
  presetSel.addEventListener('change', function () {
    var p = presets[presetSel.value];
    state.preset = presetSel.value;
    if (p) {
      state.eras = p.eras.slice(); state.x = p.x; state.y = p.y;
      state.from = p.from || ''; state.to = p.to || '';
      $('#x').value = state.x; $('#y').value = state.y;
      syncFilterInputs();
    }
    update(true);
  });
  ['x', 'y'].forEach(function (k) {
    $('#' + k).addEventListener('change', function () {
      state[k] = $('#' + k).value;
      if (state.x === state.y) { state.x = 'year'; $('#x').value = 'year'; }
      update(false);
    });
  });
  $('#frontier').addEventListener('change', function () { state.frontier = $('#frontier').value; update(false); });
  $('#era-add').addEventListener('click', function () {
    var sel = plotRows(selection(systems, state));
    var xs = sel.map(function (r) { return r.year || r.x; });
    var mid = xs.length ? (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2 : 2010;
    state.eras.push(isoOfYear(mid)); state.eras.sort(); state.preset = ''; update(false);
  });
  $('#reset').addEventListener('click', function () {
    location.href = location.pathname;
  });
  $('#copy-link').addEventListener('click', function () {
    var done = function () { say('Link copied: ' + location.href); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(location.href).then(done, function () { say(location.href); });
    } else say(location.href);
  });
  function fileBase() { return 'dlrev-' + state.y + '-vs-' + state.x; }
  $('#dl-svg').addEventListener('click', function () {
    if (!view) return;
    view.toSVG().then(function (svg) {
      download(fileBase() + '.svg', new Blob([svg], {type: 'image/svg+xml'}));
    });
  });
  $('#dl-png').addEventListener('click', function () {
    if (!view) return;
    view.toCanvas(2).then(function (canvas) {
      canvas.toBlob(function (b) { download(fileBase() + '.png', b); }, 'image/png');
    });
  });
  var resizing = null;
  window.addEventListener('resize', function () {
    eras.placeHandles();
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (Math.abs(availableWidth('#chart') - drawnWidth) > 30) update(false);
    }, 150);
  });
  return update(false);
}
