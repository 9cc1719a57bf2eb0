/* The page state <-> the URL query string. */
import {$, AREAS, CONFS, LANES, page, same, validIso} from './util.js';

// ---------------------------------------------------------------- state <-> URL
export var DEFAULTS = {x: 'year', y: 'compute', preset: 'epoch', eras: null, areas: AREAS.slice(),
  conf: CONFS.slice(), q: '', org: '', from: '', to: '', frontier: '', sel: '',
  sort: 'date', dir: 'desc', p: 1, lanes: LANES.slice(), sub: '', proj: '', lm: '1'};
export var PROJECTION_YEARS = ['2027', '2030', '2035', '2040'];
export var state = null;
export var presets = {};
// Importers see these through live bindings; only these two functions assign them.
export function initState() { state = readState(); return state; }
export function setPresets(p) { presets = p || {}; }

// What a link asked for that this page could not use: shown to the reader in one sentence,
// and the defaults are used instead (never an empty chart from a stale or mistyped link).
export var ignored = [];
var KEY_WORDS = {areas: 'domains', conf: 'confidence levels', lanes: 'lanes', eras: 'era boundaries',
  x: 'x axis', y: 'y axis', from: 'start date', to: 'end date', frontier: 'highlight',
  preset: 'preset', sort: 'sort column', sel: 'selected system', b: 'benchmark', dom: 'domains',
  sets: 'parameter sets', c: 'compute budget', chart: 'chart', kinds: 'kinds'};
export function ignore(key, values, why) {
  ignored.push({key: key, values: values, why: why});
  var main = $('main');
  if (!main) return;
  var box = $('#url-notice');
  if (!box) {
    box = document.createElement('p');
    box.id = 'url-notice'; box.className = 'notice'; box.setAttribute('role', 'status');
    main.insertBefore(box, main.firstChild);
  }
  box.textContent = 'Part of this link was not understood and was ignored: ' +
    ignored.map(function (g) {
      return (KEY_WORDS[g.key] || g.key) + ' ' + g.values.map(function (v) {
        return '\u201c' + v + '\u201d'; }).join(', ') + ' (' + g.why + ')';
    }).join('; ') + '. Showing the defaults for those instead.';
}
function uses(key) { return (PAGE_KEYS[page] || []).indexOf(key) >= 0; }
// A comma-separated list: unknown values are dropped and named; if none is left, the default.
export function listParam(params, key, allowed, dflt, why) {
  if (!params.has(key)) return dflt.slice();
  var raw = params.get(key);
  if (raw === '' || raw === 'none') return [];
  var vals = raw.split(',');
  var good = vals.filter(function (v) { return allowed.indexOf(v) >= 0; });
  var bad = vals.filter(function (v) { return allowed.indexOf(v) < 0; });
  if (bad.length && uses(key)) ignore(key, bad, why || 'not one of ' + allowed.join(', '));
  return good.length ? good : dflt.slice();
}
function oneOf(p, s, key, allowed) {
  if (!p.has(key)) return;
  if (allowed.indexOf(p.get(key)) >= 0) s[key] = p.get(key);
  else if (uses(key)) ignore(key, [p.get(key)], 'not one of ' + allowed.join(', '));
}
export function readState() {
  var p = new URLSearchParams(location.search);
  var s = JSON.parse(JSON.stringify(DEFAULTS));
  oneOf(p, s, 'x', ['year', 'parameters', 'compute']);
  oneOf(p, s, 'y', ['compute', 'parameters', 'dataset_size']);
  if (s.x === s.y) s.x = 'year';
  if (p.has('preset')) s.preset = p.get('preset');
  if (p.has('eras')) {
    var raw = p.get('eras');
    var vals = raw === '' || raw === 'none' ? [] : raw.split(',');
    var bad = vals.filter(function (v) { return !validIso(v); });
    s.eras = vals.filter(validIso).sort();
    if (bad.length) {
      if (uses('eras')) ignore('eras', bad, 'not a date written YYYY-MM-DD');
      if (!s.eras.length) s.eras = null;   // the preset's boundaries
    }
  }
  s.areas = listParam(p, 'areas', AREAS, DEFAULTS.areas, 'not a domain; the domains are ' + AREAS.join(', '));
  s.conf = listParam(p, 'conf', CONFS, DEFAULTS.conf);
  s.lanes = listParam(p, 'lanes', LANES, DEFAULTS.lanes);
  ['q', 'org', 'sel', 'sub'].forEach(function (k) { if (p.has(k)) s[k] = p.get(k); });
  ['from', 'to'].forEach(function (k) {
    if (!p.has(k)) return;
    if (validIso(p.get(k))) s[k] = p.get(k);
    else if (uses(k)) ignore(k, [p.get(k)], 'not a date written YYYY-MM-DD');
  });
  oneOf(p, s, 'frontier', ['ring', 'only']);
  oneOf(p, s, 'proj', PROJECTION_YEARS);
  oneOf(p, s, 'lm', ['0', '1']);
  if (p.has('sort')) s.sort = p.get('sort');
  if (p.get('dir') === 'asc') s.dir = 'asc';
  if (p.has('p')) s.p = Math.max(1, parseInt(p.get('p'), 10) || 1);
  return s;
}
export function stateQuery(s, keys) {
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
export var FILTER_KEYS = ['areas', 'conf', 'q', 'org', 'from', 'to'];
export var PAGE_KEYS = {
  trends: ['preset', 'y', 'x', 'eras'].concat(FILTER_KEYS, ['frontier', 'sel', 'proj', 'lm']),
  data: FILTER_KEYS.concat(['sort', 'dir', 'p']),
};
export function writeState() {
  var keys = PAGE_KEYS[page] || [];
  var q = stateQuery(state, keys);
  if (q !== location.search && !(q === '' && location.search === '')) {
    history.replaceState(null, '', location.pathname + q + location.hash);
  }
  var filt = stateQuery(state, FILTER_KEYS);
  var t = $('#to-table'); if (t) t.setAttribute('href', 'data.html' + filt);
  var c = $('#to-chart'); if (c) c.setAttribute('href', trendsHref() + filt);
}

export function pageParams(defaults) {
  var p = new URLSearchParams(location.search), st = {};
  Object.keys(defaults).forEach(function (k) { st[k] = p.has(k) ? p.get(k) : defaults[k]; });
  return st;
}
export function writeParams(st, defaults) {
  var p = new URLSearchParams();
  Object.keys(defaults).forEach(function (k) { if (st[k] !== defaults[k]) p.set(k, st[k]); });
  var q = p.toString();
  q = q ? '?' + q : '';
  if (q !== location.search) history.replaceState(null, '', location.pathname + q + location.hash);
}
// A comma-separated URL value of a page over analysis results, checked against what exists.
export function validList(value, allowed, dflt, key, why) {
  if (value === dflt || value === '' || value === 'none') return value;
  var vals = listOf(value);
  var bad = vals.filter(function (v) { return allowed.indexOf(v) < 0; });
  if (!bad.length) return value;
  ignore(key, bad, why);
  var good = vals.filter(function (v) { return allowed.indexOf(v) >= 0; });
  return good.length ? good.join(',') : dflt;
}
// Where the Trends page lives, as the site's navigation says (index.html or trends.html).
export function trendsHref() {
  var a = $('header nav a[data-nav="trends"]');
  return a ? a.getAttribute('href') : 'index.html';
}
export function listOf(s) { return s ? s.split(',').filter(function (v) { return v; }) : []; }
