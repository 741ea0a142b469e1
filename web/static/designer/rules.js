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
  // debounceInput: false — dmn-js by default writes a typed name, label or cell into the model
  // 300 ms after the last key (its debounceInput service). A designer who clicks "Controleren"
  // within that time would have the table checked without what they just typed (the output
  // column's name was the one most often lost: it is typed last before the context menu closes).
  // Without the debounce every edit is in the model as it is typed, so saveXML sends what is on
  // the screen.
  var dmn = new window.DmnJS({ container: '#dmn-canvas',
                               common: { dataTypes: TYPES, debounceInput: false } });
  var buttons = [el('controleren'), el('indienen')].filter(Boolean);

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

  // What went wrong, in Dutch: fetch rejects with a TypeError when the server cannot be reached.
  function failure(err) {
    if (err instanceof TypeError) { return 'de server is niet bereikbaar; probeer het opnieuw'; }
    return err && err.dutch ? err.message : 'er ging iets mis in de browser; laad de pagina opnieuw';
  }

  function refused(message) {
    var err = new Error(message);
    err.dutch = true;
    return err;
  }

  // One request at a time: the buttons are disabled until the answer is in (#meldingen says
  // "Bezig met …" meanwhile).
  function busy(on) {
    buttons.forEach(function (b) { b.disabled = on; });
  }

  function post(url) {
    busy(true);
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
        throw refused('de server antwoordde onverwacht (status ' + response.status + '); laad de pagina opnieuw');
      }
      return response.json();
    }).finally(function () { busy(false); });
  }

  el('controleren').addEventListener('click', function () {
    say('Bezig met controleren…');
    post(root.dataset.checkUrl).then(function (answer) {
      showAnswer(answer);
      var tests = (answer.tests || []).length;
      if (answer.ok) {
        say('De tabel is geldig' + (tests === 1 ? ' en de beslistest slaagt.'
          : tests ? ' en alle ' + tests + ' beslistests slagen.' : '; er zijn geen beslistests voor deze beslissing.'));
      } else {
        say('De tabel kan zo niet worden ingediend: zie hieronder.', true);
      }
    }).catch(function (err) { say('Controleren lukte niet: ' + failure(err) + '.', true); });
  });

  var submit = el('indienen');
  if (submit) {
    submit.addEventListener('click', function () {
      say('Bezig met indienen…');
      post(root.dataset.submitUrl).then(function (answer) {
        if (answer.ok) {
          busy(true); // the review page is loading
          window.location.assign(answer.url);
          return;
        }
        showAnswer(answer);
        say('Niet ingediend: zie hieronder.', true);
      }).catch(function (err) { say('Indienen lukte niet: ' + failure(err) + '.', true); });
    });
  }

  fetch(root.dataset.tableUrl, { credentials: 'same-origin' }).then(function (r) { return r.text(); })
    .then(function (xml) { return dmn.importXML(xml); })
    .then(function () {
      var table = dmn.getViews().filter(function (v) { return v.type === 'decisionTable'; })[0];
      return table ? dmn.open(table) : null;
    })
    .then(function () {
      busy(false); // the buttons work from here: before, there is no table to check
      root.setAttribute('data-ready', 'true');
    })
    .catch(function (err) {
      root.setAttribute('data-ready', 'fout');
      window.console.error(err);
      say('De tabel kon niet worden geopend; laad de pagina opnieuw of meld het de beheerder.', true);
    });
}());
