/* dlrev Timeline page: the Story's milestone-lane charts with the domain and sub-area filters
 * (URL keys `lanes` and `sub`, as before). Written for dlrev; no third-party code. */
(function () {
  'use strict';
  var DOMAINS = ['vision', 'games', 'language', 'science'];
  var state = window.dlrevTimeline = {ready: false, errors: []};
  function readState() {
    var p = new URLSearchParams(location.search);
    var lanes = DOMAINS.slice();
    if (p.has('lanes')) {
      var raw = p.get('lanes');
      lanes = raw === '' || raw === 'none' ? [] : raw.split(',').filter(function (d) { return DOMAINS.indexOf(d) >= 0; });
    }
    return {lanes: lanes, sub: p.get('sub') || ''};
  }
  function writeState(s) {
    var p = new URLSearchParams();
    if (s.lanes.length !== DOMAINS.length) p.set('lanes', s.lanes.length ? s.lanes.join(',') : 'none');
    if (s.sub) p.set('sub', s.sub);
    var q = p.toString() ? '?' + p.toString() : '';
    if (q !== location.search) history.replaceState(null, '', location.pathname + q + location.hash);
  }
  function start(data) {
    var st = readState();
    var subs = data.story.lanes.map(function (l) { return l.subarea; });
    if (subs.indexOf(st.sub) < 0) st.sub = '';
    var form = document.getElementById('tl-controls');
    form.addEventListener('submit', function (ev) { ev.preventDefault(); });
    var boxes = form.querySelectorAll('input[name=lane]');
    boxes.forEach(function (b) { b.checked = st.lanes.indexOf(b.value) >= 0; });
    var sel = document.getElementById('subarea');
    sel.value = st.sub;
    function specFor(key) {
      var spec = data.charts[key];
      if (!st.sub || !spec) return spec;
      var lanes = data.story.lanes.filter(function (l) { return 'lanes-' + l.domain === key && l.subarea === st.sub; })
        .map(function (l) { return l.subarea; });
      return lanes.length ? window.dlrevCharts.selectLanes(spec, lanes) : null;
    }
    function apply(noDraw) {
      var shown = 0;
      document.querySelectorAll('.domain-block').forEach(function (blk) {
        var d = blk.getAttribute('data-domain');
        var has = st.lanes.indexOf(d) >= 0 && (!st.sub || data.story.lanes.some(function (l) {
          return l.domain === d && l.subarea === st.sub;
        }));
        blk.hidden = !has;
        blk.querySelector('figure').hidden = !has;
        blk.querySelectorAll('li[data-sub]').forEach(function (li) {
          li.hidden = !!st.sub && li.getAttribute('data-sub') !== st.sub;
        });
        if (has) {
          shown += data.story.milestones.filter(function (m) {
            return m.domain === d && (!st.sub || m.subarea === st.sub);
          }).length;
        }
      });
      document.getElementById('count').textContent = shown + ' of ' + data.story.milestones.length + ' milestones';
      writeState(st);
      state.shown = shown;
      return noDraw || !window.dlrevCharts.redraw ? null : window.dlrevCharts.redraw();
    }
    form.addEventListener('change', function () {
      st.lanes = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
      st.sub = sel.value;
      Promise.resolve(apply()).then(function () { document.body.setAttribute('data-rendered', String(Date.now())); });
    });
    apply(true);
    return window.dlrevCharts.start(data, specFor);
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (location.protocol === 'file:') return;  // boot.js says which command serves the folder
    fetch('data/storypage.json')
      .then(function (r) { if (!r.ok) throw new Error('data/storypage.json: HTTP ' + r.status); return r.json(); })
      .then(start)
      .then(function () { state.ready = true; document.body.setAttribute('data-rendered', 'timeline'); })
      .catch(function (err) {
        state.errors.push(String(err));
        var s = document.getElementById('status');
        if (s) s.textContent = 'Could not draw the timeline: ' + err;
      });
  });
})();
