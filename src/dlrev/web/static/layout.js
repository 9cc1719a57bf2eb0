/* Page chrome that every page shares: on a phone the controls fold behind one button. */
import {el} from './util.js';

export function foldControls() {
  document.querySelectorAll('form.ctl').forEach(function (form, i) {
    if (!form.id) form.id = 'controls-' + i;
    var btn = el('button', {type: 'button', class: 'ctl-toggle', 'aria-controls': form.id,
      'aria-expanded': 'false', text: 'Show controls'});
    form.classList.add('folded');
    btn.addEventListener('click', function () {
      var open = form.classList.toggle('folded') === false;
      btn.setAttribute('aria-expanded', String(open));
      btn.textContent = open ? 'Hide controls' : 'Show controls';
    });
    form.parentNode.insertBefore(btn, form);
  });
}
