/* Small helpers shared by every page: DOM building, number and date formatting. */


export var AREAS = ['vision', 'games', 'language', 'science', 'other'];
export var LANES = ['vision', 'games', 'language', 'science'];
export var DOMAINS = LANES;   // the domains with benchmarks
export var CONFS = ['confident', 'likely', 'speculative', 'unknown'];
export var METRIC_LABEL = {compute: 'Training compute', parameters: 'Parameters',
  dataset_size: 'Dataset size', year: 'Publication date'};
export var METRIC_UNIT = {compute: 'FLOP', parameters: '', dataset_size: ''};
export var PAGE_SIZE = 50;
export var SVG_LIMIT = 800;   // above this many marks the chart draws on a canvas (faster)
export var page = document.body.getAttribute('data-page');
export var api = window.dlrevExplorer = {ready: false, errors: []};

// ---------------------------------------------------------------- small helpers
export function $(sel, root) { return (root || document).querySelector(sel); }
export function el(tag, attrs) {
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
export function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
export function hostOf(u) {
  var m = safeUrl(u) ? /^https?:\/\/([^/?#]+)/i.exec(u) : null;
  return m ? m[1] : '';
}
export function say(msg) { var s = $('#status'); if (s) s.textContent = msg; }
export function getJSON(path) {
  return fetch(path).then(function (r) {
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  });
}
export var SUP = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
export function sci(v) {
  if (v === null || v === undefined || !isFinite(v)) return '';
  if (v === 0) return '0';
  var e = Math.floor(Math.log10(Math.abs(v)));
  var m = v / Math.pow(10, e);
  var t = m.toFixed(1);
  if (t === '10.0') { t = '1.0'; e += 1; }
  if (e >= -2 && e <= 3) return String(Math.round(v * 100) / 100);
  return t + 'e' + e;
}
export function fmt(v, d) { return v === null || v === undefined || !isFinite(v) ? '–' : v.toFixed(d); }
export function isLeap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
// year + (day_of_year - 1) / days_in_year, as dlrev.schema.decimal_year
export function decYear(iso) {
  var p = iso.split('-').map(Number);
  var doy = (Date.UTC(p[0], p[1] - 1, p[2]) - Date.UTC(p[0], 0, 1)) / 86400000 + 1;
  return p[0] + (doy - 1) / (isLeap(p[0]) ? 366 : 365);
}
export function isoOfYear(v) {
  var y = Math.floor(v);
  var days = isLeap(y) ? 366 : 365;
  var doy = Math.min(days, Math.max(1, Math.round((v - y) * days) + 1));
  return new Date(Date.UTC(y, 0, doy)).toISOString().slice(0, 10);
}
export function validIso(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s)); }

export function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
export function num(v) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  var a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return sci(v);
  return String(Number(v.toPrecision(4)));
}
export function pct(v) { return v === null || v === undefined || !isFinite(v) ? '–' : Math.round(v * 100) + '%'; }
export function rendered() {
  document.body.setAttribute('data-rendered', String((api.renders = (api.renders || 0) + 1)));
}
