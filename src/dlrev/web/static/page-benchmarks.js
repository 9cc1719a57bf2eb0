import {$, DOMAINS, api, el, hostOf, num, pct, rendered, say} from './util.js';
import {ignore, listOf, pageParams, validList, writeParams} from './state.js';
import {checkedValues, fillCheckboxes} from './filters.js';
import {pageReadme, readme, rowsCSV, wireDownloads} from './downloads.js';
import {PHONE, availableWidth, badge, embedSpec, fillSources, fillTable, linkTo, subtitle} from './charts.js';

// ---------------------------------------------------------------- Benchmarks page

export default function benchmarksPage(data) {
  var d = data.benchmarks, meta = data.meta, specs = data.pagespecs, view = null, viewLong = null, chain = Promise.resolve();
  meta.source_line = 'Source: dlrev curated benchmark results · built ' + meta.built;
  var defaults = {b: '', dom: DOMAINS.join(',')};
  var st = pageParams(defaults);
  var byName = {};
  d.benchmarks.forEach(function (b) { byName[b.name] = b; });
  if (st.b && !byName[st.b]) { ignore('b', [st.b], 'no such benchmark in the table'); st.b = ''; }
  st.dom = validList(st.dom, DOMAINS, defaults.dom, 'dom', 'not a domain');
  var sel = $('#bench');
  d.benchmarks.forEach(function (b) {
    sel.appendChild(el('option', {value: b.name, text: b.name + ' (' + b.domain + ', ' + b.metric + ')'}));
  });
  sel.value = st.b;
  fillCheckboxes($('#domains'), 'dom', DOMAINS, listOf(st.dom));
  fillSources(d.sources, d.method);
  $('#finding').textContent = d.finding && d.finding.text ? d.finding.text : '';
  $('#sat-method').textContent = 'Method: ' + d.saturation.method + '.';
  function label(p) { return p.series ? p.benchmark + ' · ' + p.series : p.benchmark; }
  function unitOf(b) { return b && b.unit ? (b.unit === '%' ? '%' : ' ' + b.unit) : ''; }
  function rowsNow() {
    var doms = listOf(st.dom);
    if (!st.b) return d.points.filter(function (p) { var b = byName[p.benchmark]; return b && doms.indexOf(b.domain) >= 0; });
    return d.points.filter(function (p) { return p.benchmark === st.b; });
  }
  // A curve whose record spans over 1.5 times as long as any other's goes to its own panel.
  function splitLong(curves) {
    var end = {};
    curves.forEach(function (c) { end[c.label] = Math.max(end[c.label] || 0, c.x); });
    var order = Object.keys(end).sort(function (a, b) { return end[b] - end[a]; });
    var long = {};
    for (var i = 0; i + 1 < order.length && end[order[i]] > 1.5 * end[order[i + 1]]; i++) long[order[i]] = true;
    return {main: curves.filter(function (c) { return !long[c.label]; }),
      long: curves.filter(function (c) { return long[c.label]; })};
  }
  // Room to leave on the right so that the names at the curves' ends are not cut off.
  function labelRoom(curves, avail) {
    var last = {}, xmax = 0, room = 0;
    curves.forEach(function (c) {
      if (!last[c.label] || c.x >= last[c.label].x) last[c.label] = c;
      xmax = Math.max(xmax, c.x);
    });
    for (var pass = 0; pass < 2; pass++) {
      var W = Math.max(120, avail - 75 - room), need = 0;
      Object.keys(last).forEach(function (k) {
        need = Math.max(need, last[k].x / (xmax || 1) * W + 8 + k.length * 6.6 - W);
      });
      room = Math.min(Math.max(5, Math.ceil(need)), Math.round(avail * 0.45));
    }
    return room;
  }
  // Each curve's name at its last point, moved down (in pixels) until it covers no other name.
  // `W` is the plot's width, or the drawn view's x scale once there is one.
  // `Y`, once there is a drawn view, is its y scale: names are placed in its pixels, so a domain
  // wider than [0, 1.3] cannot squeeze them back together.
  // `inside` (a phone): each name ends left of its curve's end, inside the plot, so that the plot
  // keeps the screen's whole width.
  function endLabels(curves, W, H, Y, inside) {
    var top = 1.3, last = {}, xmax = 0;
    curves.forEach(function (c) {
      if (!last[c.label] || c.x >= last[c.label].x) last[c.label] = c;
      xmax = Math.max(xmax, c.x);
    });
    var placed = Object.keys(last).map(function (k) {
      var c = last[k], yc = Math.max(0, Math.min(top, c.y));
      var px = typeof W === 'function' ? W(c.x) : c.x / (xmax || 1) * W;
      var py = Y ? Y(yc) : (top - yc) / top * H;
      var w = k.length * 7.4 + 4;
      return {label: k, x: c.x, y: yc, px: inside ? px - 8 - w : px + 6, py: py, w: w};
    }).sort(function (a, b) { return a.py - b.py; });
    var clash = function (e) {
      return function (p) { return Math.abs(p.py - e.py) < 13 && e.px < p.px + p.w && p.px < e.px + e.w; };
    };
    // Down from the top; then, since the y scale clamps at both edges, up from the bottom edge for
    // any name pushed past it, checking each against every name already settled below it.
    var ends = placed;
    ends.forEach(function (e, i) { while (ends.slice(0, i).some(clash(e))) e.py += 13; });
    // A name that still finds no room inside the plot is left out (its curve keeps its tooltip):
    // names thin out on a small screen rather than collide.
    var settled = [];
    ends.slice().reverse().forEach(function (e) {
      e.py = Math.min(e.py, H - 6);
      while (settled.some(clash(e))) e.py -= 13;
      if (e.py >= 6 && e.px >= 0) settled.push(e);   // (an inside name must not run off the left)
    });
    return settled.reverse().map(function (e) {
      return {label: e.label, x: e.x, y: e.y, ly: Y ? Y.invert(e.py) : top - e.py / H * top};
    });
  }
  function render() {
    var spec, ds, rows = rowsNow(), info, longDs = null;
    if (!st.b) {
      var prog = rows.filter(function (p) { return p.best_progress !== null; });
      var labels = {};
      ds = {curves: prog.map(function (p) {
        labels[label(p)] = true;
        var b = byName[p.benchmark];
        return {label: label(p), x: p.years_since_intro, y: p.best_progress, record: p.record,
          system: p.system, date: p.date, shown: num(p.value) + unitOf(b), pct: pct(p.best_progress),
          desc: label(p) + ': ' + p.system + ', ' + p.date + ', ' + pct(p.best_progress) + ' of the way'};
      }), refs: [{y: 0, label: 'chance (0)'}, {y: 1, label: availableWidth('#chart') < PHONE ? 'human level (1)' : 'human expert, or ceiling (1)'}]};
      spec = subtitle(JSON.parse(JSON.stringify(specs['benchmark-progress'])), meta);
      var split = splitLong(ds.curves);
      ds.curves = split.main;
      var avail = availableWidth('#chart'), phone = avail < PHONE;
      var room = phone ? 5 : labelRoom(split.main, avail);
      ds.ends = endLabels(split.main, Math.max(120, avail - 75 - room), 380, null, phone);
      spec.padding = {left: 5, top: 5, bottom: 5, right: room};
      if (phone) {   // too narrow to leave room on the right: names end left of their curve
        spec.layer.forEach(function (l) { if (l.name === 'ends' || l.name === 'ends_halo') { l.mark.align = 'right'; l.mark.dx = -8; } });
      }
      longDs = split.long.length ? {curves: split.long, refs: ds.refs,
        ends: endLabels(split.long, Math.max(120, avail - 75 - (phone ? 5 : labelRoom(split.long, avail))), 200, null, phone)} : null;
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
    if (st.b && byName[st.b].unverified) $('#bench-info').appendChild(badge('A reference figure of this benchmark could not be checked against its original source.'));
    writeParams(st, defaults);
    var satRows = d.saturation.rows.filter(function (r) {
      return st.b ? r.benchmark === st.b : listOf(st.dom).indexOf(r.domain) >= 0;
    });
    fillTable('#sat-table', [
      ['benchmark', 'Benchmark', function (r) {
        var btn = el('button', {type: 'button', class: 'link', text: r.benchmark + (r.series ? ' · ' + r.series : '')});
        if (byName[r.benchmark] && byName[r.benchmark].unverified) {
          var cell = el('span', null, btn, badge());
          btn.addEventListener('click', function () { st.b = r.benchmark; sel.value = st.b; update(); });
          return cell;
        }
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
    api.shown = st.b ? ds.results.length : ds.curves.length + (longDs ? longDs.curves.length : 0);
    var longBox = $('#chart-long'), longNote = $('#long-note');
    longBox.hidden = longNote.hidden = !longDs || !!st.b;
    if (viewLong) { viewLong.finalize(); viewLong = null; longBox.textContent = ''; }
    var jobs = [embedSpec('#chart', spec, ds)];
    if (longDs && !st.b) {
      var names = {};
      longDs.curves.forEach(function (c) { names[c.label] = true; });
      longNote.textContent = Object.keys(names).join(', ') + ' spans decades, so it is drawn in its own ' +
        'panel below instead of squeezing the others into a corner.';
      var ls = JSON.parse(JSON.stringify(spec));
      ls.height = 200;
      ls.padding = {left: 5, top: 5, bottom: 5, right: labelRoom(longDs.curves, availableWidth('#chart'))};
      if (availableWidth('#chart') < PHONE) {   // too narrow to leave room: names go left of the end
        ls.padding.right = 5;
        ls.layer.forEach(function (l) { if (l.name === 'ends' || l.name === 'ends_halo') { l.mark.align = 'right'; l.mark.dx = -8; } });
      }
      ls.title = {text: 'Measured over decades', subtitle: meta.source_line, anchor: 'start',
        fontSize: 13, limit: availableWidth('#chart') - 16};
      // the reference lines' names are on the main chart; here they would crowd a phone's panel
      ls.layer = ls.layer.filter(function (l) { return !(l.data && l.data.name === 'refs' && l.mark.type === 'text'); });
      ls.layer.forEach(function (l) {
        if (l.encoding && l.encoding.y && l.encoding.y.title) l.encoding.y.title = 'Progress (0 = chance, 1 = human level)';
        if (l.encoding && l.encoding.x && l.encoding.x.scale) l.encoding.x.scale = {zero: false, nice: true};
      });
      jobs.push(embedSpec('#chart-long', ls, longDs));
    }
    api.longCurves = longDs && !st.b ? longDs.ends.map(function (e) { return e.label; }) : [];
    api.ends = ds.ends ? ds.ends.map(function (e) { return e.label; }) : [];
    return Promise.all(jobs).then(function (vs) {
      if (view) view.finalize();
      view = vs[0]; api.view = view; viewLong = vs[1] || null;
      // the names were placed for an estimated plot width: place them again for the real one
      var redo = [];
      if (!st.b) {
        var drawn = endLabels(ds.curves, view.scale('x'), view.height(), view.scale('y'), phone);
        api.ends = drawn.map(function (e) { return e.label; });
        redo.push(view.data('ends', drawn).runAsync());
        if (viewLong) {
          var drawnLong = endLabels(longDs.curves, viewLong.scale('x'), viewLong.height(), viewLong.scale('y'), phone);
          api.longCurves = drawnLong.map(function (e) { return e.label; });
          redo.push(viewLong.data('ends', drawnLong).runAsync());
        }
      }
      return Promise.all(redo);
    }).then(rendered);
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
