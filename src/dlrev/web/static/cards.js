/* dlrev Story and Timeline: chart drawing with labels that never collide, and the milestone card.
 * Written for dlrev; no third-party code. Data strings reach the page through textContent or
 * attributes only. Exposes window.dlrevCharts for story.js and timeline.js. */
(function () {
  'use strict';

  var CHAR_PX = 6.4;   // average width of an 11 px sans-serif character
  var LINE_PX = 13;
  var api = window.dlrevCharts = {views: {}, errors: []};

  function clone(o) { return JSON.parse(JSON.stringify(o)); }

  // Decide which labels fit: most important first, each placed where it overlaps no label
  // already kept and stays inside the plot; a label that fits nowhere is left out (its mark
  // stays, and its name is in the list under the chart).
  function thin(spec, plotW, vg) {
    var t = spec.usermeta && spec.usermeta.thin;
    if (!t) return;
    var rows = spec.datasets[t.data];
    if (vg) {   // a spec compiled to Vega: its named dataset is one of vg.data
      vg.data.forEach(function (d) { if (d.name === t.data) rows = d.values; });
    }
    var H = typeof spec.height === 'number' ? spec.height : 300;
    function px(v) { return (v - t.xdomain[0]) / (t.xdomain[1] - t.xdomain[0]) * plotW; }
    function py(v) {
      var f = (v - t.ydomain[0]) / (t.ydomain[1] - t.ydomain[0]);
      return t.yreverse ? f * H : (1 - f) * H;
    }
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      return (rows[b].priority || 0) - (rows[a].priority || 0) || rows[b][t.x] - rows[a][t.x];
    });
    var kept = [];
    function free(b) {
      if (b.x0 < 0 || b.x1 > plotW || b.y0 < -8 || b.y1 > H + 8) return false;
      for (var i = 0; i < kept.length; i++) {
        var k = kept[i];
        if (b.x0 < k.x1 && b.x1 > k.x0 && b.y0 < k.y1 && b.y1 > k.y0) return false;
      }
      return true;
    }
    order.forEach(function (i) {
      var r = rows[i];
      var all = t.lines.map(function (f) { return r[f]; }).filter(Boolean);
      var tries = all.length > 1 ? [all, all.slice(0, 1)] : [all];
      if (t.alt && r[t.alt]) tries.push([r[t.alt]]);   // a shorter wording, for narrow screens
      var x = px(r[t.x]), y = py(r[t.y]);
      r.show = false; r.lines = all.slice(0, 1); r.align = 'left';
      for (var a = 0; a < tries.length && !r.show; a++) {
        var lines = tries[a];
        var w = Math.max.apply(null, lines.map(function (s) { return String(s).length; })) * CHAR_PX + 6;
        var h = lines.length * LINE_PX;
        ['left', 'right'].some(function (align) {
          var b;
          if (t.below) {
            var x0 = align === 'left' ? x - 4 : x - w + 4;
            b = {x0: x0, x1: x0 + w, y0: y + 7, y1: y + 7 + h};
          } else {
            var x1 = align === 'left' ? x + 7 : x - 7 - w;
            b = {x0: x1, x1: x1 + w, y0: y - h / 2, y1: y + h / 2};
          }
          if (!free(b)) return false;
          kept.push(b); r.show = true; r.lines = lines; r.align = align;
          return true;
        });
      }
    });
  }

  // Keep only some lanes of a lane chart (the Timeline's sub-area filter).
  api.selectLanes = function (spec, lanes) {
    var s = clone(spec), n = lanes.length;
    function remap(rows) {
      return rows.filter(function (r) { return lanes.indexOf(r.lane) >= 0; })
        .map(function (r) { r.row = lanes.indexOf(r.lane); return r; });
    }
    s.datasets.marks = remap(s.datasets.marks);
    s.layer.forEach(function (l) {
      if (l.data && l.data.values) l.data.values = remap(l.data.values);
      if (l.encoding && l.encoding.y && l.encoding.y.scale) l.encoding.y.scale.domain = [-0.5, n - 0.5];
    });
    s.height = 66 * n;
    s.usermeta.thin.ydomain = [-0.5, n - 0.5];
    return s;
  };

  // Draw `spec` into `box` at the box's width. onPick(datum) is called on a click or tap.
  api.render = function (box, spec, onPick, vega) {
    var s = clone(spec);
    var vg = vega ? clone(vega) : null;
    var w = Math.max(240, Math.floor(box.clientWidth));
    var pad = (s.usermeta && s.usermeta.padLeft) || 10;
    var narrow = w < 600;
    if (narrow && s.title) s.title.fontSize = 14;
    if (s.usermeta && s.usermeta.panels) {
      // small multiples: side by side when each panel gets 200 px, else one per row
      var n = s.usermeta.panels, gap = s.spacing || 20;
      var cols = Math.max(1, Math.min(n, Math.floor((w + gap) / (200 + pad + gap))));
      s.columns = cols;
      s.concat.forEach(function (p, i) {
        p.width = Math.floor((w - cols * (pad + 8) - (cols - 1) * gap) / cols);
        // each panel's labels thinned at the panel's own width
        thin({usermeta: {thin: s.usermeta.thins[i]}, datasets: s.datasets, height: p.height},
          p.width);
      });
    } else {
      s.width = w;
      s.autosize = {type: 'fit-x', contains: 'padding'};
    }
    (s.layer || []).forEach(function (l) {
      var c = l.encoding && l.encoding.color;
      if (c && c.legend && narrow) c.legend.columns = 3;
      if (narrow && l.encoding && l.encoding.y && l.encoding.y.axis && l.encoding.y.axis.labelLimit) {
        l.encoding.y.axis.labelLimit = 110;
      }
    });
    if (!(s.usermeta && s.usermeta.panels)) thin(s, w - (narrow && pad > 100 ? 110 : pad) - 12, vg);
    if (vg) vg.width = w;
    var key = box.parentNode.getAttribute('data-chart');
    if (api.views[key]) { api.views[key].finalize(); delete api.views[key]; }
    // ast + the interpreter: vega runs without eval, as the site's CSP requires
    return window.vegaEmbed(box, vg || s, {mode: vg ? 'vega' : 'vega-lite', actions: false,
      renderer: 'svg', ast: true,
      defaultStyle: false, tooltip: {disableDefaultStyle: true, theme: 'light'}, logLevel: 1})
      .then(function (res) {
        api.views[key] = res.view;
        var picture = box.querySelector('.picture');  // the build-time drawing it replaces
        if (picture) picture.parentNode.removeChild(picture);
        if (onPick) {
          res.view.addEventListener('click', function (ev, item) {
            if (item && item.datum && item.datum.id) onPick(item.datum.id);
          });
        }
        return res.view;
      });
  };

  // ---------------------------------------------------------------- the milestone card
  function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
  function a(href, text, external) {
    var n = document.createElement('a');
    n.setAttribute('href', href); n.textContent = text;
    if (external) { n.setAttribute('rel', 'noopener noreferrer'); n.setAttribute('target', '_blank'); }
    return n;
  }
  var lastFocus = null;
  api.openCard = function (m, known) {
    var card = document.getElementById('ms-card');
    if (!card || !m) return;
    card.querySelector('time').textContent = m.date;
    card.querySelector('time').setAttribute('datetime', m.date);
    card.querySelector('.ms-lane').textContent = m.domain + ', ' + m.subarea;
    card.querySelector('h3').textContent = m.title;
    card.querySelector('.ms-headline').textContent = m.headline || '';
    card.querySelector('.ms-summary').textContent = m.summary;
    var links = card.querySelector('.ms-links');
    links.textContent = '';
    var u = safeUrl(m.url);
    if (u) links.appendChild(a(u, 'Source', true));
    m.systems.forEach(function (n) {
      if (known && known.indexOf(n) < 0) return;
      links.appendChild(document.createTextNode(' · '));
      links.appendChild(a('trends.html?q=' + encodeURIComponent(n) + '&sel=' + encodeURIComponent(n), n + ' on Trends'));
    });
    lastFocus = document.activeElement;
    card.hidden = false;
    card.setAttribute('data-id', m.id);
    card.querySelector('.ms-close').focus();
  };
  api.closeCard = function () {
    var card = document.getElementById('ms-card');
    if (!card || card.hidden) return;
    card.hidden = true;
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  };
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') api.closeCard(); });
  document.addEventListener('click', function (ev) {
    if (ev.target && ev.target.closest && ev.target.closest('.ms-close')) api.closeCard();
  });

  // Wire every chart on the page and the buttons that name milestones; redraw on resize.
  api.start = function (data, specFor) {
    var byId = {};
    data.story.milestones.forEach(function (m) { byId[m.id] = m; });
    var pick = function (id) { api.openCard(byId[id], data.known_systems); };
    document.addEventListener('click', function (ev) {
      var b = ev.target && ev.target.closest ? ev.target.closest('[data-ms]') : null;
      if (b) pick(b.getAttribute('data-ms'));
    });
    var width = 0;
    // The largest chart first and alone (it is the one a reader waits for), then the rest.
    function drawAll() {
      width = document.documentElement.clientWidth;
      var figs = Array.prototype.slice.call(document.querySelectorAll('figure[data-chart]'))
        .filter(function (fig) { return !fig.hidden && specFor(fig.getAttribute('data-chart')); });
      var first = figs.filter(function (f) { return f.getAttribute('data-chart') === 'compute'; });
      var rest = figs.filter(function (f) { return first.indexOf(f) < 0; });
      function draw(fig) {
        var key = fig.getAttribute('data-chart');
        return api.render(fig.querySelector('.chart-box'), specFor(key),
          key.indexOf('lanes-') === 0 ? pick : null, (data.vega || {})[key])
          .catch(function (e) { api.errors.push(String(e)); });
      }
      return Promise.all(first.map(draw)).then(function () {
        api.firstPainted = api.firstPainted || performance.now();
        return Promise.all(rest.map(draw));
      });
    }
    var timer = null;
    window.addEventListener('resize', function () {
      if (document.documentElement.clientWidth === width) return;
      clearTimeout(timer);
      timer = setTimeout(drawAll, 200);
    });
    api.redraw = drawAll;
    return drawAll();
  };
})();
