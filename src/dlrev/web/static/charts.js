/* Chart and table helpers shared by the analysis pages. */
import {$, el, hostOf, safeUrl} from './util.js';

export var PHONE = 700;   // below this many CSS pixels the layout is a phone's

// The width a chart may take: its container's, so that no chart pushes the page sideways.
export function availableWidth(target) {
  var box = typeof target === 'string' ? $(target) : target;
  var w = box ? box.clientWidth : 0;
  return Math.max(280, Math.floor(w || document.documentElement.clientWidth - 24));
}
// Make a Vega-Lite spec as wide as `avail` (axes and legends included). A faceted spec gets
// one panel a row on a phone; a single or layered view fits its width (height is kept).
export function fitWidth(spec, avail) {
  if (avail < PHONE && spec.title && typeof spec.title === 'object') {
    spec.title.fontSize = 13;          // a long title is shortened (…) rather than cut
    spec.title.limit = avail - 16;
  }
  if (spec.facet) {
    var cols = avail < PHONE ? 1 : Math.max(2, Math.floor(avail / 300));
    if (spec.facet.column) { spec.facet = spec.facet.column; }
    spec.columns = cols;
    var inner = spec.spec || spec;
    inner.width = Math.min(inner.width || 290, Math.floor((avail - 70) / cols) - 40);
    return spec;
  }
  if (spec.hconcat || spec.vconcat || spec.concat) return spec;
  spec.width = avail;
  spec.autosize = {type: 'fit-x', contains: 'padding'};
  return spec;
}
export function embedSpec(target, spec, datasets) {
  var s = fitWidth(JSON.parse(JSON.stringify(spec)), availableWidth(target));
  if (datasets) s.datasets = datasets;
  return vegaEmbed(target, s, {renderer: 'svg', actions: false, ast: true, defaultStyle: false,
    tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1})
    .then(function (res) { return res.view; });
}
// columns: [key, header, format(row) -> text | Node]
// A plain flag where a figure could not be checked against its source (the curation notes that
// say so stay in the data files).
// The page's caption says what the word means, for screens without hover.
export function badge(why) {
  return el('span', {class: 'badge', title: why || UNVERIFIED, text: 'unverified'});
}
export var UNVERIFIED = 'A figure of this row could not be checked against its original source.';
export function fillTable(sel, columns, rows, rowClass) {
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
export function linkTo(u, text) {
  var url = safeUrl(u);
  return url ? el('a', {href: url, rel: 'noopener noreferrer', target: '_blank',
    text: text || hostOf(url)}) : null;
}
export function fillSources(sources, method) {
  var ul = $('#sources');
  if (ul) {
    ul.textContent = '';
    sources.forEach(function (u) { var a = linkTo(u, u); if (a) ul.appendChild(el('li', null, a)); });
  }
  var s = $('#sources-summary'); if (s) s.textContent = sources.length + ' source links';
  var m = $('#method'); if (m) m.textContent = method || '';
}
export function subtitle(spec, meta, extra) {
  spec.title = typeof spec.title === 'object' ? spec.title : {text: spec.title || '', anchor: 'start'};
  spec.title.subtitle = (extra ? extra + ' · ' : '') + meta.source_line;
  return spec;
}
