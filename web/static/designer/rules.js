/* The rule editor: one decision table of the gemeente in dmn-js, checked on the server with the
 * loader and evaluator that cases run with, its decision tests run, and submitted for a second
 * designer's approval. A static file (no inline script) so the page works under the CSP. */
(function () {
  'use strict';

  var root = document.getElementById('regels');
  if (!root) { return; }
  var el = function (id) { return document.getElementById(id); };
  // The types the rule packs know (processes/decisions/types.py): money and percentage besides DMN's own.
  var TYPES = ['string', 'boolean', 'integer', 'number', 'date', 'money', 'percentage'];
  var dmn = new window.DmnJS({ container: '#dmn-canvas', common: { dataTypes: TYPES } });

  function say(text, isError) {
    var box = el('meldingen');
    box.textContent = text;
    box.className = isError ? 'trede-designer__msg--error' : '';
  }

  function list(id, items) {
    var ul = el(id);
    ul.textContent = '';
    items.forEach(function (item) {
      var li = document.createElement('li');
      li.textContent = item.text;
      if (item.error) { li.className = 'trede-designer__msg--error'; }
      ul.appendChild(li);
    });
  }

  function fieldError(message) {
    var box = el('geldig_vanaf-fout');
    var input = el('geldig_vanaf');
    box.hidden = !message;
    box.textContent = message || '';
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'geldig_vanaf-fout');
    } else {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
  }

  function showAnswer(answer) {
    var errors = answer.errors || {};
    fieldError(errors.geldig_vanaf);
    var problems = (answer.problems || []).map(function (p) {
      return { text: (p.where ? p.where + ': ' : '') + p.message, error: true };
    });
    Object.keys(errors).forEach(function (key) {
      if (key !== 'geldig_vanaf') { problems.push({ text: errors[key], error: true }); }
    });
    list('problemen', problems);
    list('testuitslagen', (answer.tests || []).map(function (t) {
      return { text: 'Beslistest ‘' + t.name + '’: ' + (t.passed ? 'geslaagd' : 'mislukt: ' + t.messages.join('; ')),
               error: !t.passed };
    }));
  }

  function post(url) {
    return dmn.saveXML({ format: true }).then(function (saved) {
      return fetch(url, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': root.dataset.csrf },
        body: JSON.stringify({ content: saved.xml, geldig_vanaf: el('geldig_vanaf').value,
                               toelichting: el('toelichting').value })
      });
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      if (type.indexOf('application/json') === -1) {
        throw new Error('de server antwoordde met status ' + response.status);
      }
      return response.json();
    });
  }

  el('controleren').addEventListener('click', function () {
    say('Bezig met controleren…');
    post(root.dataset.checkUrl).then(function (answer) {
      showAnswer(answer);
      var tests = (answer.tests || []).length;
      if (answer.ok) {
        say('De tabel is geldig' + (tests ? ' en alle ' + tests + ' beslistests slagen.' : '; er zijn geen beslistests voor deze beslissing.'));
      } else {
        say('De tabel kan zo niet worden ingediend: zie hieronder.', true);
      }
    }).catch(function (err) { say('Controleren lukte niet: ' + err.message, true); });
  });

  var submit = el('indienen');
  if (submit) {
    submit.addEventListener('click', function () {
      say('Bezig met indienen…');
      post(root.dataset.submitUrl).then(function (answer) {
        if (answer.ok) {
          window.location.assign(answer.url);
          return;
        }
        showAnswer(answer);
        say('Niet ingediend: zie hieronder.', true);
      }).catch(function (err) { say('Indienen lukte niet: ' + err.message, true); });
    });
  }

  fetch(root.dataset.tableUrl, { credentials: 'same-origin' }).then(function (r) { return r.text(); })
    .then(function (xml) { return dmn.importXML(xml); })
    .then(function () {
      var table = dmn.getViews().filter(function (v) { return v.type === 'decisionTable'; })[0];
      return table ? dmn.open(table) : null;
    })
    .then(function () { root.setAttribute('data-ready', 'true'); })
    .catch(function (err) {
      root.setAttribute('data-ready', 'fout');
      say('De tabel kon niet worden geopend: ' + err.message, true);
    });
}());
