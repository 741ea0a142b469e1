/* The properties panel's sections for what a process designer sets beyond name, condition and
 * script (issue 20 item 5): the lane an element sits in, timers, the form of a user task and its
 * streefdatum, the called decision, the message a task or event waits for, documentation and the
 * instructions the case manager reads on the task page. Every change goes through bpmn-js's
 * command stack, so undo works. designer.js calls TredeProperties.render for the selected element.
 * A static file (no inline script) so the page works under a Content-Security-Policy. */
(function () {
  'use strict';

  var SPIFF_NS = 'http://spiffworkflow.org/bpmn/schema/1.0/core';
  var TIMER_KINDS = [
    ['timeDate', 'Op een moment (timeDate)'],
    ['timeDuration', 'Na een duur (timeDuration)'],
    ['timeCycle', 'Herhalend (timeCycle)']
  ];
  // engine/scheduling/streefdatum.py: "<n> werkdagen" or an ISO 8601 period such as P2W
  var STREEFDATUM = /^(\d+ werkdag(en)?|P(\d+[YMWD])+)$/;
  var BARE_ISO = /^(R\d*\/)?(P[\dYMWDTHS.]+|\d{4}-\d{2}-\d{2}\S*)$/;

  function render(ctx, element) {
    var bo = element.businessObject;
    var type = element.type;
    if (type !== 'bpmn:SequenceFlow' && type !== 'bpmn:Lane') { laneSection(ctx, element); }
    var definition = (bo.eventDefinitions || [])[0];
    if (definition && definition.$type === 'bpmn:TimerEventDefinition') { timerSection(ctx, element, definition); }
    if (type === 'bpmn:ReceiveTask' || type === 'bpmn:SendTask') { messageSection(ctx, element, bo); }
    if (definition && definition.$type === 'bpmn:MessageEventDefinition') { messageSection(ctx, element, definition); }
    if (type === 'bpmn:UserTask') {
      formSection(ctx, element);
      streefdatumSection(ctx, element);
      textSection(ctx, element, 'instructionsForEndUser', 'prop-instructies',
        'Instructie voor de casemanager (op de taakpagina)');
    }
    if (type === 'bpmn:BusinessRuleTask') {
      textSection(ctx, element, 'calledDecisionId', 'prop-beslissing', 'Beslissing (id van de beslistabel)', true);
    }
    documentationSection(ctx, element, bo);
  }

  // -- the lane: who does it ------------------------------------------------------------------------
  function laneSection(ctx, element) {
    var lanes = ctx.bpmn.get('elementRegistry').filter(function (e) {
      return e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).indexOf(element.businessObject) >= 0;
    });
    if (!lanes.length) { return; }
    var name = lanes[0].businessObject.name || lanes[0].id;
    ctx.panel.appendChild(ctx.make('p', { 'class': 'utrecht-paragraph', id: 'prop-baan' },
      'Baan (wie doet het): ' + name + '. Sleep het element naar een andere baan om het daar te leggen.'));
  }

  // -- timers -----------------------------------------------------------------------------------------
  function timerSection(ctx, element, definition) {
    var kind = TIMER_KINDS.filter(function (k) { return definition[k[0]]; }).map(function (k) { return k[0]; })[0] || 'timeDuration';
    var current = definition[kind] ? definition[kind].body : '';
    var select = ctx.select('prop-timer-soort', 'Soort timer', TIMER_KINDS, kind);
    var box = ctx.field('prop-timer', 'Timer (expressie; een vaste waarde tussen aanhalingstekens, bijv. "P14D")', current, true);
    var hint = ctx.make('p', { 'class': 'utrecht-paragraph', id: 'prop-timer-hint', 'aria-live': 'polite' });
    function apply() {
      var value = box.input.value.trim();
      var props = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
      if (value) { props[select.input.value] = ctx.bpmn.get('moddle').create('bpmn:FormalExpression', { body: value }); }
      ctx.bpmn.get('modeling').updateModdleProperties(element, definition, props);
      hint.textContent = BARE_ISO.test(value)
        ? 'Let op: ' + value + ' staat niet tussen aanhalingstekens. Schrijf "' + value + '".' : '';
      hint.className = 'utrecht-paragraph' + (hint.textContent ? ' trede-designer__msg--error' : '');
    }
    select.input.addEventListener('change', apply);
    box.input.addEventListener('change', apply);
    ctx.panel.appendChild(select.wrap);
    ctx.panel.appendChild(box.wrap);
    ctx.panel.appendChild(hint);
  }

  // -- messages ---------------------------------------------------------------------------------------
  function messageSection(ctx, element, holder) {
    var definitions = ctx.bpmn.getDefinitions();
    var messages = (definitions.rootElements || []).filter(function (r) { return r.$type === 'bpmn:Message'; });
    var options = [['', '(geen)']].concat(messages.map(function (m) { return [m.id, m.name || m.id]; }));
    options.push(['__nieuw__', 'Nieuw bericht…']);
    var select = ctx.select('prop-bericht', 'Bericht waarop gewacht wordt', options, holder.messageRef ? holder.messageRef.id : '');
    select.input.addEventListener('change', function () {
      var modeling = ctx.bpmn.get('modeling');
      var chosen = select.input.value;
      var message;
      if (chosen === '__nieuw__') {
        var name = window.prompt('Naam van het nieuwe bericht (bijv. WerknemerUitDienst)');
        if (!name || !/^[A-Za-z_][\w-]*$/.test(name.trim())) { ctx.rerender(element); return; }
        message = ctx.bpmn.get('moddle').create('bpmn:Message', { id: name.trim(), name: name.trim() });
        message.$parent = definitions;
        modeling.updateModdleProperties(element, definitions, { rootElements: (definitions.rootElements || []).concat([message]) });
      } else {
        message = messages.filter(function (m) { return m.id === chosen; })[0];
      }
      modeling.updateModdleProperties(element, holder, { messageRef: message || undefined });
      ctx.rerender(element);
    });
    ctx.panel.appendChild(select.wrap);
    textSection(ctx, element, 'messageVariable', 'prop-berichtvariabele', 'Procesvariabele voor de inhoud van het bericht');
  }

  // -- the form of a user task ------------------------------------------------------------------------
  function formSection(ctx, element) {
    var current = ctx.spiffProperties(element.businessObject).formJsonSchemaFilename || '';
    var forms = Object.keys(ctx.state.files).filter(function (n) { return /\.json$/i.test(n); }).sort();
    var options = [['', '(geen formulier)']].concat(forms.map(function (n) { return [n.split('/').pop(), n]; }));
    options.push(['__nieuw__', 'Nieuw formulier…']);
    var select = ctx.select('prop-formulier', 'Formulier', options, current);
    select.input.addEventListener('change', function () {
      var chosen = select.input.value;
      if (chosen === '__nieuw__') {
        var name = 'forms/' + element.businessObject.id + '.json';
        if (!ctx.state.files[name]) {
          ctx.state.files[name] = JSON.stringify({
            title: element.businessObject.name || element.businessObject.id, type: 'object',
            properties: { toelichting: { type: 'string', title: 'Toelichting', 'x-widget': 'textarea' } },
            required: []
          }, null, 2) + '\n';
        }
        chosen = name.split('/').pop();
      }
      ctx.setSpiffProperty(element, 'formJsonSchemaFilename', chosen);
      ctx.renderFileList();
      ctx.rerender(element);
    });
    ctx.panel.appendChild(select.wrap);
  }

  function streefdatumSection(ctx, element) {
    var current = ctx.spiffProperties(element.businessObject).streefdatum || '';
    var box = ctx.field('prop-streefdatum', 'Streefdatum (bijv. "10 werkdagen" of "P2W"; leeg: 10 werkdagen)', current, false);
    var hint = ctx.make('p', { 'class': 'utrecht-paragraph', id: 'prop-streefdatum-hint', 'aria-live': 'polite' });
    box.input.addEventListener('change', function () {
      var value = box.input.value.trim();
      if (value && !STREEFDATUM.test(value)) {
        hint.textContent = 'Schrijf een aantal werkdagen ("10 werkdagen") of een ISO 8601-periode ("P2W").';
        hint.className = 'utrecht-paragraph trede-designer__msg--error';
        return;
      }
      hint.textContent = '';
      ctx.setSpiffProperty(element, 'streefdatum', value);
    });
    ctx.panel.appendChild(box.wrap);
    ctx.panel.appendChild(hint);
  }

  // -- spiffworkflow text elements (called decision, instructions, message variable) ----------------------
  function spiffText(bo, local) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    var found = values.filter(function (v) { return v.$type === 'spiffworkflow:' + local; })[0];
    return found ? (found.$body || '') : '';
  }

  function setSpiffText(ctx, element, local, text) {
    var bo = element.businessObject;
    var moddle = ctx.bpmn.get('moddle');
    var modeling = ctx.bpmn.get('modeling');
    var ext = bo.extensionElements;
    var values = ((ext && ext.values) || []).filter(function (v) { return v.$type !== 'spiffworkflow:' + local; });
    if (text) {
      var made = moddle.createAny('spiffworkflow:' + local, SPIFF_NS, {});
      made.$body = text;
      values = values.concat([made]);
    }
    if (ext) {
      values.forEach(function (v) { v.$parent = ext; });
      modeling.updateModdleProperties(element, ext, { values: values });
    } else if (values.length) {
      ext = moddle.create('bpmn:ExtensionElements', { values: values });
      values.forEach(function (v) { v.$parent = ext; });
      modeling.updateProperties(element, { extensionElements: ext });
    }
  }

  function textSection(ctx, element, local, id, label, single) {
    var box = ctx.field(id, label, spiffText(element.businessObject, local), !single);
    box.input.addEventListener('change', function () { setSpiffText(ctx, element, local, box.input.value.trim()); });
    ctx.panel.appendChild(box.wrap);
  }

  function documentationSection(ctx, element, bo) {
    var text = (bo.documentation || []).map(function (d) { return d.text || ''; }).join('\n');
    var box = ctx.field('prop-documentatie', 'Documentatie (voor ontwerpers en auditors)', text, true);
    box.input.addEventListener('change', function () {
      var value = box.input.value.trim();
      var docs = value ? [ctx.bpmn.get('moddle').create('bpmn:Documentation', { text: value })] : [];
      ctx.bpmn.get('modeling').updateProperties(element, { documentation: docs });
    });
    ctx.panel.appendChild(box.wrap);
  }

  window.TredeProperties = {
    render: render,
    handled: ['formJsonSchemaFilename', 'streefdatum', 'assignee']
  };
}());
