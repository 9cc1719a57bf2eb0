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
