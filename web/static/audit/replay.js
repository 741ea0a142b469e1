/* Visual replay of a case: the BPMN diagram of the instance a step ran in, the path taken so far
 * marked, and a step control (buttons; arrow keys, Home and End while a button has focus).
 * Data comes from the auditor's afspelen.json endpoint; bpmn-js is served from static/vendor.
 * Text is put in with textContent only: task data is never parsed as HTML. */
(function () {
  'use strict';

  var root = document.getElementById('afspelen');
  if (!root || typeof BpmnJS === 'undefined') { return; }

  var position = document.getElementById('stap-positie');
  var details = document.getElementById('stap-details');
  var viewer = new BpmnJS({ container: document.getElementById('diagram') });
  var state = { steps: [], instances: {}, index: 0, shown: null, xml: {} };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function instanceAt(index) {
    for (var i = index; i >= 0; i--) {
      if (state.steps[i].instance_id) { return state.steps[i].instance_id; }
    }
    var first = state.steps.find(function (s) { return s.instance_id; });
    return first ? first.instance_id : null;
  }

  function loadDiagram(instanceId) {
    if (instanceId === state.shown) { return Promise.resolve(); }
    var inst = state.instances[instanceId];
    var text = state.xml[instanceId] ? Promise.resolve(state.xml[instanceId])
      : fetch(inst.diagram, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error('diagram ' + r.status); }
        return r.text();
      });
    return text.then(function (xml) {
      state.xml[instanceId] = xml;
      return viewer.importXML(xml);
    }).then(function () {
      state.shown = instanceId;
      viewer.get('canvas').zoom('fit-viewport');
    });
  }

  function mark(instanceId, index) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    registry.forEach(function (e) {
      canvas.removeMarker(e.id, 'audit-done');
      canvas.removeMarker(e.id, 'audit-current');
    });
    var done = new Set();
    for (var i = 0; i <= index; i++) {
      if (state.steps[i].instance_id === instanceId) {
        // a correction withdraws work done before it; what runs again is marked again later
        state.steps[i].withdrawn.forEach(function (id) { done.delete(id); });
        state.steps[i].elements.forEach(function (id) { done.add(id); });
      }
    }
    done.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, 'audit-done'); } });
    registry.filter(function (e) {
      var bo = e.businessObject;
      return e.type === 'bpmn:SequenceFlow' && bo.sourceRef && bo.targetRef
        && done.has(bo.sourceRef.id) && done.has(bo.targetRef.id);
    }).forEach(function (e) { canvas.addMarker(e.id, 'audit-done'); });
    var step = state.steps[index];
    if (step.instance_id === instanceId) {
      step.elements.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, 'audit-current'); } });
    }
  }

  function table(caption, headers, rows) {
    var t = el('table', null, 'utrecht-table utrecht-table--html-table');
    t.appendChild(el('caption', caption, 'utrecht-table__caption'));
    var head = el('tr', null, 'utrecht-table__row');
    headers.forEach(function (h) {
      var th = el('th', h, 'utrecht-table__header-cell');
      th.scope = 'col';
      head.appendChild(th);
    });
    t.appendChild(el('thead', null, 'utrecht-table__header')).appendChild(head);
    var body = t.appendChild(el('tbody', null, 'utrecht-table__body'));
    rows.forEach(function (r) {
      var tr = body.appendChild(el('tr', null, 'utrecht-table__row'));
      r.forEach(function (c) { tr.appendChild(el('td', c, 'utrecht-table__cell')); });
    });
    return t;
  }

  function text(value) {
    if (value === null || value === undefined) { return 'leeg'; }
    if (typeof value === 'boolean') { return value ? 'ja' : 'nee'; }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  function pairs(obj) {
    return Object.keys(obj || {}).map(function (k) { return [k, text(obj[k])]; });
  }

  function render(step) {
    details.replaceChildren();
    var title = step.label + (step.task_name ? ': ' + step.task_name : '');
    details.appendChild(el('h3', 'Gebeurtenis ' + step.seq + ' · ' + title, 'utrecht-heading-3'));
    var dl = details.appendChild(el('dl', null, 'trede-dl'));
    [['Wanneer', step.at_local], ['Wie of wat', step.trigger], ['Model', step.model || '—'],
      ['Uitgevoerd', step.element_names.join(', ') || '—']].forEach(function (p) {
      dl.appendChild(el('dt', p[0]));
      dl.appendChild(el('dd', p[1]));
    });
    if (step.problem) { details.appendChild(el('p', 'Afwijking: ' + step.problem, 'utrecht-paragraph audit-problem')); }
    if (step.submitted && typeof step.submitted === 'object' && Object.keys(step.submitted).length) {
      details.appendChild(table('Ingediende gegevens', ['Veld', 'Waarde'], pairs(step.submitted)));
    }
    if (step.changes.length) {
      details.appendChild(table('Gegevens die deze stap opleverde', ['Veld', 'Wijziging', 'Voor', 'Na'],
        step.changes.map(function (c) { return [c.key, c.kind, c.before, c.after]; })));
    } else {
      details.appendChild(el('p', 'Deze stap veranderde geen gegevens.', 'utrecht-paragraph'));
    }
    step.decisions.forEach(function (d) {
      var rows = pairs(d.inputs).map(function (r) { return ['invoer'].concat(r); })
        .concat(pairs(d.outputs).map(function (r) { return ['uitkomst'].concat(r); }));
      details.appendChild(table('Beslissing ' + d.name + ': regel ' + d.rule + ' (versie ' + d.version + ')',
        ['Soort', 'Veld', 'Waarde'], rows));
    });
  }

  function show(index) {
    var count = state.steps.length;
    if (!count) { position.textContent = 'Deze zaak heeft nog geen gebeurtenissen.'; return Promise.resolve(); }
    index = Math.max(0, Math.min(count - 1, index));
    state.index = index;
    var step = state.steps[index];
    var instanceId = instanceAt(index);
    var ready = instanceId ? loadDiagram(instanceId) : Promise.resolve();
    return ready.then(function () {
      if (instanceId) { mark(instanceId, index); }
      render(step);
      position.textContent = 'Stap ' + (index + 1) + ' van ' + count + ': ' + step.label
        + (step.task_name ? ' (' + step.task_name + ')' : '');
      root.setAttribute('data-current-step', String(step.seq));
      root.querySelector('[data-step="first"]').disabled = index === 0;
      root.querySelector('[data-step="prev"]').disabled = index === 0;
      root.querySelector('[data-step="next"]').disabled = index === count - 1;
      root.querySelector('[data-step="last"]').disabled = index === count - 1;
    }).catch(function (err) {
      position.textContent = 'Het diagram kon niet worden getoond: ' + err.message;
    });
  }

  var moves = {
    first: function () { return 0; },
    prev: function () { return state.index - 1; },
    next: function () { return state.index + 1; },
    last: function () { return state.steps.length - 1; }
  };
  var keys = { ArrowLeft: 'prev', ArrowRight: 'next', Home: 'first', End: 'last' };

  root.querySelector('.audit-replay__controls').addEventListener('click', function (event) {
    var button = event.target.closest('[data-step]');
    if (button) { show(moves[button.getAttribute('data-step')]()); }
  });
  root.querySelector('.audit-replay__controls').addEventListener('keydown', function (event) {
    var move = keys[event.key];
    if (move && event.target.closest('[data-step]')) {
      event.preventDefault();
      show(moves[move]());
    }
  });

  fetch(root.getAttribute('data-source'), { credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) { throw new Error('status ' + r.status); }
      return r.json();
    })
    .then(function (data) {
      state.steps = data.steps;
      data.instances.forEach(function (i) { state.instances[i.id] = i; });
      return show(0);
    })
    .catch(function (err) { position.textContent = 'De stappen konden niet worden geladen: ' + err.message; });
}());
