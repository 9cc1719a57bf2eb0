/* What the Trends chart draws besides the points, laid out in pixels so that nothing covers
 * anything else: the frame (axis domains), era labels, landmark labels and projections.
 * Pure functions of the rows and the plot's size; the page module feeds them to Vega. */
import {growthText} from './refit.js';
import {sci} from './util.js';

var ERA_ROW_PX = 30;     // two 14 px lines of an era label
var ERA_CHAR_PX = 6.8;   // bold 11.5 px text, an estimate that errs wide
var MARK_CHAR_PX = 6.1;  // 11 px text
var Z = {0.8: 1.2816, 0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758};

function eraName(e) { return e.group && e.group !== 'all' ? e.label + ', ' + e.group : e.label; }

// The x domain: the data, the projection's year, and a little air on both sides.
export function xFrame(points, toYear) {
  var lo = Infinity, hi = -Infinity;
  points.forEach(function (r) { if (r.x < lo) lo = r.x; if (r.x > hi) hi = r.x; });
  if (!isFinite(lo)) { lo = 1950; hi = 2030; }
  if (toYear && toYear > hi) hi = toYear;
  var pad = Math.max((hi - lo) * 0.015, 0.05);
  return [lo - pad, hi + pad];
}

// Era labels in rows above the data: a label goes to the first row where it overlaps nothing,
// and never past the plot's edges. Returns the label rows and how many rows were used.
export function eraLabels(fits, xdom, plotW) {
  var placed = [], out = [], rows = 0;
  var px = function (x) { return (x - xdom[0]) / (xdom[1] - xdom[0]) * plotW; };
  fits.forEach(function (e) {
    if (!e.fitted || !e.draw) return;
    var text = [eraName(e) + ' (n=' + e.n + ')', growthText(e.slope, e.slope_low, e.slope_high, e.month_days)];
    var w = Math.min(plotW, Math.max(text[0].length, text[1].length) * ERA_CHAR_PX);
    var c = Math.min(plotW - w / 2, Math.max(w / 2, px((e.x_first + e.x_last) / 2)));
    var row = 0;
    while (placed.some(function (p) { return p.row === row && c - w / 2 < p.hi + 8 && c + w / 2 > p.lo - 8; })) row += 1;
    placed.push({row: row, lo: c - w / 2, hi: c + w / 2});
    rows = Math.max(rows, row + 1);
    out.push({x: xdom[0] + c / plotW * (xdom[1] - xdom[0]), py: 4 + row * ERA_ROW_PX, text: text});
  });
  return {rows: out, n: rows};
}

// The y domain: every point, band and projection inside the frame, with headroom on top for
// the era labels (so they never sit on a point).
export function yFrame(values, labelRows, plotH) {
  var lo = Infinity, hi = -Infinity;
  values.forEach(function (v) { if (v !== null && isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } });
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  var span = Math.max(hi - lo, 1);
  lo -= span * 0.03;
  hi += span * 0.03;               // a mark's radius
  var top = labelRows ? labelRows * ERA_ROW_PX + 10 : 0;
  if (top) hi += (hi - lo) * top / Math.max(plotH - top, 60);
  return [lo, hi];
}

// Landmark names beside their marks: right of the mark if it fits, else left; above, else below;
// a name that would cover another name or leave the plot is not drawn.
export function landmarkLabels(points, names, xdom, ydom, plotW, plotH, topPx) {
  // a landmark is found by its name, else as the first version of it ('GPT-4 (Mar 2023)')
  var byName = {}, marks = [];
  points.forEach(function (r) { byName[r.name] = r; });
  names.forEach(function (n) {
    var hit = byName[n];
    if (!hit) {
      points.forEach(function (r) {
        if (r.name.indexOf(n + ' (') === 0 && (!hit || r.x < hit.x)) hit = r;
      });
    }
    if (hit) marks.push({name: n, x: hit.x, y: hit.y});
  });
  marks.sort(function (a, b) { return a.x - b.x; });
  var boxes = [], out = [];
  var sx = plotW / (xdom[1] - xdom[0]), sy = plotH / (ydom[1] - ydom[0]);
  marks.forEach(function (r) {
    var px = (r.x - xdom[0]) * sx, py = (ydom[1] - r.y) * sy;
    var w = r.name.length * MARK_CHAR_PX, h = 13;
    var tries = [[7, -9], [7, 9], [-7 - w, -9], [-7 - w, 9], [7, -22], [-7 - w, 22]];
    for (var i = 0; i < tries.length; i++) {
      var bx = px + tries[i][0], by = py + tries[i][1] - h / 2;
      if (bx < 0 || bx + w > plotW || by < topPx || by + h > plotH) continue;
      var hit = boxes.some(function (b) { return bx < b[2] && bx + w > b[0] && by < b[3] && by + h > b[1]; });
      if (hit) continue;
      boxes.push([bx, by, bx + w, by + h]);
      // anchored at the side that faces the mark, so the name sits 7 px from it whatever the
      // font's real width (w is a generous estimate)
      var left = tries[i][0] < 0;
      out.push({name: r.name, text: r.name, align: left ? 'right' : 'left',
        lx: xdom[0] + (left ? px - 7 : bx) / sx, ly: ydom[1] - (by + h / 2) / sy});
      return;
    }
  });
  return out;
}

// Each group's latest era carried forward to `toYear`: the fitted line, dashed, and an
// approximate prediction band (residual scatter plus the slope's uncertainty).
export function projections(fits, toYear, unit) {
  var lines = [], bands = [], text = [], last = {};
  if (!toYear) return {lines: lines, bands: bands, text: text};
  fits.forEach(function (e) {
    if (!e.fitted || !e.draw) return;
    var g = e.group || 'all';
    if (!last[g] || e.x_last > last[g].x_last) last[g] = e;
  });
  Object.keys(last).forEach(function (g, k) {
    var e = last[g];
    if (!(toYear > e.x_last)) return;
    var z = Z[e.ci] || 1.6449, key = 'proj' + k;
    var hw = isFinite(e.slope_high) && isFinite(e.slope_low) ? (e.slope_high - e.slope_low) / 2 : 0;
    var mid = (e.x_first + e.x_last) / 2, sig = e.sigma || 0;
    for (var i = 0; i <= 20; i++) {
      var x = e.x_last + (toYear - e.x_last) * i / 20;
      var y = e.intercept + e.slope * x;
      var half = Math.sqrt(Math.pow(z * sig, 2) + Math.pow(hw * (x - mid), 2));
      if (i === 0 || i === 20) lines.push({era: key, x: x, y: y});
      bands.push({era: key, x: x, lo: y - half, hi: y + half});
    }
    var yEnd = e.intercept + e.slope * toYear;
    text.push({x: toYear, y: yEnd, text: Math.round(toYear) + ': ' + sci(Math.pow(10, yEnd)) + (unit ? ' ' + unit : '')});
  });
  return {lines: lines, bands: bands, text: text};
}
