/* The Trends chart's era boundaries: draggable handles over the chart (keyboard too) and the
 * typed boundaries in the form. Both change state.eras and ask the page to update. */
import {$, decYear, el, isoOfYear, validIso} from './util.js';
import {state} from './state.js';

export function eraControls(getView, update) {
  var view = null;
  function placeHandles() {
    view = getView();
    var box = $('#handles');
    box.textContent = '';
    $('#eras').hidden = state.x !== 'year';
    if (!view || state.x !== 'year') return;
    var xs = view.scale('x');
    if (!xs) return;
    var target = $('#chart svg, #chart canvas');
    if (!target) return;
    var origin = view.origin();
    var wrap = $('.chart-wrap').getBoundingClientRect();
    var tr = target.getBoundingClientRect();
    var left0 = tr.left - wrap.left + origin[0], top0 = tr.top - wrap.top + origin[1];
    var dom = xs.domain(), h = view.height();
    state.eras.forEach(function (iso, i) {
      var v = decYear(iso);
      if (v <= dom[0] || v >= dom[1]) return;
      var hd = el('div', {class: 'handle', role: 'slider', tabindex: '0',
        'aria-label': 'Era boundary ' + (i + 1), 'aria-valuetext': iso,
        'aria-valuemin': String(Math.floor(dom[0])), 'aria-valuemax': String(Math.ceil(dom[1])),
        'aria-valuenow': v.toFixed(3), 'data-index': String(i), title: 'Drag to move: ' + iso});
      hd.style.left = (left0 + xs(v)) + 'px';
      hd.style.top = top0 + 'px';
      hd.style.height = h + 'px';
      box.appendChild(hd);
      var dragging = false;
      hd.addEventListener('pointerdown', function (ev) {
        dragging = true; hd.setPointerCapture(ev.pointerId); ev.preventDefault();
      });
      hd.addEventListener('pointermove', function (ev) {
        if (!dragging) return;
        var wr = $('.chart-wrap').getBoundingClientRect();
        var px = ev.clientX - wr.left - left0;
        var yv = Math.min(dom[1], Math.max(dom[0], xs.invert(px)));
        hd.style.left = (left0 + xs(yv)) + 'px';
        hd.setAttribute('data-pending', isoOfYear(yv));
      });
      var finish = function () {
        if (!dragging) return;
        dragging = false;
        var iso2 = hd.getAttribute('data-pending');
        if (iso2) setEra(i, iso2);
      };
      hd.addEventListener('pointerup', finish);
      hd.addEventListener('pointercancel', finish);
      hd.addEventListener('keydown', function (ev) {
        var step = ev.shiftKey ? 1 : 1 / 12;
        if (ev.key === 'ArrowLeft' || ev.key === 'ArrowDown') setEra(i, isoOfYear(v - step), true);
        else if (ev.key === 'ArrowRight' || ev.key === 'ArrowUp') setEra(i, isoOfYear(v + step), true);
        else return;
        ev.preventDefault();
      });
    });
  }
  function eraInputs() {
    var box = $('#era-inputs');
    box.textContent = '';
    state.eras.forEach(function (iso, i) {
      var id = 'era-' + i;
      var input = el('input', {type: 'date', id: id, value: iso, 'data-index': String(i)});
      input.addEventListener('change', function () {
        if (validIso(input.value)) setEra(i, input.value);
      });
      var rm = el('button', {type: 'button', class: 'small', 'aria-label': 'Remove boundary ' + (i + 1), text: '×'});
      rm.addEventListener('click', function () {
        state.eras.splice(i, 1); state.preset = ''; update(false);
      });
      box.appendChild(el('span', {class: 'era-input'},
        el('label', {for: id, text: 'Boundary ' + (i + 1)}), input, rm));
    });
  }
  var refocus = null;
  function setEra(i, iso, keepFocus) {
    state.eras[i] = iso;
    state.eras.sort();
    state.preset = '';
    refocus = keepFocus ? state.eras.indexOf(iso) : null;
    update(false);
  }
  // after a keyboard move, the moved handle keeps the focus
  function restoreFocus() {
    if (refocus === null) return;
    var h = $('.handle[data-index="' + refocus + '"]'); if (h) h.focus();
    refocus = null;
  }
  return {placeHandles: placeHandles, eraInputs: eraInputs, setEra: setEra, restoreFocus: restoreFocus};
}
