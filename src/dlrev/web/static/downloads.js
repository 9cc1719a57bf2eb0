/* Downloads: a stored-entry ZIP writer, CSV and JSON with a README. */
import {$, el} from './util.js';

// ---------------------------------------------------------------- downloads
export function download(name, blob) {
  var url = URL.createObjectURL(blob);
  var a = el('a', {href: url, download: name});
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
}
export var CRC = (function () {
  var t = new Uint32Array(256);
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(bytes) {
  var c = 0xFFFFFFFF;
  for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}
// A zip archive with stored (uncompressed) entries: [{name, text}] -> Blob
export function zip(entries) {
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
export var CSV_COLS = [['name', 'name'], ['organization', 'org'], ['date', 'date'], ['year', 'year'],
  ['domain', 'domain'], ['area', 'area'], ['task', 'task'], ['compute', 'compute'],
  ['parameters', 'parameters'], ['dataset_size', 'dataset_size'],
  ['dataset_unit', 'dataset_unit'], ['confidence', 'confidence'], ['frontier', 'frontier'],
  ['source_url', 'url'], ['origin', 'origin']];
// A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) starts with
// an apostrophe instead, as OWASP advises against CSV injection; numbers are written as they are.
var FORMULA_START = /^[=+\-@\t\r]/;
export var CSV_SAFETY = 'Spreadsheet safety: a text cell that would begin with =, +, -, @, a tab ' +
  'or a carriage return begins with an apostrophe (\') instead, so that spreadsheet programs show ' +
  'it as text and never run it as a formula (OWASP: CSV injection). Numbers are unchanged.';
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  var s = String(v);
  if (typeof v === 'string' && FORMULA_START.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
// Epoch AI's CC BY 4.0 attribution, whenever the site shows Epoch AI figures.
function attribution(meta) {
  return meta.attribution ? ['', 'Attribution', '-----------', meta.attribution +
    (meta.n_epoch ? ' (' + meta.n_epoch + ' of the ' + meta.n_systems + ' systems carry ' +
      'Epoch AI figures.)' : '')] : [];
}
export function toCSV(rows) {
  var lines = [CSV_COLS.map(function (c) { return c[0]; }).join(',')];
  rows.forEach(function (r) {
    lines.push(CSV_COLS.map(function (c) { return csvCell(r[c[1]]); }).join(','));
  });
  return lines.join('\n') + '\n';
}
export function cleanRecord(r) {
  var o = {};
  CSV_COLS.forEach(function (c) { o[c[0]] = r[c[1]] === undefined ? null : r[c[1]]; });
  return o;
}
export function readme(meta, n, what) {
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
    'confidence, frontier, source_url, origin.', '', CSV_SAFETY);
  lines.push.apply(lines, attribution(meta));
  lines.push('', 'Citation (BibTeX)', '-----------------');
  meta.citation_bibtex.forEach(function (b) { lines.push(b, ''); });
  return lines.join('\n');
}

// The README of a page over analysis results; `epoch` when the page shows Epoch AI figures.
export function pageReadme(meta, what, n, sources, method, epoch) {
  var lines = ['dlrev explorer download: ' + what, '',
    n + ' rows, downloaded on ' + new Date().toISOString().slice(0, 10) +
    ' from a site built ' + meta.built + ' with dlrev ' + meta.version + '.',
    'View (the page URL that reproduces it): ' + location.href, '', 'Method', '------',
    method || '', '', 'Sources', '-------'];
  sources.forEach(function (s) { lines.push('- ' + s); });
  lines.push('', 'Licence', '-------', meta.licence, '', CSV_SAFETY);
  if (epoch) lines.push.apply(lines, attribution(meta));
  lines.push('', 'Citation (BibTeX)', '-----------------');
  lines.push(meta.citation_bibtex[0], '');
  return lines.join('\n');
}
export function rowsCSV(rows, keys) {
  var lines = [keys.join(',')];
  rows.forEach(function (r) {
    lines.push(keys.map(function (k) {
      var v = r[k];
      return csvCell(v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
    }).join(','));
  });
  return lines.join('\n') + '\n';
}
export function wireDownloads(base, getView, csv, json) {
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
