import {$, api, el, num, rendered, say} from './util.js';
import {pageParams, writeParams} from './state.js';
import {pageReadme, readme, rowsCSV, wireDownloads} from './downloads.js';
import {embedSpec, fillSources, fillTable, subtitle} from './charts.js';

// ---------------------------------------------------------------- Lab page
export default function labPage(data) {
  var d = data.lab, meta = data.meta, view = null, chain = Promise.resolve();
  var corpus = d.corpus || {};
  meta.source_line = 'dlrev scaling lab · corpus: ' + (corpus.name || '?') + ' · ' + (d.complete ? 'finished' : 'unfinished') + ' sweep';
  var defaults = {chart: 'size', m: ''};
  var st = pageParams(defaults);
  if (!d.charts[st.chart]) st.chart = 'size';
  $('#which').value = st.chart;
  var man = d.manifest || {};
  $('#lab-info').textContent = d.models.length + ' models trained on ' + (corpus.source || corpus.name || 'a corpus') +
    (corpus.characters ? ' (' + corpus.characters.toLocaleString('en') + ' characters, vocabulary ' + corpus.vocab_size + ')' : '') +
    (man.family ? '; family "' + man.family + '"' : '') + (man.device ? ' on ' + man.device : '') +
    (d.complete ? '.' : '; the sweep has not finished, so the fits cover the models done so far.');
  var methods = {};
  Object.keys(d.fits).forEach(function (k) { methods[d.fits[k].method] = true; });
  fillSources([], 'Fits: ' + Object.keys(methods).join('; ') + '. Read by dlrev.lab.show from ' + d.folder + '.');
  var srcList = $('#sources');
  if (corpus.source) srcList.appendChild(el('li', {text: 'Corpus: ' + corpus.source}));
  $('#sources-summary').textContent = 'Corpus and code';
  srcList.appendChild(el('li', {text: 'Models and training: dlrev.lab (GPT, char-LSTM, Kneser-Ney n-grams), dlrev ' + meta.version}));
  var FIT_LABEL = {params_power: 'loss vs parameters', params_floor: 'loss vs parameters',
    frontier_power: 'compute frontier', frontier_floor: 'compute frontier'};
  fillTable('#lab-fits', [
    ['key', 'What', function (r) { return FIT_LABEL[r.key] || r.key; }], ['formula', 'Law'],
    ['alpha', 'α [interval]', function (r) { return r.alpha.toFixed(3) + (r.alpha_low !== null && r.alpha_high !== null ? ' [' + r.alpha_low.toFixed(3) + ', ' + r.alpha_high.toFixed(3) + ']' : ''); }],
    ['r2', 'R²', function (r) { return r.r2 === null ? '–' : r.r2.toFixed(3); }],
    ['n_points', 'Points'], ['method', 'Method'],
  ], Object.keys(d.fits).map(function (k) { var o = JSON.parse(JSON.stringify(d.fits[k])); o.key = k; return o; }));
  $('#lab-notes').textContent = [d.utilisation_text].concat(d.notes || []).filter(Boolean).join(' ');
  function showSample(name) {
    st.m = name; writeParams(st, defaults); api.state = JSON.parse(JSON.stringify(st));
    document.querySelectorAll('.sample').forEach(function (s) {
      s.classList.toggle('current', s.getAttribute('data-model') === name);
    });
    var card = $('.sample.current');
    if (card && card.scrollIntoView) card.scrollIntoView({block: 'nearest'});
  }
  fillTable('#lab-models', [
    ['name', 'Model', function (r) {
      var b = el('button', {type: 'button', class: 'link', text: r.name});
      b.addEventListener('click', function () { showSample(r.name); });
      return b;
    }], ['kind', 'Kind'],
    ['size', 'Size', function (r) { return num(r.size) + (r.kind === 'ngram' ? ' entries' : ' params'); }],
    ['val_loss', 'Validation loss (nats/char)', function (r) { return r.val_loss.toFixed(3); }],
    ['steps', 'Steps', function (r) { return r.steps === null ? '–' : String(r.steps); }],
    ['seconds', 'Seconds', function (r) { return r.seconds.toFixed(1); }],
  ], d.models);
  var box = $('#samples');
  d.samples.forEach(function (s) {
    box.appendChild(el('article', {class: 'sample', 'data-model': s.name},
      el('h3', {text: s.name + ' · ' + num(s.size) + (/gram/.test(s.name) ? ' entries' : ' params') +
        (s.val_loss !== null ? ' · val ' + s.val_loss.toFixed(3) : '')}),
      el('pre', {text: s.text})));
  });
  function render() {
    writeParams(st, defaults);
    api.state = JSON.parse(JSON.stringify(st));
    var spec = subtitle(JSON.parse(JSON.stringify(d.charts[st.chart])), meta);
    spec.width = 900;
    spec.height = 340;
    return embedSpec('#chart', spec).then(function (v) {
      if (view) view.finalize();
      view = v; api.view = v;
      if (st.m) showSample(st.m);
      rendered();
    });
  }
  function update() {
    chain = chain.then(render).catch(function (err) { api.errors.push(String(err)); say('Chart error: ' + err); });
    return chain;
  }
  $('#which').addEventListener('change', function () { st.chart = $('#which').value; update(); });
  api.getState = function () { return JSON.parse(JSON.stringify(st)); };
  var keys = ['name', 'kind', 'size', 'val_loss', 'steps', 'tokens_per_s', 'seconds'];
  var srcs = corpus.source ? ['Corpus: ' + corpus.source] : [];
  wireDownloads(function () { return 'dlrev-lab-' + st.chart; }, function () { return view; },
    function () { return {name: 'models.csv', text: rowsCSV(d.models, keys), readme: pageReadme(meta, 'lab models (CSV)', d.models.length, srcs, $('#method').textContent)}; },
    function () { return {name: 'lab.json', text: JSON.stringify({manifest: d.manifest, models: d.models, fits: d.fits, frontier: d.frontier, samples: d.samples}, null, 1), readme: pageReadme(meta, 'lab results (JSON)', d.models.length, srcs, $('#method').textContent)}; });
  return update();
}
