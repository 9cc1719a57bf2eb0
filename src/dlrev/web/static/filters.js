/* The systems filter (Trends and Data) and its form controls. */
import {$, AREAS, CONFS, el, validIso} from './util.js';
import {state} from './state.js';

// ---------------------------------------------------------------- filtering
export function matches(s, st) {
  if (st.areas.indexOf(s.area) < 0) return false;
  if (st.conf.indexOf(s.confidence || 'unknown') < 0) return false;
  if (st.from && s.date < st.from) return false;
  if (st.to && s.date >= st.to) return false;
  if (st.org && (s.org || '').toLowerCase().indexOf(st.org.toLowerCase()) < 0) return false;
  if (st.q) {
    var hay = s._hay || (s._hay = [s.name, s.org, s.task, s.domain].join(' ').toLowerCase());
    if (hay.indexOf(st.q.toLowerCase()) < 0) return false;
  }
  return true;
}
export function selection(systems, st) { return systems.filter(function (s) { return matches(s, st); }); }

// ---------------------------------------------------------------- shared controls
export function fillCheckboxes(box, name, values, checked, labels) {
  values.forEach(function (v) {
    var id = name + '-' + v;
    var input = el('input', {type: 'checkbox', id: id, name: name, value: v});
    input.checked = checked.indexOf(v) >= 0;
    box.appendChild(el('span', {class: 'check'}, input,
      el('label', {for: id, text: labels ? labels[v] : v})));
  });
}
export function checkedValues(box) {
  return Array.prototype.filter.call(box.querySelectorAll('input[type=checkbox]'),
    function (i) { return i.checked; }).map(function (i) { return i.value; });
}
export function setupFilters(systems, onChange) {
  var areas = $('#areas'), confs = $('#confs');
  if (areas) fillCheckboxes(areas, 'area', AREAS, state.areas);
  if (confs) fillCheckboxes(confs, 'conf', CONFS, state.conf,
    {confident: 'confident', likely: 'likely', speculative: 'speculative',
      unknown: 'unknown or not given'});
  var orgs = {};
  systems.forEach(function (s) {
    (s.org || '').split(',').forEach(function (o) { o = o.trim(); if (o) orgs[o] = (orgs[o] || 0) + 1; });
  });
  var dl = $('#orgs');
  if (dl) {
    Object.keys(orgs).sort(function (a, b) { return orgs[b] - orgs[a]; }).slice(0, 300)
      .forEach(function (o) { dl.appendChild(el('option', {value: o})); });
  }
  ['q', 'org', 'from', 'to'].forEach(function (k) {
    var input = $('#' + k);
    if (!input) return;
    input.value = state[k];
    input.addEventListener(k === 'q' || k === 'org' ? 'input' : 'change', function () {
      if ((k === 'from' || k === 'to') && input.value && !validIso(input.value)) return;
      state[k] = input.value; state.p = 1; onChange();
    });
  });
  if (areas) areas.addEventListener('change', function () {
    state.areas = checkedValues(areas); state.p = 1; onChange();
  });
  if (confs) confs.addEventListener('change', function () {
    state.conf = checkedValues(confs); state.p = 1; onChange();
  });
}
export function syncFilterInputs() {
  ['q', 'org', 'from', 'to'].forEach(function (k) { var i = $('#' + k); if (i) i.value = state[k]; });
  [['#areas', 'areas'], ['#confs', 'conf']].forEach(function (pair) {
    var box = $(pair[0]);
    if (!box) return;
    box.querySelectorAll('input[type=checkbox]').forEach(function (i) {
      i.checked = state[pair[1]].indexOf(i.value) >= 0;
    });
  });
}
