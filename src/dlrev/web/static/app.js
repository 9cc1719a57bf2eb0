/* dlrev explorer: the page controller (filters, URL state, in-browser refits, table, timeline).
 * Written for dlrev; no third-party code. Every data string reaches the page through
 * textContent or an attribute set by the DOM API, never through innerHTML. */
(function () {
  'use strict';

  var AREAS = ['vision', 'games', 'language', 'science', 'other'];
  var LANES = ['vision', 'games', 'language', 'science'];
  var CONFS = ['confident', 'likely', 'speculative', 'unknown'];
  var METRIC_LABEL = {compute: 'Training compute', parameters: 'Parameters',
    dataset_size: 'Dataset size', year: 'Publication date'};
  var METRIC_UNIT = {compute: 'FLOP', parameters: '', dataset_size: ''};
  var PAGE_SIZE = 50;
  var SVG_LIMIT = 5000;   // above this many marks the chart draws on a canvas
  var page = document.body.getAttribute('data-page');
  var api = window.dlrevExplorer = {ready: false, errors: []};

  // ---------------------------------------------------------------- small helpers
  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'class') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
  function hostOf(u) {
    var m = safeUrl(u) ? /^https?:\/\/([^/?#]+)/i.exec(u) : null;
    return m ? m[1] : '';
  }
  function say(msg) { var s = $('#status'); if (s) s.textContent = msg; }
  function getJSON(path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }
  var SUP = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
  function sci(v) {
    if (v === null || v === undefined || !isFinite(v)) return '';
    if (v === 0) return '0';
    var e = Math.floor(Math.log10(Math.abs(v)));
    var m = v / Math.pow(10, e);
    var t = m.toFixed(1);
    if (t === '10.0') { t = '1.0'; e += 1; }
    if (e >= -2 && e <= 3) return String(Math.round(v * 100) / 100);
    return t + 'e' + e;
  }
  function fmt(v, d) { return v === null || v === undefined || !isFinite(v) ? '–' : v.toFixed(d); }
  function isLeap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
  // year + (day_of_year - 1) / days_in_year, as dlrev.schema.decimal_year
  function decYear(iso) {
    var p = iso.split('-').map(Number);
    var doy = (Date.UTC(p[0], p[1] - 1, p[2]) - Date.UTC(p[0], 0, 1)) / 86400000 + 1;
    return p[0] + (doy - 1) / (isLeap(p[0]) ? 366 : 365);
  }
  function isoOfYear(v) {
    var y = Math.floor(v);
    var days = isLeap(y) ? 366 : 365;
    var doy = Math.min(days, Math.max(1, Math.round((v - y) * days) + 1));
    return new Date(Date.UTC(y, 0, doy)).toISOString().slice(0, 10);
  }
  function validIso(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s)); }

  // ---------------------------------------------------------------- state <-> URL
  var DEFAULTS = {x: 'year', y: 'compute', preset: 'epoch', eras: null, areas: AREAS.slice(),
    conf: CONFS.slice(), q: '', org: '', from: '', to: '', frontier: '', sel: '',
    sort: 'date', dir: 'desc', p: 1, lanes: LANES.slice(), sub: ''};
  var state = null;
  var presets = {};

  function listParam(params, key, allowed, dflt) {
    if (!params.has(key)) return dflt.slice();
    var raw = params.get(key);
    if (raw === '' || raw === 'none') return [];
    return raw.split(',').filter(function (v) { return allowed.indexOf(v) >= 0; });
  }
  function readState() {
    var p = new URLSearchParams(location.search);
    var s = JSON.parse(JSON.stringify(DEFAULTS));
    if (['year', 'parameters', 'compute'].indexOf(p.get('x')) >= 0) s.x = p.get('x');
    if (['compute', 'parameters', 'dataset_size'].indexOf(p.get('y')) >= 0) s.y = p.get('y');
    if (s.x === s.y) s.x = 'year';
    if (p.has('preset')) s.preset = p.get('preset');
    if (p.has('eras')) {
      var raw = p.get('eras');
      s.eras = raw === '' || raw === 'none' ? [] : raw.split(',').filter(validIso).sort();
    }
    s.areas = listParam(p, 'areas', AREAS, DEFAULTS.areas);
    s.conf = listParam(p, 'conf', CONFS, DEFAULTS.conf);
    s.lanes = listParam(p, 'lanes', LANES, DEFAULTS.lanes);
    ['q', 'org', 'sel', 'sub'].forEach(function (k) { if (p.has(k)) s[k] = p.get(k); });
    ['from', 'to'].forEach(function (k) { if (p.has(k) && validIso(p.get(k))) s[k] = p.get(k); });
    if (['ring', 'only'].indexOf(p.get('frontier')) >= 0) s.frontier = p.get('frontier');
    if (p.has('sort')) s.sort = p.get('sort');
    if (p.get('dir') === 'asc') s.dir = 'asc';
    if (p.has('p')) s.p = Math.max(1, parseInt(p.get('p'), 10) || 1);
    return s;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function stateQuery(s, keys) {
    var p = new URLSearchParams();
    keys.forEach(function (k) {
      var v = s[k];
      if (k === 'eras') {
        var pe = s.preset && presets[s.preset] ? presets[s.preset].eras : null;
        if (v !== null && !(pe && same(v, pe))) p.set('eras', v.length ? v.join(',') : 'none');
        return;
      }
      if ((k === 'from' || k === 'to') && s.preset && presets[s.preset] &&
          (presets[s.preset][k] || '') === v) return;
      if (same(v, DEFAULTS[k])) return;
      if (Array.isArray(v)) p.set(k, v.length ? v.join(',') : 'none');
      else p.set(k, String(v));
    });
    var q = p.toString();
    return q ? '?' + q : '';
  }
  var FILTER_KEYS = ['areas', 'conf', 'q', 'org', 'from', 'to'];
  var PAGE_KEYS = {
    trends: ['preset', 'y', 'x', 'eras'].concat(FILTER_KEYS, ['frontier', 'sel']),
    data: FILTER_KEYS.concat(['sort', 'dir', 'p']),
    timeline: ['lanes', 'sub'],
  };
  function writeState() {
    var keys = PAGE_KEYS[page] || [];
    var q = stateQuery(state, keys);
    if (q !== location.search && !(q === '' && location.search === '')) {
      history.replaceState(null, '', location.pathname + q + location.hash);
    }
    var filt = stateQuery(state, FILTER_KEYS);
    var t = $('#to-table'); if (t) t.setAttribute('href', 'data.html' + filt);
    var c = $('#to-chart'); if (c) c.setAttribute('href', 'index.html' + filt);
  }

  // ---------------------------------------------------------------- filtering
  function matches(s, st) {
    if (st.areas.indexOf(s.area) < 0) return false;
    if (st.conf.indexOf(s.confidence || 'unknown') < 0) return false;
    if (st.from && s.date < st.from) return false;
    if (st.to && s.date >= st.to) return false;
    if (st.org && (s.org || '').toLowerCase().indexOf(st.org.toLowerCase()) < 0) return false;
    if (st.q) {
      var hay = s._hay || (s._hay = [s.name, s.org, s.task, s.domain].join(' ').toLowerCase());
      if (hay.indexOf(st.q.toLowerCase()) < 0) return false;
    }
    return true;
  }
  function selection(systems, st) { return systems.filter(function (s) { return matches(s, st); }); }

  // ---------------------------------------------------------------- statistics
  function ols(xs, ys) {
    var n = xs.length, mx = 0, my = 0, i;
    for (i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
    mx /= n; my /= n;
    var sxx = 0, sxy = 0, syy = 0;
    for (i = 0; i < n; i++) {
      var dx = xs[i] - mx, dy = ys[i] - my;
      sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
    }
    if (sxx === 0) return null;
    var slope = sxy / sxx;
    var r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
    return {slope: slope, intercept: my - slope * mx, r2: r2, n: n};
  }
  function mulberry32(a) {
    return function () {
      a |= 0; a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function quantile(sorted, q) {   // numpy's default (linear) percentile
    if (!sorted.length) return NaN;
    var pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
  function bootstrap(xs, ys, B, seed) {
    var rnd = mulberry32(seed), n = xs.length, out = [];
    var bx = new Float64Array(n), by = new Float64Array(n);
    for (var b = 0; b < B; b++) {
      for (var i = 0; i < n; i++) {
        var j = Math.floor(rnd() * n); bx[i] = xs[j]; by[i] = ys[j];
      }
      var f = ols(bx, by);
      if (f) out.push(f);
    }
    return out;
  }
  var LOG2 = Math.log10(2);
  function growthText(slope, lo, hi, monthDays) {
    var md = monthDays || 365.25 / 12;
    var dbl = function (v) { return LOG2 / v * 365.25 / md; };
    var d = dbl(slope);
    var txt = Math.pow(10, slope).toFixed(1) + 'x/year';
    if (slope > 0) {
      txt += ', doubling every ' + d.toFixed(1) + ' months';
      if (lo !== null && hi !== null && isFinite(lo) && isFinite(hi) && lo > 0) {
        txt += ' [' + dbl(hi).toFixed(1) + ', ' + dbl(lo).toFixed(1) + ']';
      }
    } else {
      txt += ' (no growth)';
    }
    return txt;
  }

  // ---------------------------------------------------------------- downloads
  function download(name, blob) {
    var url = URL.createObjectURL(blob);
    var a = el('a', {href: url, download: name});
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }
  var CRC = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();
  function crc32(bytes) {
    var c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }
  // A zip archive with stored (uncompressed) entries: [{name, text}] -> Blob
  function zip(entries) {
    var enc = new TextEncoder(), parts = [], central = [], offset = 0;
    entries.forEach(function (e) {
      var name = enc.encode(e.name), data = enc.encode(e.text), crc = crc32(data);
      var h = new DataView(new ArrayBuffer(30));
      h.setUint32(0, 0x04034b50, true); h.setUint16(4, 20, true); h.setUint16(6, 0x0800, true);
      h.setUint16(8, 0, true); h.setUint16(10, 0, true); h.setUint16(12, 0x21, true);
      h.setUint32(14, crc, true); h.setUint32(18, data.length, true);
      h.setUint32(22, data.length, true); h.setUint16(26, name.length, true);
      parts.push(h.buffer, name, data);
      var c = new DataView(new ArrayBuffer(46));
      c.setUint32(0, 0x02014b50, true); c.setUint16(4, 20, true); c.setUint16(6, 20, true);
      c.setUint16(8, 0x0800, true); c.setUint16(14, 0x21, true);
      c.setUint32(16, crc, true); c.setUint32(20, data.length, true);
      c.setUint32(24, data.length, true); c.setUint16(28, name.length, true);
      c.setUint32(42, offset, true);
      central.push(c.buffer, name);
      offset += 30 + name.length + data.length;
    });
    var size = central.reduce(function (a, b) { return a + b.byteLength; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true); end.setUint16(8, entries.length, true);
    end.setUint16(10, entries.length, true); end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return new Blob(parts.concat(central, [end.buffer]), {type: 'application/zip'});
  }
  var CSV_COLS = [['name', 'name'], ['organization', 'org'], ['date', 'date'], ['year', 'year'],
    ['domain', 'domain'], ['area', 'area'], ['task', 'task'], ['compute', 'compute'],
    ['parameters', 'parameters'], ['dataset_size', 'dataset_size'],
    ['dataset_unit', 'dataset_unit'], ['confidence', 'confidence'], ['frontier', 'frontier'],
    ['source_url', 'url'], ['origin', 'origin']];
  function csvCell(v) {
    if (v === null || v === undefined) return '';
    var s = String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCSV(rows) {
    var lines = [CSV_COLS.map(function (c) { return c[0]; }).join(',')];
    rows.forEach(function (r) {
      lines.push(CSV_COLS.map(function (c) { return csvCell(r[c[1]]); }).join(','));
    });
    return lines.join('\n') + '\n';
  }
  function cleanRecord(r) {
    var o = {};
    CSV_COLS.forEach(function (c) { o[c[0]] = r[c[1]] === undefined ? null : r[c[1]]; });
    return o;
  }
  function readme(meta, n, what) {
    var lines = ['dlrev explorer download: ' + what, '',
      n + ' systems selected on ' + new Date().toISOString().slice(0, 10) +
      ' from a site built ' + meta.built + ' with dlrev ' + meta.version + '.',
      'Selection (the page URL that reproduces it): ' + location.href, '',
      'Systems table: ' + meta.systems_source, '', 'Sources', '-------'];
    meta.sources.forEach(function (s) { lines.push('- ' + s); });
    lines.push('', 'Each row carries its own source URL (column source_url).', '', 'Licence',
      '-------', meta.licence, '', 'Columns', '-------',
      'name, organization, date (ISO), year (decimal year used by fits), domain, area,',
      'task, compute (training FLOP), parameters (count), dataset_size (in dataset_unit),',
      'confidence, frontier, source_url, origin.', '', 'Citation (BibTeX)', '--------');
    meta.citation_bibtex.forEach(function (b) { lines.push(b, ''); });
    return lines.join('\n');
  }

  // ---------------------------------------------------------------- shared controls
  function fillCheckboxes(box, name, values, checked, labels) {
    values.forEach(function (v) {
      var id = name + '-' + v;
      var input = el('input', {type: 'checkbox', id: id, name: name, value: v});
      input.checked = checked.indexOf(v) >= 0;
      box.appendChild(el('span', {class: 'check'}, input,
        el('label', {for: id, text: labels ? labels[v] : v})));
    });
  }
  function checkedValues(box) {
    return Array.prototype.filter.call(box.querySelectorAll('input[type=checkbox]'),
      function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function setupFilters(systems, onChange) {
    var areas = $('#areas'), confs = $('#confs');
    if (areas) fillCheckboxes(areas, 'area', AREAS, state.areas);
    if (confs) fillCheckboxes(confs, 'conf', CONFS, state.conf,
      {confident: 'confident', likely: 'likely', speculative: 'speculative',
        unknown: 'unknown or not given'});
    var orgs = {};
    systems.forEach(function (s) {
      (s.org || '').split(',').forEach(function (o) { o = o.trim(); if (o) orgs[o] = (orgs[o] || 0) + 1; });
    });
    var dl = $('#orgs');
    if (dl) {
      Object.keys(orgs).sort(function (a, b) { return orgs[b] - orgs[a]; }).slice(0, 300)
        .forEach(function (o) { dl.appendChild(el('option', {value: o})); });
    }
    ['q', 'org', 'from', 'to'].forEach(function (k) {
      var input = $('#' + k);
      if (!input) return;
      input.value = state[k];
      input.addEventListener(k === 'q' || k === 'org' ? 'input' : 'change', function () {
        if ((k === 'from' || k === 'to') && input.value && !validIso(input.value)) return;
        state[k] = input.value; state.p = 1; onChange();
      });
    });
    if (areas) areas.addEventListener('change', function () {
      state.areas = checkedValues(areas); state.p = 1; onChange();
    });
    if (confs) confs.addEventListener('change', function () {
      state.conf = checkedValues(confs); state.p = 1; onChange();
    });
  }
  function syncFilterInputs() {
    ['q', 'org', 'from', 'to'].forEach(function (k) { var i = $('#' + k); if (i) i.value = state[k]; });
    [['#areas', 'areas'], ['#confs', 'conf']].forEach(function (pair) {
      var box = $(pair[0]);
      if (!box) return;
      box.querySelectorAll('input[type=checkbox]').forEach(function (i) {
        i.checked = state[pair[1]].indexOf(i.value) >= 0;
      });
    });
  }

  // ---------------------------------------------------------------- Trends page
  function trendsPage(data) {
    var systems = data.systems, meta = data.meta, fits = data.fits, specs = data.specs;
    presets = fits.presets || {};
    var view = null, viewKey = null, lastFits = [], rendering = Promise.resolve();
    var presetSel = $('#preset');
    Object.keys(presets).forEach(function (k) {
      presetSel.appendChild(el('option', {value: k, text: presets[k].label}));
    });
    if (state.preset && !presets[state.preset]) state.preset = '';
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
        rows.push({id: s.id, name: s.name, org: s.org || '', date: s.date, area: s.area,
          notable: !!s.notable,
          confidence: s.confidence || 'unknown', host: hostOf(s.url), x: xv, y: Math.log10(yv),
          ty: sci(yv) + (METRIC_UNIT[ym] ? ' ' + METRIC_UNIT[ym] : '') +
            (ym === 'dataset_size' && s.dataset_unit ? ' ' + s.dataset_unit : ''),
          tx: xm === 'year' ? '' : sci(s[xm]),
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
    // The browser's refit, with the engine's default conventions: eras closed on the left,
    // OLS of log10(y) on the decimal year, percentile bootstrap (seed 0), notable-only rule.
    function browserFits(rows, sel) {
      if (state.x !== 'year' || rows.length < 1) return [];
      var anyN = false, allN = true;
      sel.forEach(function (s) { if (s.notable) anyN = true; else allN = false; });
      var useRows = anyN && !allN ? rows.filter(function (r) { return r.notable; }) : rows;
      var xmin = Infinity, xmax = -Infinity;
      useRows.forEach(function (r) { if (r.x < xmin) xmin = r.x; if (r.x > xmax) xmax = r.x; });
      var bounds = state.eras.filter(function (iso) {
        var v = decYear(iso); return v > xmin && v <= xmax;
      });
      var edges = [null].concat(bounds, [null]);
      var ci = fits.ci || 0.9, B = fits.bootstrap || 1000, out = [];
      for (var e = 0; e + 1 < edges.length; e++) {
        var lo = edges[e] === null ? -Infinity : decYear(edges[e]);
        var hi = edges[e + 1] === null ? Infinity : decYear(edges[e + 1]);
        var xs = [], ys = [];
        useRows.forEach(function (r) { if (r.x >= lo && r.x < hi) { xs.push(r.x); ys.push(r.y); } });
        var era = {label: (edges[e] || 'start') + ' to ' + (edges[e + 1] || 'end'), group: 'all',
          start: edges[e], end: edges[e + 1], n: xs.length, fitted: false, draw: true, ci: ci,
          month_days: 365.25 / 12,
          method: 'browser refit: OLS of log10 values on the decimal year; ' +
            Math.round(ci * 100) + '% percentile interval from ' + B + ' bootstrap resamples'};
        var f = xs.length >= 3 ? ols(xs, ys) : null;
        if (f) {
          era.fitted = true;
          era.slope = f.slope; era.intercept = f.intercept; era.r2 = f.r2;
          var boots = bootstrap(xs, ys, B, 0);
          var sl = boots.map(function (q) { return q.slope; }).sort(function (a, c) { return a - c; });
          era.slope_low = quantile(sl, (1 - ci) / 2);
          era.slope_high = quantile(sl, 1 - (1 - ci) / 2);
          era.x_first = Math.min.apply(null, xs); era.x_last = Math.max.apply(null, xs);
          var band = [], G = 24;
          for (var g = 0; g <= G; g++) {
            var gx = era.x_first + (era.x_last - era.x_first) * g / G;
            var vals = boots.map(function (q) { return q.intercept + q.slope * gx; })
              .sort(function (a, c) { return a - c; });
            band.push([gx, quantile(vals, (1 - ci) / 2), quantile(vals, 1 - (1 - ci) / 2)]);
          }
          era.band = band;
        }
        out.push(era);
      }
      return out;
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
    function datasets(rows, sel) {
      var rec = recordSetters(rows);
      var shown = state.frontier === 'only' ? rows.filter(function (r) { return rec[r.id]; }) : rows;
      var rings = shown.filter(function (r) {
        return (state.frontier && rec[r.id]) || (state.sel && r.name === state.sel);
      });
      var eng = matchesPreset();
      lastFits = eng ? engineFits(eng) : browserFits(shown, sel);
      api.fitSource = eng ? 'engine' : 'browser';
      var lineRows = [], bandRows = [], labelRows = [], drawn = 0;
      var xlo = Infinity, xhi = -Infinity;
      shown.forEach(function (r) { if (r.x < xlo) xlo = r.x; if (r.x > xhi) xhi = r.x; });
      var margin = (xhi - xlo) * 0.17;
      var clampX = function (v) { return Math.min(xhi - margin, Math.max(xlo + margin, v)); };
      lastFits.forEach(function (e, i) {
        if (!e.fitted || !e.draw) return;
        var key = 'fit' + i;
        lineRows.push({era: key, kind: 'fit', x: e.x_first, y: e.intercept + e.slope * e.x_first});
        lineRows.push({era: key, kind: 'fit', x: e.x_last, y: e.intercept + e.slope * e.x_last});
        (e.band || []).forEach(function (b) {
          if (b[1] !== null && b[2] !== null) bandRows.push({era: key, x: b[0], lo: b[1], hi: b[2]});
        });
        var name = e.group && e.group !== 'all' ? e.label + ', ' + e.group : e.label;
        labelRows.push({x: clampX((e.x_first + e.x_last) / 2), py: 4 + (drawn % 2) * 30,
          text: [name + ' (n=' + e.n + ')',
            growthText(e.slope, e.slope_low, e.slope_high, e.month_days)]});
        drawn += 1;
      });
      return {points: shown, rings: rings, eras: eraRects(shown), lines: lineRows,
        bands: bandRows, labels: labelRows};
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

    function placeHandles() {
      var box = $('#handles');
      box.textContent = '';
      $('#eras').hidden = state.x !== 'year';
      if (!view || state.x !== 'year') return;
      var xs = view.scale('x');
      if (!xs) return;
      var target = $('#chart svg, #chart canvas');
      if (!target) return;
      var origin = view.origin();
      var wrap = $('.chart-wrap').getBoundingClientRect();
      var tr = target.getBoundingClientRect();
      var left0 = tr.left - wrap.left + origin[0], top0 = tr.top - wrap.top + origin[1];
      var dom = xs.domain(), h = view.height();
      state.eras.forEach(function (iso, i) {
        var v = decYear(iso);
        if (v <= dom[0] || v >= dom[1]) return;
        var hd = el('div', {class: 'handle', role: 'slider', tabindex: '0',
          'aria-label': 'Era boundary ' + (i + 1), 'aria-valuetext': iso,
          'aria-valuemin': String(Math.floor(dom[0])), 'aria-valuemax': String(Math.ceil(dom[1])),
          'aria-valuenow': v.toFixed(3), 'data-index': String(i), title: 'Drag to move: ' + iso});
        hd.style.left = (left0 + xs(v)) + 'px';
        hd.style.top = top0 + 'px';
        hd.style.height = h + 'px';
        box.appendChild(hd);
        var dragging = false;
        hd.addEventListener('pointerdown', function (ev) {
          dragging = true; hd.setPointerCapture(ev.pointerId); ev.preventDefault();
        });
        hd.addEventListener('pointermove', function (ev) {
          if (!dragging) return;
          var wr = $('.chart-wrap').getBoundingClientRect();
          var px = ev.clientX - wr.left - left0;
          var yv = Math.min(dom[1], Math.max(dom[0], xs.invert(px)));
          hd.style.left = (left0 + xs(yv)) + 'px';
          hd.setAttribute('data-pending', isoOfYear(yv));
        });
        var finish = function () {
          if (!dragging) return;
          dragging = false;
          var iso2 = hd.getAttribute('data-pending');
          if (iso2) setEra(i, iso2);
        };
        hd.addEventListener('pointerup', finish);
        hd.addEventListener('pointercancel', finish);
        hd.addEventListener('keydown', function (ev) {
          var step = ev.shiftKey ? 1 : 1 / 12;
          if (ev.key === 'ArrowLeft' || ev.key === 'ArrowDown') setEra(i, isoOfYear(v - step), true);
          else if (ev.key === 'ArrowRight' || ev.key === 'ArrowUp') setEra(i, isoOfYear(v + step), true);
          else return;
          ev.preventDefault();
        });
      });
    }
    function eraInputs() {
      var box = $('#era-inputs');
      box.textContent = '';
      state.eras.forEach(function (iso, i) {
        var id = 'era-' + i;
        var input = el('input', {type: 'date', id: id, value: iso, 'data-index': String(i)});
        input.addEventListener('change', function () {
          if (validIso(input.value)) setEra(i, input.value);
        });
        var rm = el('button', {type: 'button', class: 'small', 'aria-label': 'Remove boundary ' + (i + 1), text: '×'});
        rm.addEventListener('click', function () {
          state.eras.splice(i, 1); state.preset = ''; update(false);
        });
        box.appendChild(el('span', {class: 'era-input'},
          el('label', {for: id, text: 'Boundary ' + (i + 1)}), input, rm));
      });
    }
    var refocus = null;
    function setEra(i, iso, keepFocus) {
      state.eras[i] = iso;
      state.eras.sort();
      state.preset = '';
      refocus = keepFocus ? state.eras.indexOf(iso) : null;
      update(false);
    }

    function showSelected() {
      var box = $('#selected');
      var s = null;
      if (state.sel) systems.forEach(function (x) { if (x.name === state.sel) s = x; });
      box.textContent = '';
      if (!s) { box.hidden = true; return; }
      box.hidden = false;
      var dl = el('dl');
      [['Organization', s.org], ['Date', s.date], ['Domain', s.domain],
        ['Training compute', s.compute ? sci(s.compute) + ' FLOP' : null],
        ['Parameters', s.parameters ? sci(s.parameters) : null],
        ['Dataset size', s.dataset_size ? sci(s.dataset_size) + ' ' + (s.dataset_unit || '') : null],
        ['Confidence', s.confidence], ['Task', s.task]].forEach(function (kv) {
        if (kv[1] === null || kv[1] === undefined || kv[1] === '') return;
        dl.appendChild(el('dt', {text: kv[0]})); dl.appendChild(el('dd', {text: kv[1]}));
      });
      var close = el('button', {type: 'button', class: 'small', text: 'Close'});
      close.addEventListener('click', function () { state.sel = ''; update(false); });
      var url = safeUrl(s.url);
      box.appendChild(el('h2', {text: s.name}));
      box.appendChild(dl);
      if (url) box.appendChild(el('p', null, el('a', {href: url, rel: 'noopener noreferrer',
        target: '_blank', text: 'Source: ' + hostOf(url)})));
      box.appendChild(close);
    }

    function render() {
      var sel = selection(systems, state);
      var rows = plotRows(sel);
      var ds = datasets(rows, sel);
      var withData = ds.points.length;
      $('#count').textContent = withData + ' of ' + sel.length + ' selected systems have ' +
        METRIC_LABEL[state.y].toLowerCase() + (state.x !== 'year' ? ' and ' +
        METRIC_LABEL[state.x].toLowerCase() : '') + ' (' + systems.length + ' in the data)';
      var sp = specFor();
      var t0 = performance.now();
      var go;
      if (!view || viewKey !== sp.key || (ds.points.length > SVG_LIMIT) !== api.canvas) {
        var spec = sp.spec;
        spec.datasets = ds;
        if (view) { view.finalize(); view = null; }
        api.canvas = ds.points.length > SVG_LIMIT;
        go = vegaEmbed('#chart', spec, {
          renderer: api.canvas ? 'canvas' : 'svg', actions: false, ast: true, defaultStyle: false,
          tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1,
        }).then(function (res) {
          view = res.view; viewKey = sp.key; api.view = view;
          view.addEventListener('click', onClick);
          return view;
        });
      } else {
        Object.keys(ds).forEach(function (k) { view.data(k, ds[k]); });
        go = view.runAsync();
      }
      return go.then(function () {
        api.renderMs = performance.now() - t0;
        api.fits = lastFits.map(function (e) {
          return {label: e.label, group: e.group || 'all', n: e.n, fitted: !!e.fitted,
            slope: e.fitted ? e.slope : null, intercept: e.fitted ? e.intercept : null,
            slope_low: e.slope_low === undefined ? null : e.slope_low,
            slope_high: e.slope_high === undefined ? null : e.slope_high,
            engine: !!e.engine, method: e.method || null};
        });
        api.points = ds.points.length;
        api.state = JSON.parse(JSON.stringify(state));
        placeHandles();
        fitTable();
        showSelected();
        if (refocus !== null) {
          var h = $('.handle[data-index="' + refocus + '"]'); if (h) h.focus();
          refocus = null;
        }
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
      eraInputs();
      writeState();
      rendering = rendering.then(render).catch(function (err) {
        api.errors.push(String(err)); say('Chart error: ' + err);
      });
      return rendering;
    }
    api.update = update;
    api.setEras = function (list) { state.eras = list.slice().sort(); state.preset = ''; return update(false); };

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
    window.addEventListener('resize', function () { placeHandles(); });
    return update(false);
  }

  // ---------------------------------------------------------------- Data page
  var COLUMNS = [
    ['name', 'System'], ['org', 'Organization'], ['date', 'Date'], ['area', 'Domain'],
    ['compute', 'Training compute (FLOP)'], ['parameters', 'Parameters'],
    ['dataset_size', 'Dataset size'], ['confidence', 'Confidence'], ['url', 'Source']];
  function dataPage(data) {
    var systems = data.systems, meta = data.meta, current = [];
    var head = $('#table thead tr');
    COLUMNS.forEach(function (c) {
      var th = el('th', {scope: 'col', 'data-col': c[0]});
      if (c[0] === 'url') th.textContent = c[1];
      else {
        var b = el('button', {type: 'button', class: 'sort', text: c[1]});
        b.addEventListener('click', function () {
          if (state.sort === c[0]) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
          else { state.sort = c[0]; state.dir = c[0] === 'name' || c[0] === 'org' ? 'asc' : 'desc'; }
          state.p = 1; render();
        });
        th.appendChild(b);
      }
      head.appendChild(th);
    });
    function cmp(a, b) {
      var k = state.sort, va = a[k], vb = b[k];
      var na = va === null || va === undefined || va === '', nb = vb === null || vb === undefined || vb === '';
      if (na && nb) return 0;
      if (na) return 1;     // blanks last in either direction
      if (nb) return -1;
      var r = typeof va === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return state.dir === 'asc' ? r : -r;
    }
    function render() {
      current = selection(systems, state).slice().sort(cmp);
      var pages = Math.max(1, Math.ceil(current.length / PAGE_SIZE));
      if (state.p > pages) state.p = pages;
      var rows = current.slice((state.p - 1) * PAGE_SIZE, state.p * PAGE_SIZE);
      var tb = $('#table tbody');
      tb.textContent = '';
      rows.forEach(function (s) {
        var tr = el('tr');
        COLUMNS.forEach(function (c) {
          var v = s[c[0]];
          if (c[0] === 'name') { tr.appendChild(el('th', {scope: 'row', text: v})); return; }
          if (c[0] === 'url') {
            var u = safeUrl(v);
            tr.appendChild(el('td', null, u ? el('a', {href: u, rel: 'noopener noreferrer', target: '_blank', text: hostOf(u)}) : null));
            return;
          }
          var t = typeof v === 'number' ? sci(v) : (v || '');
          if (c[0] === 'dataset_size' && v && s.dataset_unit) t += ' ' + s.dataset_unit;
          tr.appendChild(el('td', {text: t, class: typeof v === 'number' ? 'num' : null}));
        });
        tb.appendChild(tr);
      });
      document.querySelectorAll('#table thead th').forEach(function (th) {
        var k = th.getAttribute('data-col');
        th.setAttribute('aria-sort', k === state.sort ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      });
      $('#count').textContent = current.length + ' of ' + systems.length + ' systems';
      $('#pageinfo').textContent = 'Page ' + state.p + ' of ' + pages;
      $('#prev').disabled = state.p <= 1;
      $('#next').disabled = state.p >= pages;
      writeState();
      api.rows = rows.length; api.selected = current.length; api.state = JSON.parse(JSON.stringify(state));
      document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
    }
    setupFilters(systems, render);
    $('#prev').addEventListener('click', function () { state.p -= 1; render(); });
    $('#next').addEventListener('click', function () { state.p += 1; render(); });
    $('#dl-csv').addEventListener('click', function () {
      download('dlrev-systems-selection.zip', zip([
        {name: 'systems.csv', text: toCSV(current)},
        {name: 'README.txt', text: readme(meta, current.length, 'systems (CSV)')}]));
    });
    $('#dl-json').addEventListener('click', function () {
      download('dlrev-systems-selection-json.zip', zip([
        {name: 'systems.json', text: JSON.stringify(current.map(cleanRecord), null, 1)},
        {name: 'README.txt', text: readme(meta, current.length, 'systems (JSON)')}]));
    });
    api.selectionCSV = function () { return toCSV(current); };
    api.readme = function () { return readme(meta, current.length, 'systems (CSV)'); };
    render();
  }

  // ---------------------------------------------------------------- Timeline page
  function timelinePage(data) {
    var ms = data.milestones, names = {};
    data.systems.forEach(function (s) { names[s.name] = true; });
    fillCheckboxes($('#lanes'), 'lane', LANES, state.lanes);
    var subs = {};
    ms.forEach(function (m) { if (m.subarea) subs[m.subarea] = true; });
    var subSel = $('#subarea');
    Object.keys(subs).sort().forEach(function (s) { subSel.appendChild(el('option', {value: s, text: s})); });
    subSel.value = subs[state.sub] ? state.sub : '';
    function render() {
      var box = $('#timeline');
      box.textContent = '';
      var lanes = LANES.filter(function (l) { return state.lanes.indexOf(l) >= 0; });
      box.style.setProperty('--lanes', String(Math.max(1, lanes.length)));
      var headRow = el('div', {class: 'tl-row tl-head', role: 'presentation'}, el('div', {class: 'tl-year'}));
      lanes.forEach(function (l) { headRow.appendChild(el('div', {class: 'tl-lane lane-' + l, role: 'heading', 'aria-level': '2', text: l})); });
      box.appendChild(headRow);
      var shown = ms.filter(function (m) {
        return lanes.indexOf(m.domain) >= 0 && (!state.sub || m.subarea === state.sub);
      });
      var years = {};
      shown.forEach(function (m) { var y = m.date.slice(0, 4); (years[y] = years[y] || []).push(m); });
      Object.keys(years).sort().forEach(function (y) {
        var row = el('div', {class: 'tl-row', role: 'presentation'}, el('div', {class: 'tl-year', text: y}));
        lanes.forEach(function (l) {
          var cell = el('div', {class: 'tl-cell lane-' + l, role: 'presentation'});
          years[y].filter(function (m) { return m.domain === l; }).forEach(function (m) {
            var card = el('article', {class: 'card', role: 'listitem', id: 'm-' + m.id},
              el('time', {datetime: m.date, text: m.date}),
              el('h3', {text: m.title}),
              m.headline ? el('p', {class: 'headline', text: m.headline}) : null,
              el('p', {text: m.summary}),
              el('p', {class: 'sub', text: m.subarea}));
            var links = el('p', {class: 'links'});
            var u = safeUrl(m.url);
            if (u) links.appendChild(el('a', {href: u, rel: 'noopener noreferrer', target: '_blank', text: 'source'}));
            m.systems.forEach(function (n) {
              if (!names[n]) return;
              links.appendChild(document.createTextNode(' · '));
              links.appendChild(el('a', {href: 'index.html?q=' + encodeURIComponent(n) + '&sel=' + encodeURIComponent(n), text: n + ' on the chart'}));
            });
            card.appendChild(links);
            cell.appendChild(card);
          });
          row.appendChild(cell);
        });
        box.appendChild(row);
      });
      if (!shown.length) box.appendChild(el('p', {class: 'note', text: 'No milestones in this selection.'}));
      $('#count').textContent = shown.length + ' of ' + ms.length + ' milestones';
      writeState();
      api.cards = shown.length; api.state = JSON.parse(JSON.stringify(state));
      document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
    }
    $('#lanes').addEventListener('change', function () { state.lanes = checkedValues($('#lanes')); render(); });
    subSel.addEventListener('change', function () { state.sub = subSel.value; render(); });
    render();
  }

  // ---------------------------------------------------------------- start
  function start() {
    document.querySelectorAll('form').forEach(function (f) {
      f.addEventListener('submit', function (ev) { ev.preventDefault(); });
    });
    state = readState();
    api.getState = function () { return JSON.parse(JSON.stringify(state)); };
    var need = {trends: ['systems', 'meta', 'fits', 'specs'], data: ['systems', 'meta'],
      timeline: ['milestones', 'systems', 'meta']}[page];
    if (!need) { api.ready = true; document.body.setAttribute('data-rendered', '1'); return; }
    Promise.all(need.map(function (n) { return getJSON('data/' + n + '.json'); }))
      .then(function (vals) {
        var data = {};
        need.forEach(function (n, i) { data[n] = vals[i]; });
        api.data = data;
        var p = page === 'trends' ? trendsPage(data) : page === 'data' ? dataPage(data) : timelinePage(data);
        return p;
      })
      .then(function () { api.ready = true; })
      .catch(function (err) { api.errors.push(String(err)); say('Could not load the data: ' + err); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
