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
    var c = $('#to-chart'); if (c) c.setAttribute('href', 'trends.html' + filt);
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
    var systems = data.systems, meta = data.meta, fits = data.fits, specs = data.vgspecs;
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
        var spec = sp.spec;   // a Vega spec (compiled at build time); fill its named data
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
              links.appendChild(el('a', {href: 'trends.html?q=' + encodeURIComponent(n) + '&sel=' + encodeURIComponent(n), text: n + ' on the chart'}));
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

  // ---------------------------------------------------------------- pages over analysis results
  // Benchmarks, Forecasts, Scaling and Lab draw what dlrev's Python modules computed
  // (data/<page>.json); this script only filters, formats and draws.
  var DOMAINS = ['vision', 'games', 'language', 'science'];
  function num(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return sci(v);
    return String(Number(v.toPrecision(4)));
  }
  function pct(v) { return v === null || v === undefined || !isFinite(v) ? '–' : Math.round(v * 100) + '%'; }
  function pageParams(defaults) {
    var p = new URLSearchParams(location.search), st = {};
    Object.keys(defaults).forEach(function (k) { st[k] = p.has(k) ? p.get(k) : defaults[k]; });
    return st;
  }
  function writeParams(st, defaults) {
    var p = new URLSearchParams();
    Object.keys(defaults).forEach(function (k) { if (st[k] !== defaults[k]) p.set(k, st[k]); });
    var q = p.toString();
    q = q ? '?' + q : '';
    if (q !== location.search) history.replaceState(null, '', location.pathname + q + location.hash);
  }
  function listOf(s) { return s ? s.split(',').filter(function (v) { return v; }) : []; }
  function embedSpec(target, spec, datasets) {
    var s = JSON.parse(JSON.stringify(spec));
    if (datasets) s.datasets = datasets;
    return vegaEmbed(target, s, {renderer: 'svg', actions: false, ast: true, defaultStyle: false,
      tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1})
      .then(function (res) { return res.view; });
  }
  // columns: [key, header, format(row) -> text | Node]
  function fillTable(sel, columns, rows, rowClass) {
    var head = $(sel + ' thead tr'), body = $(sel + ' tbody');
    if (!head.children.length) {
      columns.forEach(function (c) { head.appendChild(el('th', {scope: 'col', text: c[1]})); });
    }
    body.textContent = '';
    rows.forEach(function (r) {
      var tr = el('tr', {class: rowClass ? rowClass(r) : null});
      columns.forEach(function (c, i) {
        var v = c[2] ? c[2](r) : r[c[0]];
        var cell = el(i === 0 ? 'th' : 'td', i === 0 ? {scope: 'row'} : null);
        if (v && v.nodeType) cell.appendChild(v);
        else cell.textContent = v === null || v === undefined ? '' : String(v);
        if (c[3]) cell.className = c[3](r) || '';
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }
  function linkTo(u, text) {
    var url = safeUrl(u);
    return url ? el('a', {href: url, rel: 'noopener noreferrer', target: '_blank',
      text: text || hostOf(url)}) : null;
  }
  function fillSources(sources, method) {
    var ul = $('#sources');
    if (ul) {
      ul.textContent = '';
      sources.forEach(function (u) { var a = linkTo(u, u); if (a) ul.appendChild(el('li', null, a)); });
    }
    var s = $('#sources-summary'); if (s) s.textContent = sources.length + ' source links';
    var m = $('#method'); if (m) m.textContent = method || '';
  }
  function pageReadme(meta, what, n, sources, method) {
    var lines = ['dlrev explorer download: ' + what, '',
      n + ' rows, downloaded on ' + new Date().toISOString().slice(0, 10) +
      ' from a site built ' + meta.built + ' with dlrev ' + meta.version + '.',
      'View (the page URL that reproduces it): ' + location.href, '', 'Method', '------',
      method || '', '', 'Sources', '-------'];
    sources.forEach(function (s) { lines.push('- ' + s); });
    lines.push('', 'Licence', '-------', meta.licence, '', 'Citation (BibTeX)', '-----------------');
    lines.push(meta.citation_bibtex[0], '');
    return lines.join('\n');
  }
  function rowsCSV(rows, keys) {
    var lines = [keys.join(',')];
    rows.forEach(function (r) {
      lines.push(keys.map(function (k) {
        var v = r[k];
        return csvCell(v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
      }).join(','));
    });
    return lines.join('\n') + '\n';
  }
  function wireDownloads(base, getView, csv, json) {
    $('#dl-svg').addEventListener('click', function () {
      var v = getView(); if (!v) return;
      v.toSVG().then(function (svg) { download(base() + '.svg', new Blob([svg], {type: 'image/svg+xml'})); });
    });
    $('#dl-png').addEventListener('click', function () {
      var v = getView(); if (!v) return;
      v.toCanvas(2).then(function (c) { c.toBlob(function (b) { download(base() + '.png', b); }, 'image/png'); });
    });
    $('#dl-csv').addEventListener('click', function () {
      var z = csv();
      download(base() + '-csv.zip', zip([{name: z.name, text: z.text}, {name: 'README.txt', text: z.readme}]));
    });
    $('#dl-json').addEventListener('click', function () {
      var z = json();
      download(base() + '-json.zip', zip([{name: z.name, text: z.text}, {name: 'README.txt', text: z.readme}]));
    });
  }
  function rendered() {
    document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
  }
  function subtitle(spec, meta, extra) {
    spec.title = typeof spec.title === 'object' ? spec.title : {text: spec.title || '', anchor: 'start'};
    spec.title.subtitle = (extra ? extra + ' · ' : '') + meta.source_line;
    return spec;
  }

  // ---------------------------------------------------------------- Benchmarks page
  function benchmarksPage(data) {
    var d = data.benchmarks, meta = data.meta, specs = data.pagespecs, view = null, chain = Promise.resolve();
    meta.source_line = 'Source: dlrev curated benchmark results · built ' + meta.built;
    var defaults = {b: '', dom: DOMAINS.join(',')};
    var st = pageParams(defaults);
    var byName = {};
    d.benchmarks.forEach(function (b) { byName[b.name] = b; });
    if (st.b && !byName[st.b]) st.b = '';
    var sel = $('#bench');
    d.benchmarks.forEach(function (b) {
      sel.appendChild(el('option', {value: b.name, text: b.name + ' (' + b.domain + ', ' + b.metric + ')'}));
    });
    sel.value = st.b;
    fillCheckboxes($('#domains'), 'dom', DOMAINS, listOf(st.dom));
    fillSources(d.sources, d.method);
    $('#sat-method').textContent = 'Method: ' + d.saturation.method + '.';
    function label(p) { return p.series ? p.benchmark + ' · ' + p.series : p.benchmark; }
    function unitOf(b) { return b && b.unit ? (b.unit === '%' ? '%' : ' ' + b.unit) : ''; }
    function rowsNow() {
      var doms = listOf(st.dom);
      if (!st.b) return d.points.filter(function (p) { var b = byName[p.benchmark]; return b && doms.indexOf(b.domain) >= 0; });
      return d.points.filter(function (p) { return p.benchmark === st.b; });
    }
    function render() {
      var spec, ds, rows = rowsNow(), info;
      if (!st.b) {
        var prog = rows.filter(function (p) { return p.best_progress !== null; });
        var labels = {};
        ds = {curves: prog.map(function (p) {
          labels[label(p)] = true;
          var b = byName[p.benchmark];
          return {label: label(p), x: p.years_since_intro, y: p.best_progress, record: p.record,
            system: p.system, date: p.date, shown: num(p.value) + unitOf(b), pct: pct(p.best_progress),
            desc: label(p) + ': ' + p.system + ', ' + p.date + ', ' + pct(p.best_progress) + ' of the way'};
        }), refs: [{y: 0, label: 'chance (0)'}, {y: 1, label: 'human expert, or ceiling (1)'}]};
        spec = subtitle(JSON.parse(JSON.stringify(specs['benchmark-progress'])), meta);
        var none = d.benchmarks.filter(function (b) {
          return listOf(st.dom).indexOf(b.domain) >= 0 && !d.points.some(function (p) { return p.benchmark === b.name && p.best_progress !== null; });
        }).map(function (b) { return b.name; });
        var past = {};
        prog.forEach(function (p) { if (p.best_progress > 1.3) past[label(p)] = Math.max(past[label(p)] || 0, p.best_progress); });
        var pastText = Object.keys(past).map(function (k) { return k + ' (' + pct(past[k]) + ')'; });
        info = Object.keys(labels).length + ' curves' + (pastText.length ? '. Beyond 130%, drawn at the top edge: ' + pastText.join(', ') : '') + (none.length ? '. Without a human level or ceiling, so shown only on their own: ' + none.join(', ') : '') + '.';
        $('#count').textContent = prog.length + ' results on ' + Object.keys(labels).length + ' benchmark curves';
      } else {
        var b = byName[st.b], u = unitOf(b);
        ds = {results: rows.map(function (p) {
          return {x: p.years_since_intro, value: p.value, best: p.best, record: p.record,
            series: p.series || b.name, system: p.system, date: p.date, setting: p.setting || '',
            host: hostOf(p.source_url), shown: num(p.value) + u,
            desc: p.system + ', ' + p.date + ', ' + num(p.value) + u};
        }), refs: b.refs.filter(function (r) { return !(b.scale === 'log' && r.value <= 0); }).map(function (r) {
          return {value: r.value, text: r.label + ': ' + num(r.value) + u + (r.who ? ' (' + r.who + ')' : '')};
        })};
        spec = subtitle(JSON.parse(JSON.stringify(specs[b.scale === 'log' ? 'benchmark-values-log' : 'benchmark-values'])), meta,
          'introduced ' + b.introduced);
        spec.title.text = b.name + ': ' + b.metric + (b.direction === 'lower' ? ' (lower is better)' : '');
        spec.layer.forEach(function (l) {
          if (l.encoding.y && l.encoding.y.title) l.encoding.y.title = b.metric + (b.unit ? ' (' + b.unit + ')' : '') + (b.scale === 'log' ? ', log scale' : '');
        });
        info = b.measures + '. ' + (b.notes || '');
        $('#count').textContent = rows.length + ' results';
      }
      $('#bench-info').textContent = info;
      $('#bench-info').appendChild(document.createTextNode(' '));
      if (st.b && byName[st.b].source_url) $('#bench-info').appendChild(linkTo(byName[st.b].source_url, 'benchmark source'));
      writeParams(st, defaults);
      var satRows = d.saturation.rows.filter(function (r) {
        return st.b ? r.benchmark === st.b : listOf(st.dom).indexOf(r.domain) >= 0;
      });
      fillTable('#sat-table', [
        ['benchmark', 'Benchmark', function (r) {
          var btn = el('button', {type: 'button', class: 'link', text: r.benchmark + (r.series ? ' · ' + r.series : '')});
          btn.addEventListener('click', function () { st.b = r.benchmark; sel.value = st.b; update(); });
          return btn;
        }],
        ['introduced', 'Introduced'],
        ['start', 'Start', function (r) { return r.start === null ? '–' : num(r.start) + ' (' + r.start_kind + ')'; }],
        ['target', 'Target', function (r) { return r.target === null ? 'none' : num(r.target) + ' (' + r.target_kind + ')'; }],
        ['best_value', 'Best so far', function (r) { return r.best_value === null ? '–' : num(r.best_value) + ' · ' + r.best_system + ' · ' + r.best_date; }],
        ['progress_now', 'Progress now', function (r) { return pct(r.progress_now); }],
        ['years_to_50', 'Years to 50%', function (r) { return r.years_to_50 === null ? '–' : r.years_to_50.toFixed(1); }],
        ['years_to_80', 'Years to 80%', function (r) { return r.years_to_80 === null ? '–' : r.years_to_80.toFixed(1); }],
        ['years_to_90', 'Years to 90%', function (r) { return r.years_to_90 === null ? '–' : r.years_to_90.toFixed(1) + ' (' + r.date_90 + ')'; }],
      ], satRows);
      api.state = JSON.parse(JSON.stringify(st));
      api.shown = st.b ? ds.results.length : ds.curves.length;
      return embedSpec('#chart', spec, ds).then(function (v) {
        if (view) view.finalize();
        view = v; api.view = v; rendered();
      });
    }
    function update() {
      chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
      return chain;
    }
    sel.addEventListener('change', function () { st.b = sel.value; update(); });
    $('#domains').addEventListener('change', function () { st.dom = checkedValues($('#domains')).join(','); update(); });
    api.getState = function () { return JSON.parse(JSON.stringify(st)); };
    var keys = ['benchmark', 'series', 'date', 'years_since_intro', 'system', 'value', 'best', 'record', 'progress', 'best_progress', 'setting', 'source_url'];
    wireDownloads(function () { return 'dlrev-benchmarks' + (st.b ? '-' + st.b.replace(/[^A-Za-z0-9]+/g, '-') : ''); },
      function () { return view; },
      function () { var r = rowsNow(); return {name: 'benchmark_results.csv', text: rowsCSV(r, keys), readme: pageReadme(meta, 'benchmark results (CSV)', r.length, d.sources, d.method)}; },
      function () { var r = rowsNow(); return {name: 'benchmarks.json', text: JSON.stringify({results: r, saturation: d.saturation.rows.filter(function (s) { return !st.b || s.benchmark === st.b; }), benchmarks: d.benchmarks.filter(function (b) { return !st.b || b.name === st.b; })}, null, 1), readme: pageReadme(meta, 'benchmark results (JSON)', r.length, d.sources, d.method)}; });
    return update();
  }

  // ---------------------------------------------------------------- Forecasts page
  function forecastsPage(data) {
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
        ['kind', 'Event'], ['method', 'Method'],
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

  // ---------------------------------------------------------------- Scaling page
  function scalingPage(data) {
    var d = data.scaling, meta = data.meta, specs = data.pagespecs, view = null, view2 = null;
    var chain = Promise.resolve();
    meta.source_line = 'Source: ' + d.sets.map(function (s) { return s.source.split(',')[0]; }).join('; ') + ' · dlrev ' + meta.version;
    var names = d.sets.map(function (s) { return s.name; });
    var computes = [];
    d.frontier.forEach(function (f) {
      var e = Math.log10(f.compute);
      if (Math.abs(e - Math.round(e)) < 1e-9 && computes.indexOf(f.compute) < 0) computes.push(f.compute);
    });
    var defaults = {sets: names.join(','), c: computes.indexOf(1e24) >= 0 ? '1e24' : sci(computes[0])};
    var st = pageParams(defaults);
    fillCheckboxes($('#sets'), 'set', names, listOf(st.sets));
    var bsel = $('#budget');
    computes.forEach(function (c) { bsel.appendChild(el('option', {value: '1e' + Math.round(Math.log10(c)), text: sci(c).replace('.0e', 'e') + ' FLOP'})); });
    if (!computes.some(function (c) { return Math.abs(c - Number(st.c)) / c < 1e-9; })) st.c = defaults.c;
    bsel.value = st.c;
    fillSources(d.sets.map(function (s) { return s.source; }).concat([d.chinchilla_source]), d.method);
    var links = $('#sources');
    links.textContent = '';
    d.sets.forEach(function (s) { links.appendChild(el('li', {text: s.name + ': ' + s.source})); });
    links.appendChild(el('li', {text: 'Data of the Chinchilla runs: ' + d.chinchilla_source}));
    $('#sources-summary').textContent = (d.sets.length + 1) + ' sources';
    function render() {
      var shown = listOf(st.sets);
      var order = {};
      names.forEach(function (n, i) { order[n] = i; });
      var curves = [];
      d.iso.forEach(function (r) {
        if (shown.indexOf(r.params) < 0) return;
        curves.push({set: r.params, order: order[r.params], kind: 'iso', what: 'N = ' + sci(r.N).replace('.0e', 'e'), N: r.N,
          lc: Math.log10(r.compute), loss: r.loss, compute_text: sci(r.compute) + ' FLOP', loss_text: r.loss.toFixed(3)});
      });
      var optimal = [];
      d.frontier.forEach(function (r) {
        if (shown.indexOf(r.params) < 0) return;
        curves.push({set: r.params, order: order[r.params], kind: 'frontier', what: 'compute-optimal frontier', N: 0,
          lc: Math.log10(r.compute), loss: r.loss, compute_text: sci(r.compute) + ' FLOP', loss_text: r.loss.toFixed(3)});
        [['N', 'N (parameters)'], ['D', 'D (tokens)']].forEach(function (q) {
          optimal.push({set: r.params, key: r.params + q[0], quantity: q[1], lc: Math.log10(r.compute), lv: Math.log10(r[q[0]]),
            compute_text: sci(r.compute) + ' FLOP', value_text: sci(r[q[0]]), tpp: r.tokens_per_param.toFixed(1)});
        });
      });
      (d.points || []).forEach(function (p) {
        shown.forEach(function (s) {
          curves.push({set: s, order: order[s], kind: 'run', what: 'training run', N: p.N, lc: Math.log10(p.C), loss: p.loss,
            compute_text: sci(p.C) + ' FLOP', loss_text: p.loss.toFixed(3)});
        });
      });
      var budget = Number(st.c);
      fillTable('#sets-table', [
        ['name', 'Parameter set'], ['E', 'E', function (s) { return num(s.E); }], ['A', 'A', function (s) { return num(s.A); }],
        ['B', 'B', function (s) { return num(s.B); }], ['alpha', 'α', function (s) { return num(s.alpha); }],
        ['beta', 'β', function (s) { return num(s.beta); }], ['a', 'a (N ∝ Cᵃ)', function (s) { return s.a.toFixed(3); }],
        ['b', 'b (D ∝ Cᵇ)', function (s) { return s.b.toFixed(3); }],
        ['opt', 'At ' + sci(budget) + ' FLOP: N, D, tokens/param, loss', function (s) {
          var o = d.frontier.filter(function (f) { return f.params === s.name && Math.abs(f.compute - budget) / budget < 1e-9; })[0];
          return o ? sci(o.N) + ' params, ' + sci(o.D) + ' tokens, ' + o.tokens_per_param.toFixed(1) + ', ' + o.loss.toFixed(3) : '–';
        }],
        ['source', 'Source'],
      ], d.sets, function (s) { return shown.indexOf(s.name) >= 0 ? 'current' : null; });
      writeParams(st, defaults);
      api.state = JSON.parse(JSON.stringify(st));
      api.curves = curves.length;
      var s1 = subtitle(JSON.parse(JSON.stringify(specs['scaling-iso'])), meta);
      var s2 = subtitle(JSON.parse(JSON.stringify(specs['scaling-optimal'])), meta);
      return Promise.all([embedSpec('#chart', s1, {curves: curves}), embedSpec('#chart2', s2, {optimal: optimal})])
        .then(function (vs) {
          if (view) view.finalize();
          if (view2) view2.finalize();
          view = vs[0]; view2 = vs[1]; api.view = view; api.view2 = view2; rendered();
        });
    }
    function update() {
      chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
      return chain;
    }
    $('#sets').addEventListener('change', function () { st.sets = checkedValues($('#sets')).join(','); update(); });
    bsel.addEventListener('change', function () { st.c = bsel.value; update(); });
    api.getState = function () { return JSON.parse(JSON.stringify(st)); };
    var keys = ['params', 'compute', 'N', 'D', 'tokens_per_param', 'loss', 'a', 'b'];
    wireDownloads(function () { return 'dlrev-scaling'; }, function () { return view; },
      function () { return {name: 'frontier.csv', text: rowsCSV(d.frontier, keys), readme: pageReadme(meta, 'compute-optimal frontier (CSV)', d.frontier.length, d.sets.map(function (s) { return s.source; }), d.method)}; },
      function () { return {name: 'scaling.json', text: JSON.stringify(d, null, 1), readme: pageReadme(meta, 'scaling page data (JSON)', d.frontier.length + d.iso.length, d.sets.map(function (s) { return s.source; }), d.method)}; });
    return update();
  }

  // ---------------------------------------------------------------- Lab page
  function labPage(data) {
    var d = data.lab, meta = data.meta, view = null, chain = Promise.resolve();
    var corpus = d.corpus || {};
    meta.source_line = 'dlrev scaling lab · corpus: ' + (corpus.name || '?') + ' · ' + (d.complete ? 'finished' : 'unfinished') + ' sweep';
    var defaults = {chart: 'size', m: ''};
    var st = pageParams(defaults);
    if (!d.charts[st.chart]) st.chart = 'size';
    $('#which').value = st.chart;
    var man = d.manifest || {};
    $('#lab-info').textContent = d.models.length + ' models trained on ' + (corpus.source || corpus.name || 'a corpus') +
      (corpus.characters ? ' (' + corpus.characters.toLocaleString('en') + ' characters, vocabulary ' + corpus.vocab_size + ')' : '') +
      (man.family ? '; family "' + man.family + '"' : '') + (man.device ? ' on ' + man.device : '') +
      (d.complete ? '.' : '; the sweep has not finished, so the fits cover the models done so far.');
    var methods = {};
    Object.keys(d.fits).forEach(function (k) { methods[d.fits[k].method] = true; });
    fillSources([], 'Fits: ' + Object.keys(methods).join('; ') + '. Read by dlrev.lab.show from ' + d.folder + '.');
    var srcList = $('#sources');
    if (corpus.source) srcList.appendChild(el('li', {text: 'Corpus: ' + corpus.source}));
    $('#sources-summary').textContent = 'Corpus and code';
    srcList.appendChild(el('li', {text: 'Models and training: dlrev.lab (GPT, char-LSTM, Kneser-Ney n-grams), dlrev ' + meta.version}));
    var FIT_LABEL = {params_power: 'loss vs parameters', params_floor: 'loss vs parameters',
      frontier_power: 'compute frontier', frontier_floor: 'compute frontier'};
    fillTable('#lab-fits', [
      ['key', 'What', function (r) { return FIT_LABEL[r.key] || r.key; }], ['formula', 'Law'],
      ['alpha', 'α [interval]', function (r) { return r.alpha.toFixed(3) + (r.alpha_low !== null && r.alpha_high !== null ? ' [' + r.alpha_low.toFixed(3) + ', ' + r.alpha_high.toFixed(3) + ']' : ''); }],
      ['r2', 'R²', function (r) { return r.r2 === null ? '–' : r.r2.toFixed(3); }],
      ['n_points', 'Points'], ['method', 'Method'],
    ], Object.keys(d.fits).map(function (k) { var o = JSON.parse(JSON.stringify(d.fits[k])); o.key = k; return o; }));
    $('#lab-notes').textContent = (d.notes || []).join(' ');
    function showSample(name) {
      st.m = name; writeParams(st, defaults); api.state = JSON.parse(JSON.stringify(st));
      document.querySelectorAll('.sample').forEach(function (s) {
        s.classList.toggle('current', s.getAttribute('data-model') === name);
      });
      var card = $('.sample.current');
      if (card && card.scrollIntoView) card.scrollIntoView({block: 'nearest'});
    }
    fillTable('#lab-models', [
      ['name', 'Model', function (r) {
        var b = el('button', {type: 'button', class: 'link', text: r.name});
        b.addEventListener('click', function () { showSample(r.name); });
        return b;
      }], ['kind', 'Kind'],
      ['size', 'Size', function (r) { return num(r.size) + (r.kind === 'ngram' ? ' entries' : ' params'); }],
      ['val_loss', 'Validation loss (nats/char)', function (r) { return r.val_loss.toFixed(3); }],
      ['steps', 'Steps', function (r) { return r.steps === null ? '–' : String(r.steps); }],
      ['seconds', 'Seconds', function (r) { return r.seconds.toFixed(1); }],
    ], d.models);
    var box = $('#samples');
    d.samples.forEach(function (s) {
      box.appendChild(el('article', {class: 'sample', 'data-model': s.name},
        el('h3', {text: s.name + ' · ' + num(s.size) + (/gram/.test(s.name) ? ' entries' : ' params') +
          (s.val_loss !== null ? ' · val ' + s.val_loss.toFixed(3) : '')}),
        el('pre', {text: s.text})));
    });
    function render() {
      writeParams(st, defaults);
      api.state = JSON.parse(JSON.stringify(st));
      var spec = subtitle(JSON.parse(JSON.stringify(d.charts[st.chart])), meta);
      spec.width = 900;
      spec.height = 340;
      return embedSpec('#chart', spec).then(function (v) {
        if (view) view.finalize();
        view = v; api.view = v;
        if (st.m) showSample(st.m);
        rendered();
      });
    }
    function update() {
      chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
      return chain;
    }
    $('#which').addEventListener('change', function () { st.chart = $('#which').value; update(); });
    api.getState = function () { return JSON.parse(JSON.stringify(st)); };
    var keys = ['name', 'kind', 'size', 'val_loss', 'steps', 'tokens_per_s', 'seconds'];
    var srcs = corpus.source ? ['Corpus: ' + corpus.source] : [];
    wireDownloads(function () { return 'dlrev-lab-' + st.chart; }, function () { return view; },
      function () { return {name: 'models.csv', text: rowsCSV(d.models, keys), readme: pageReadme(meta, 'lab models (CSV)', d.models.length, srcs, $('#method').textContent)}; },
      function () { return {name: 'lab.json', text: JSON.stringify({manifest: d.manifest, models: d.models, fits: d.fits, frontier: d.frontier, samples: d.samples}, null, 1), readme: pageReadme(meta, 'lab results (JSON)', d.models.length, srcs, $('#method').textContent)}; });
    return update();
  }

  // ---------------------------------------------------------------- start
  function start() {
    document.querySelectorAll('form').forEach(function (f) {
      f.addEventListener('submit', function (ev) { ev.preventDefault(); });
    });
    state = readState();
    api.getState = function () { return JSON.parse(JSON.stringify(state)); };
    var need = {trends: ['systems', 'meta', 'fits', 'vgspecs'], data: ['systems', 'meta'],
      timeline: ['milestones', 'systems', 'meta'], benchmarks: ['benchmarks', 'meta', 'pagespecs'],
      forecasts: ['forecasts', 'meta', 'pagespecs'], scaling: ['scaling', 'meta', 'pagespecs'],
      lab: ['lab', 'meta']}[page];
    if (!need) { api.ready = true; document.body.setAttribute('data-rendered', '1'); return; }
    Promise.all(need.map(function (n) { return getJSON('data/' + n + '.json'); }))
      .then(function (vals) {
        var data = {};
        need.forEach(function (n, i) { data[n] = vals[i]; });
        api.data = data;
        var pages = {trends: trendsPage, data: dataPage, timeline: timelinePage,
          benchmarks: benchmarksPage, forecasts: forecastsPage, scaling: scalingPage, lab: labPage};
        return pages[page](data);
      })
      .then(function () { api.ready = true; })
      .catch(function (err) { api.errors.push(String(err)); say('Could not load the data: ' + err); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
