/* The process designer's modeler page: bpmn-js / dmn-js editing of a deployed bundle, server-side
 * validation with problems pinned to their elements, model tests, and submitting a deploy request.
 * A static file (no inline script) so the page works under a Content-Security-Policy. */
(function () {
  'use strict';

  var root = document.getElementById('designer');
  if (!root) { return; }

  var state = { files: {}, current: null, problems: [], overlays: [] };
  // TredeKeep (keep.js): what bpmn-js cannot represent goes back into what it saves (MIWG roundtrip)
  var bpmn = new window.BpmnJS({ container: '#canvas', additionalModules: [window.TredeKeep] });
  var dmn = null; // created on first use: most bundles have no decision table
  var el = function (id) { return document.getElementById(id); };
  var SPIFF_NS = 'http://spiffworkflow.org/bpmn/schema/1.0/core';

  function kindOf(name) {
    if (/\.bpmn$/i.test(name)) { return 'bpmn'; }
    if (/\.dmn$/i.test(name)) { return 'dmn'; }
    return 'json';
  }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function say(message, isError) {
    var box = el('meldingen');
    box.textContent = '';
    var p = make('p', { 'class': 'utrecht-paragraph' + (isError ? ' trede-designer__msg--error' : '') }, message);
    box.appendChild(p);
    return p;
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': root.dataset.csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, message: 'Onverwacht antwoord (' + response.status + ')' }; });
    });
  }

  // -- files ----------------------------------------------------------------------------------
  function renderFileList() {
    var list = el('bestanden');
    list.textContent = '';
    Object.keys(state.files).sort().forEach(function (name) {
      var item = make('li');
      var button = make('button', { type: 'button', 'data-file': name }, name);
      if (name === state.current) { button.setAttribute('aria-current', 'true'); }
      button.addEventListener('click', function () { openFile(name); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function saveCurrent() {
    var name = state.current;
    if (!name) { return Promise.resolve(); }
    var kind = kindOf(name);
    if (kind === 'json') {
      state.files[name] = el('formulier-json').value;
      return Promise.resolve();
    }
    var editor = kind === 'bpmn' ? bpmn : dmn;
    return editor.saveXML({ format: true }).then(function (result) { state.files[name] = result.xml; });
  }

  function openFile(name) {
    return saveCurrent().then(function () {
      state.current = name;
      var kind = kindOf(name);
      el('canvas').hidden = kind !== 'bpmn';
      el('dmn-canvas').hidden = kind !== 'dmn';
      el('formulier').hidden = kind !== 'json';
      el('huidig-bestand').textContent = 'Geopend: ' + name;
      renderFileList();
      if (kind === 'json') {
        el('formulier-json').value = state.files[name];
        renderPreview();
        root.setAttribute('data-opened', name);
        return null;
      }
      if (kind === 'dmn') {
        dmn = dmn || new window.DmnJS({ container: '#dmn-canvas' });
        return dmn.importXML(state.files[name]).then(function (result) {
          root.setAttribute('data-opened', name);
          return result;
        });
      }
      return bpmn.importXML(state.files[name]).then(function (result) {
        root.setAttribute('data-opened', name);
        root.setAttribute('data-warnings', String(result.warnings.length));
        fitOnOpen();
        showPanel(null);
        pinProblems();
        return result;
      });
    }).catch(function (err) {
      root.setAttribute('data-opened', 'fout:' + name);
      say('Het bestand ' + name + ' kon niet worden geopend: ' + err.message, true);
    });
  }

  // A short process is shown whole; a long one at a readable size from its start, because a whole
  // 40-step process in one window is too small to read (the "Hele tekening" button shows it anyway).
  function fitOnOpen() {
    var canvas = bpmn.get('canvas');
    canvas.zoom('fit-viewport', 'auto');
    if (canvas.zoom() >= 0.6) { return; }
    var box = canvas.viewbox();
    var scale = Math.min(1, box.outer.height / (box.inner.height + 40));
    canvas.viewbox({ x: box.inner.x - 20, y: box.inner.y - 20,
                     width: box.outer.width / scale, height: box.outer.height / scale });
  }

  function firstModel() {
    var names = Object.keys(state.files).sort();
    var processId = root.dataset.processId;
    var owner = names.filter(function (n) {
      return kindOf(n) === 'bpmn' && state.files[n].indexOf('id="' + processId + '"') >= 0;
    });
    return owner[0] || names.filter(function (n) { return kindOf(n) === 'bpmn'; })[0] || names[0];
  }

  // -- properties panel --------------------------------------------------------------------------
  function field(id, label, value, multiline, onChange) {
    var wrap = make('div', { 'class': 'utrecht-form-field' });
    var labelBox = make('div', { 'class': 'utrecht-form-field__label' });
    labelBox.appendChild(make('label', { 'class': 'utrecht-form-label', 'for': id }, label));
    wrap.appendChild(labelBox);
    var input = multiline
      ? make('textarea', { id: id, rows: '4', spellcheck: 'false', 'class': 'utrecht-textarea utrecht-textarea--html-textarea' })
      : make('input', { id: id, 'class': 'utrecht-textbox utrecht-textbox--html-input' });
    input.value = value || '';
    if (onChange) { input.addEventListener('change', function () { onChange(input.value); }); } else { input.readOnly = true; }
    wrap.appendChild(input);
    return wrap;
  }

  function spiffProperties(bo) {
    var found = {};
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    values.forEach(function (ext) {
      if (ext.$type !== 'spiffworkflow:properties') { return; }
      (ext.$children || []).forEach(function (prop) {
        var attrs = prop.$attrs || {};
        var name = prop.name || attrs.name;
        if (name) { found[name] = prop.value !== undefined ? prop.value : attrs.value; }
      });
    });
    return found;
  }

  // Sets (or, empty, removes) one spiffworkflow:property of an element through the command stack.
  // The spiffworkflow namespace has no moddle descriptor here, so its elements are generic: they are
  // replaced, not changed in place, and only the ExtensionElements' own 'values' is updated.
  function setSpiffProperty(element, name, value) {
    var bo = element.businessObject;
    var moddle = bpmn.get('moddle');
    var modeling = bpmn.get('modeling');
    var ext = bo.extensionElements;
    var values = (ext && ext.values) || [];
    var container = values.filter(function (v) { return v.$type === 'spiffworkflow:properties'; })[0];
    var others = ((container && container.$children) || []).filter(function (prop) {
      return (prop.name || (prop.$attrs || {}).name) !== name;
    });
    var children = value ? others.concat([moddle.createAny('spiffworkflow:property', SPIFF_NS, { name: name, value: value })]) : others;
    var replacement = null;
    if (children.length) {
      replacement = moddle.createAny('spiffworkflow:properties', SPIFF_NS, {});
      replacement.$children = children;
      replacement.$parent = ext;
    }
    var nextValues = container
      ? values.map(function (v) { return v === container ? replacement : v; }).filter(Boolean)
      : values.concat(replacement ? [replacement] : []);
    if (ext) {
      modeling.updateModdleProperties(element, ext, { values: nextValues });
    } else if (replacement) {
      ext = moddle.create('bpmn:ExtensionElements', { values: nextValues });
      replacement.$parent = ext;
      modeling.updateProperties(element, { extensionElements: ext });
    }
  }

  // What properties.js needs: the modeler, the bundle's files and the panel's building blocks.
  function panelContext(panel) {
    return {
      bpmn: bpmn, state: state, panel: panel, make: make,
      spiffProperties: spiffProperties, setSpiffProperty: setSpiffProperty,
      renderFileList: renderFileList, rerender: showPanel,
      field: function (id, label, value, multiline) {
        var wrap = field(id, label, value, multiline, function () {});
        return { wrap: wrap, input: wrap.querySelector('#' + id) };
      },
      select: function (id, label, options, value) {
        var wrap = make('div', { 'class': 'utrecht-form-field' });
        var labelBox = make('div', { 'class': 'utrecht-form-field__label' });
        labelBox.appendChild(make('label', { 'class': 'utrecht-form-label', 'for': id }, label));
        wrap.appendChild(labelBox);
        var input = make('select', { id: id, 'class': 'utrecht-select utrecht-select--html-select' });
        options.forEach(function (option) {
          var node = make('option', { value: option[0] }, option[1]);
          if (option[0] === value) { node.selected = true; }
          input.appendChild(node);
        });
        wrap.appendChild(input);
        return { wrap: wrap, input: input };
      }
    };
  }

  function showPanel(element) {
    var panel = el('eigenschappen');
    panel.textContent = '';
    if (!element || element.type === 'bpmn:Process' || element.type === 'bpmn:Collaboration' || element.labelTarget) {
      panel.appendChild(make('p', { 'class': 'utrecht-paragraph' }, 'Kies een element in de tekening.'));
      return;
    }
    var bo = element.businessObject;
    var modeling = bpmn.get('modeling');
    panel.appendChild(make('p', { 'class': 'utrecht-paragraph' }, element.type.replace('bpmn:', '') + ' ' + bo.id));
    panel.appendChild(field('prop-id', 'Id', bo.id, false, null));
    panel.appendChild(field('prop-naam', 'Naam', bo.name, false, function (value) {
      modeling.updateProperties(element, { name: value || undefined });
    }));
    if (element.type === 'bpmn:SequenceFlow') {
      var condition = bo.conditionExpression ? bo.conditionExpression.body : '';
      panel.appendChild(field('prop-voorwaarde', 'Voorwaarde (Python-expressie)', condition, true, function (value) {
        var expression = value.trim()
          ? bpmn.get('moddle').create('bpmn:FormalExpression', { body: value }) : undefined;
        modeling.updateProperties(element, { conditionExpression: expression });
      }));
    }
    if (element.type === 'bpmn:ScriptTask') {
      panel.appendChild(field('prop-script', 'Script (Python)', bo.script, true, function (value) {
        modeling.updateProperties(element, { script: value });
      }));
    }
    var props = spiffProperties(bo);
    if (element.type === 'bpmn:UserTask') {
      // engine/assignment.py: the task starts claimed by the user this process variable names
      panel.appendChild(field('prop-toewijzen', 'Toewijzen aan (procesvariabele)', props.assignee, false, function (value) {
        setSpiffProperty(element, 'assignee', value.trim());
      }));
    }
    window.TredeProperties.render(panelContext(panel), element);  // properties.js: timers, form, ...
    Object.keys(props).forEach(function (name, index) {
      if (window.TredeProperties.handled.indexOf(name) >= 0) { return; }
      panel.appendChild(field('prop-ext-' + index, name, props[name], false, null));
    });
    var form = props.formJsonSchemaFilename;
    if (form) {
      var target = Object.keys(state.files).filter(function (n) { return n === form || n.split('/').pop() === form; })[0];
      if (target) {
        var button = make('button', { type: 'button', 'class': 'utrecht-button utrecht-button--secondary-action' }, 'Formulier bewerken');
        button.addEventListener('click', function () { openFile(target); });
        panel.appendChild(button);
      } else {
        panel.appendChild(make('p', { 'class': 'utrecht-paragraph trede-designer__msg--error' }, 'Formulier ' + form + ' zit niet in de bundel.'));
      }
    }
  }

  bpmn.on('selection.changed', function (event) { showPanel(event.newSelection[0] || null); });

  // -- form preview ----------------------------------------------------------------------------------
  function renderPreview() {
    var box = el('formulier-voorbeeld');
    box.textContent = '';
    var schema;
    try {
      schema = JSON.parse(el('formulier-json').value);
    } catch (err) {
      box.appendChild(make('p', { 'class': 'trede-designer__msg--error' }, 'Geen geldige JSON: ' + err.message));
      return;
    }
    var props = schema.properties || {};
    var order = (schema['x-order'] || []).filter(function (n) { return props[n]; });
    Object.keys(props).forEach(function (n) { if (order.indexOf(n) < 0) { order.push(n); } });
    box.appendChild(make('h4', { 'class': 'utrecht-heading-4' }, schema.title || 'Formulier'));
    var required = schema.required || [];
    order.forEach(function (name, index) {
      var prop = props[name];
      var id = 'voorbeeld-' + index;
      var wrap = make('div', { 'class': 'utrecht-form-field' });
      var input;
      if (prop['x-gebruiker']) {  // filled in on the task page with the gemeente's users of that role
        input = make('select', { id: id, 'class': 'utrecht-select utrecht-select--html-select' });
        input.appendChild(make('option', {}, 'Een collega met de rol ' + prop['x-gebruiker']));
      } else if (prop['enum']) {
        input = make('select', { id: id, 'class': 'utrecht-select utrecht-select--html-select' });
        prop['enum'].forEach(function (option) { input.appendChild(make('option', {}, String(option))); });
      } else if (prop['x-widget'] === 'textarea') {
        input = make('textarea', { id: id, 'class': 'utrecht-textarea utrecht-textarea--html-textarea' });
      } else {
        var type = prop.type === 'boolean' ? 'checkbox' : (prop.type === 'integer' || prop.type === 'number') ? 'number'
          : prop.format === 'date' ? 'date' : 'text';
        input = make('input', { id: id, type: type });
      }
      var label = make('label', { 'for': id, 'class': 'utrecht-form-label' },
        (prop.title || name) + (required.indexOf(name) >= 0 ? ' (verplicht)' : ''));
      wrap.appendChild(label);
      wrap.appendChild(input);
      box.appendChild(wrap);
    });
  }
  el('formulier-json').addEventListener('input', renderPreview);

  // -- problems pinned to elements -------------------------------------------------------------------
  function clearPins() {
    var overlays = bpmn.get('overlays');
    var canvas = bpmn.get('canvas');
    state.overlays.forEach(function (pin) {
      overlays.remove(pin.overlay);
      if (bpmn.get('elementRegistry').get(pin.id)) { canvas.removeMarker(pin.id, 'trede-problem'); }
    });
    state.overlays = [];
  }

  function pinProblems() {
    if (kindOf(state.current || '') !== 'bpmn') { return; }
    clearPins();
    var registry = bpmn.get('elementRegistry');
    state.problems.forEach(function (problem) {
      if (!problem.element_id || problem.file !== state.current || !registry.get(problem.element_id)) { return; }
      bpmn.get('canvas').addMarker(problem.element_id, 'trede-problem');
      var badge = make('span', { 'class': 'trede-problem-badge', title: (problem.element || problem.element_id) + ': ' + problem.message, 'data-element': problem.element_id }, '!');
      var overlay = bpmn.get('overlays').add(problem.element_id, 'trede-problem', { position: { top: -10, right: 10 }, html: badge });
      state.overlays.push({ id: problem.element_id, overlay: overlay });
    });
  }

  function showProblems(problems) {
    state.problems = problems || [];
    var list = el('problemen');
    list.textContent = '';
    state.problems.forEach(function (problem) {
      // The element as a designer knows it ("Scripttaak ‘Bereken premie’ (script_premie)"): a button
      // that selects it in the diagram; the file (and line) only as where it was found.
      var file = problem.file + (problem.line ? ', regel ' + problem.line : '');
      var item = make('li', { 'data-element': problem.element_id || '' });
      if (problem.element_id) {
        var button = make('button', { type: 'button' }, problem.element || problem.element_id);
        button.addEventListener('click', function () { focusElement(problem); });
        item.appendChild(button);
        item.appendChild(document.createTextNode(': ' + problem.message + ' '));
        item.appendChild(make('span', { 'class': 'trede-problem-file' }, '(' + file + ')'));
      } else {
        item.appendChild(make('span', {}, file));
        item.appendChild(document.createTextNode(': ' + problem.message));
      }
      list.appendChild(item);
    });
    pinProblems();
  }

  function focusElement(problem) {
    var go = problem.file !== state.current && state.files[problem.file] ? openFile(problem.file) : Promise.resolve();
    go.then(function () {
      var element = bpmn.get('elementRegistry').get(problem.element_id);
      if (element) {
        bpmn.get('canvas').scrollToElement(element, { top: 80, bottom: 80, left: 120, right: 120 });
        bpmn.get('selection').select(element);
      }
    });
  }

  // -- actions --------------------------------------------------------------------------------------
  function validate() {
    return saveCurrent().then(function () {
      return post(root.dataset.validateUrl, { files: state.files });
    }).then(function (answer) {
      showProblems(answer.problems);
      say(answer.ok ? 'Het model is geldig.' : (answer.problems || []).length + ' probleem/problemen gevonden.', !answer.ok);
      return answer;
    });
  }

  function runTests() {
    return saveCurrent().then(function () {
      return post(root.dataset.testsUrl, { files: state.files });
    }).then(function (answer) {
      var results = answer.results || [];
      var p = say(answer.message || (results.length ? (answer.ok ? 'Alle modeltests geslaagd.' : 'Modeltests mislukt.') : 'Geen modeltests.'), !answer.ok);
      var list = make('ul', { id: 'testuitslag' });
      results.forEach(function (r) {
        list.appendChild(make('li', {}, r.name + ': ' + (r.passed ? 'geslaagd' : 'mislukt — ' + r.messages.join('; '))));
      });
      p.parentNode.appendChild(list);
      return answer;
    });
  }

  function submit() {
    return saveCurrent().then(function () {
      return post(root.dataset.submitUrl, {
        files: state.files, base_version_id: Number(root.dataset.versionId), note: el('toelichting').value
      });
    }).then(function (answer) {
      showProblems(answer.problems || []);
      if (!answer.ok) { say(answer.message || 'Indienen is mislukt.', true); return answer; }
      var p = say('Ingediend als uitrolverzoek ' + answer.id + '. Een tweede ontwerper of een beheerder moet het goedkeuren. ');
      p.appendChild(make('a', { href: answer.url, 'class': 'utrecht-link utrecht-link--html-a' }, 'Naar het uitrolverzoek'));
      return answer;
    });
  }

  function download() {
    return saveCurrent().then(function () {
      var name = state.current;
      var type = kindOf(name) === 'json' ? 'application/json' : 'application/xml';
      var link = make('a', { href: URL.createObjectURL(new Blob([state.files[name]], { type: type })), download: name.split('/').pop() });
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  // Files keep the encoding their XML declaration names (MIWG models come in ISO-8859-1 too);
  // from then on they are text, and bpmn-js saves them as UTF-8.
  function readText(file) {
    return file.arrayBuffer().then(function (buffer) {
      var head = new TextDecoder('ascii').decode(buffer.slice(0, 200));
      var match = /^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(head);
      var decoder;
      try { decoder = new TextDecoder(match ? match[1] : 'utf-8'); } catch (err) { decoder = new TextDecoder('utf-8'); }
      return decoder.decode(buffer);
    });
  }

  // A file from the designer's computer joins the bundle (or replaces the file of that name).
  el('bestand-toevoegen').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    readText(file).then(function (text) {
      return saveCurrent().then(function () {
        state.files[file.name] = text;
        state.current = null; // nothing to save back: the new text is what opens
        return openFile(file.name);
      });
    }).then(function () { event.target.value = ''; });
  });

  el('valideren').addEventListener('click', validate);
  el('hele-tekening').addEventListener('click', function () { bpmn.get('canvas').zoom('fit-viewport', 'auto'); });
  el('tests').addEventListener('click', runTests);
  el('indienen').addEventListener('click', submit);
  el('downloaden').addEventListener('click', download);

  // The browser tests (and curious designers in the console) reach the editors here.
  window.tredeDesigner = { bpmn: bpmn, state: state, openFile: openFile, saveCurrent: saveCurrent, validate: validate };

  fetch(root.dataset.bundleUrl, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (bundle) {
    state.files = bundle.files;
    return openFile(firstModel()).then(function () {
      if (bundle.laid_out && bundle.laid_out.length) {
        say('Zonder tekening uitgerold: trede heeft een eenvoudige indeling gemaakt voor ' + bundle.laid_out.join(', ') + '. Bij indienen gaat die tekening mee.');
      }
    });
  }).then(function () {
    root.setAttribute('data-ready', 'true');
  });
}());
