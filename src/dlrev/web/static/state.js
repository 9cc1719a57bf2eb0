/* The page state <-> the URL query string. */
import {$, AREAS, CONFS, LANES, page, same, validIso} from './util.js';

// ---------------------------------------------------------------- state <-> URL
export var DEFAULTS = {x: 'year', y: 'compute', preset: 'epoch', eras: null, areas: AREAS.slice(),
  conf: CONFS.slice(), q: '', org: '', from: '', to: '', frontier: '', sel: '',
  sort: 'date', dir: 'desc', p: 1, lanes: LANES.slice(), sub: ''};
export var state = null;
export var presets = {};
// Importers see these through live bindings; only these two functions assign them.
export function initState() { state = readState(); return state; }
export function setPresets(p) { presets = p || {}; }

export function listParam(params, key, allowed, dflt) {
  if (!params.has(key)) return dflt.slice();
  var raw = params.get(key);
  if (raw === '' || raw === 'none') return [];
  return raw.split(',').filter(function (v) { return allowed.indexOf(v) >= 0; });
}
export function readState() {
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
  trends: ['preset', 'y', 'x', 'eras'].concat(FILTER_KEYS, ['frontier', 'sel']),
  data: FILTER_KEYS.concat(['sort', 'dir', 'p']),
  timeline: ['lanes', 'sub'],
};
export function writeState() {
  var keys = PAGE_KEYS[page] || [];
  var q = stateQuery(state, keys);
  if (q !== location.search && !(q === '' && location.search === '')) {
    history.replaceState(null, '', location.pathname + q + location.hash);
  }
  var filt = stateQuery(state, FILTER_KEYS);
  var t = $('#to-table'); if (t) t.setAttribute('href', 'data.html' + filt);
  var c = $('#to-chart'); if (c) c.setAttribute('href', 'index.html' + filt);
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
export function listOf(s) { return s ? s.split(',').filter(function (v) { return v; }) : []; }
