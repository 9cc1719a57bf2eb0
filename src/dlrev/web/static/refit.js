import {decYear} from './util.js';
/* The browser's trend refit: OLS of log10 values on the decimal year, percentile bootstrap. */


// ---------------------------------------------------------------- statistics
export function ols(xs, ys) {
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
export function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    var t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function quantile(sorted, q) {   // numpy's default (linear) percentile
  if (!sorted.length) return NaN;
  var pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
export function bootstrap(xs, ys, B, seed) {
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
export var LOG2 = Math.log10(2);
export function growthText(slope, lo, hi, monthDays) {
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

// The residual standard deviation of a fit (log10 units), for prediction bands.
export function residualSd(xs, ys, f) {
  if (xs.length < 3) return 0;
  var sse = 0;
  for (var i = 0; i < xs.length; i++) {
    var d = ys[i] - (f.intercept + f.slope * xs[i]); sse += d * d;
  }
  return Math.sqrt(sse / (xs.length - 2));
}
// The browser's refit, with the engine's default conventions: eras closed on the left,
// OLS of log10(y) on the decimal year, percentile bootstrap (seed 0), notable-only rule.
export function refitEras(rows, sel, eraIsos, ci, B) {
  if (rows.length < 1) return [];
  var anyN = false, allN = true;
  sel.forEach(function (s) { if (s.notable) anyN = true; else allN = false; });
  var useRows = anyN && !allN ? rows.filter(function (r) { return r.notable; }) : rows;
  var xmin = Infinity, xmax = -Infinity;
  useRows.forEach(function (r) { if (r.x < xmin) xmin = r.x; if (r.x > xmax) xmax = r.x; });
  var bounds = eraIsos.filter(function (iso) {
    var v = decYear(iso); return v > xmin && v <= xmax;
  });
  var edges = [null].concat(bounds, [null]);
  var out = [];
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
      era.sigma = residualSd(xs, ys, f);
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
