/* dlrev explorer: the entry module. It reads the page's state from the URL, loads the page's data
 * and hands both to the page's own module (static/page-<name>.js), picked by <body data-page>.
 * Written for dlrev; no third-party code. Every data string reaches the page through
 * textContent or an attribute set by the DOM API, never through innerHTML. */
import {api, getJSON, page, say} from './util.js';
import {initState, state} from './state.js';
import {foldControls} from './layout.js';

// The data files each page needs (data/<name>.json). The Story, Timeline, Horizons and Growth
// pages bring their own scripts (story.js, timeline.js, horizons.js, growth.js).
var NEEDS = {trends: ['systems', 'meta', 'fits', 'vgspecs'], data: ['systems', 'meta'],
  benchmarks: ['benchmarks', 'meta', 'pagespecs'],
  forecasts: ['forecasts', 'meta', 'pagespecs'], scaling: ['scaling', 'meta', 'pagespecs'],
  lab: ['lab', 'meta']};

function start() {
  document.querySelectorAll('form').forEach(function (f) {
    f.addEventListener('submit', function (ev) { ev.preventDefault(); });
  });
  foldControls();
  initState();
  api.getState = function () { return JSON.parse(JSON.stringify(state)); };
  var need = NEEDS[page];
  if (!need) { api.ready = true; document.body.setAttribute('data-rendered', '1'); return; }
  Promise.all([import('./page-' + page + '.js')].concat(
    need.map(function (n) { return getJSON('data/' + n + '.json'); })))
    .then(function (vals) {
      var data = {};
      need.forEach(function (n, i) { data[n] = vals[i + 1]; });
      api.data = data;
      return vals[0].default(data);
    })
    .then(function () { api.ready = true; })
    .catch(function (err) { api.errors.push(String(err)); say('Could not load the data: ' + err); });
}
start();   // a module runs once the document is parsed
