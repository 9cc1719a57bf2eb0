/* A classic (non-module) script, so that it runs even where module scripts cannot: a page opened
 * from a file cannot load its modules or its data, so say which command serves it instead. */
(function () {
  'use strict';
  if (location.protocol !== 'file:') return;
  var path = decodeURIComponent(location.pathname);
  var dir = path.slice(0, path.lastIndexOf('/')) || '/';
  var box = document.createElement('div');
  box.id = 'file-notice';
  box.className = 'notice';
  box.setAttribute('role', 'alert');
  var lines = [
    'This page was opened as a file, and browsers do not let a page read its data from files.',
    'Serve the folder instead, with either command, then open the address it prints:',
  ];
  lines.forEach(function (t) { var p = document.createElement('p'); p.textContent = t; box.appendChild(p); });
  ['cd "' + dir + '" && python -m http.server', 'dlrev serve --site "' + dir + '"'].forEach(function (c) {
    var pre = document.createElement('pre');
    pre.textContent = c;
    box.appendChild(pre);
  });
  var show = function () {
    var main = document.getElementById('main') || document.body;
    main.insertBefore(box, main.firstChild);
    window.dlrevExplorer = {ready: true, errors: [], fileNotice: true};
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
})();
