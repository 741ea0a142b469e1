/* What bpmn-js cannot represent, kept through the modeler: a bpmn-js module (window.TredeKeep).
 *
 * A designer who opens a model from another tool and downloads or deploys it again must get back
 * every element and attribute (issue 7, BPMN MIWG roundtrip). bpmn-js 18 / bpmn-moddle lose four
 * kinds of content on the way; this module keeps each of them in the modeler itself, so what the
 * designer downloads or submits is what bpmn-js saved, plus exactly what it could not represent:
 *
 * 1. Diagram elements that are never drawn (the shapes of a process no participant refers to, an
 *    edge without bpmnElement): BpmnDiOrdering rebuilds every plane from the drawn elements on save.
 *    They go back into their plane after it, unless what they show is gone: their bpmnElement no
 *    longer in the model, or the diagram element an edge connects no longer in a plane.
 * 2. Attributes set explicitly to bpmn-moddle's default (messageVisibleKind="initiating", which the
 *    BPMN DI schema has no default for): moddle-xml does not write defaults. Those the imported file
 *    had, and that still hold that value, are written.
 * 3. References to something the file does not declare (outMessageRef triso:unspecified): moddle
 *    drops them with an "unresolved reference" warning. They are written as they were, unless the
 *    element is gone or the designer has set the property since.
 * 4. Attributes of a foreign extension element in that element's own namespace
 *    (<triso:allowedValues constraintsType=".." triso:constraintsType="..">): moddle-xml's parser and
 *    writer both strip the prefix, so the two attributes merge. They are taken out before parsing,
 *    the element is marked, and they are put back on the marked element in the saved XML.
 *
 * Nothing is kept from before the import: deleting a drawn element deletes it. The alternative, a
 * server-side merge of the saved XML with the version being edited, was rejected: the modeler knows
 * what the designer deleted, a text merge has to guess, and files added from the designer's own
 * computer have no server-side version to merge with.
 */
(function () {
  'use strict';

  var MARK = 'trede-keep'; // an unqualified attribute: moddle keeps it on a generic element

  function contained(element) {
    // containment properties only: following references could reach deleted elements
    var descriptor = element.$descriptor;
    if (!descriptor) { return []; }
    if (descriptor.isGeneric) { return element.$children || []; }
    var found = [];
    descriptor.properties.forEach(function (p) {
      if (p.isReference || p.isAttr || !Object.prototype.hasOwnProperty.call(element, p.name)) { return; }
      var value = element[p.name];
      if (Array.isArray(value)) { found.push.apply(found, value); } else if (value && typeof value === 'object') { found.push(value); }
    });
    return found;
  }

  function reachable(definitions) {
    var seen = new Set();
    var stack = [definitions];
    while (stack.length) {
      var element = stack.pop();
      if (!element || typeof element !== 'object' || seen.has(element)) { continue; }
      seen.add(element);
      stack.push.apply(stack, contained(element));
    }
    return seen;
  }

  // -- 4. same-namespace attributes of foreign elements, taken out before parsing ------------------
  function markForeignAttributes(xml, knownUris) {
    // no DTDs, as on the server (engine/models/safe_xml.py): such a file goes to bpmn-js untouched
    if (/<!DOCTYPE/i.test(xml)) { return { xml: xml, attributes: [] }; }
    var doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) { return { xml: xml, attributes: [] }; }
    var kept = [];
    Array.prototype.forEach.call(doc.getElementsByTagName('*'), function (node) {
      var ns = node.namespaceURI;
      if (!ns || knownUris.indexOf(ns) >= 0) { return; }
      var own = Array.prototype.filter.call(node.attributes, function (a) { return a.namespaceURI === ns; });
      if (!own.length) { return; }
      kept.push(own.map(function (a) { return { ns: ns, prefix: a.prefix, local: a.localName, value: a.value }; }));
      own.forEach(function (a) { node.removeAttributeNode(a); });
      node.setAttribute(MARK, String(kept.length - 1));
    });
    if (!kept.length) { return { xml: xml, attributes: [] }; }
    return { xml: new XMLSerializer().serializeToString(doc), attributes: kept };
  }

  function restoreForeignAttributes(xml, kept) {
    if (xml.indexOf(MARK + '=') < 0) { return xml; }
    var doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) { return xml; }
    Array.prototype.forEach.call(doc.querySelectorAll('[' + MARK + ']'), function (node) {
      (kept[Number(node.getAttribute(MARK))] || []).forEach(function (a) {
        var prefix = node.lookupPrefix(a.ns) || a.prefix;
        node.setAttributeNS(a.ns, prefix + ':' + a.local, a.value);
      });
      node.removeAttribute(MARK);
    });
    var out = new XMLSerializer().serializeToString(doc);
    return out.replace(/^(<\?xml[^>]*\?>)(?!\n)/, '$1\n');
  }

  // -- 1. diagram elements that were never drawn -----------------------------------------------------
  function undrawn(canvas, elementRegistry) {
    var drawn = new Set(elementRegistry.getAll().map(function (e) { return e.di; }).filter(Boolean));
    var found = [];
    canvas.getRootElements().forEach(function (root) {
      var plane = root.di;
      if (!plane || !plane.planeElement) { return; }
      plane.planeElement.forEach(function (di, index) {
        if (!drawn.has(di)) { found.push({ plane: plane, di: di, index: index }); }
      });
    });
    return found;
  }

  function restoreUndrawn(items, definitions, alive) {
    var inPlanes = new Set();
    (definitions.diagrams || []).forEach(function (diagram) {
      var plane = diagram.plane;
      if (!plane) { return; }
      inPlanes.add(plane);
      (plane.planeElement || []).forEach(function (di) { inPlanes.add(di); });
    });
    var candidates = items.filter(function (item) {
      return item.plane.planeElement.indexOf(item.di) < 0 && (!item.di.bpmnElement || alive.has(item.di.bpmnElement));
    });
    candidates.forEach(function (item) { inPlanes.add(item.di); });
    candidates.forEach(function (item) {
      var ends = [item.di.sourceElement, item.di.targetElement].filter(Boolean);
      if (ends.every(function (end) { return inPlanes.has(end); })) {
        var list = item.plane.get('planeElement');
        list.splice(Math.min(item.index, list.length), 0, item.di);
      }
    });
  }

  // -- 2. attributes set to bpmn-moddle's default --------------------------------------------------
  function explicitDefaults(elements) {
    var found = [];
    elements.forEach(function (element) {
      var descriptor = element.$descriptor;
      if (!descriptor || descriptor.isGeneric) { return; }
      descriptor.properties.forEach(function (p) {
        if (p.isMany || p.isReference || p.default === undefined) { return; }
        if (Object.prototype.hasOwnProperty.call(element, p.name) && element[p.name] === p.default) {
          found.push({ element: element, property: p, name: p.inherited ? p.ns.localName : p.ns.name });
        }
      });
    });
    return found;
  }

  // -- 3. references to what the file does not declare ----------------------------------------------
  function unresolved(warnings) {
    return (warnings || []).filter(function (w) {
      return /^unresolved reference/.test(w.message || '') && w.element && w.property && w.element.$descriptor;
    }).map(function (w) {
      return { element: w.element, property: w.element.$descriptor.propertiesByName[w.property], id: w.value };
    }).filter(function (r) { return r.property; });
  }

  function TredeKeep(eventBus, canvas, elementRegistry, moddle, bpmnjs) {
    var kept = { attributes: [], undrawn: [], defaults: [], refs: [] };
    var temporary = [];

    eventBus.on('import.parse.start', function (event) {
      var knownUris = moddle.getPackages().map(function (p) { return p.uri; });
      var marked = markForeignAttributes(event.xml, knownUris);
      kept = { attributes: marked.attributes, undrawn: [], defaults: [], refs: [] };
      return marked.xml;
    });

    eventBus.on('import.done', function (event) {
      var definitions = bpmnjs.getDefinitions();
      if (event.error || !definitions) { return; }
      kept.undrawn = undrawn(canvas, elementRegistry);
      kept.defaults = explicitDefaults(Array.from(reachable(definitions)));
      kept.refs = unresolved(event.warnings);
    });

    // after BpmnDiOrdering (priority 2000) has rebuilt the planes from what is drawn
    eventBus.on('saveXML.start', 1000, function (event) {
      var alive = reachable(event.definitions);
      restoreUndrawn(kept.undrawn, event.definitions, alive);
      kept.defaults.forEach(function (d) {
        var element = d.element;
        if (!alive.has(element) || element[d.property.name] !== d.property.default || d.name in element.$attrs) { return; }
        element.$attrs[d.name] = String(d.property.default);
        temporary.push(function () { delete element.$attrs[d.name]; });
      });
      kept.refs.forEach(function (r) {
        var element = r.element;
        var name = r.property.name;
        if (!alive.has(element)) { return; }
        var placeholder = { id: r.id };
        if (r.property.isMany) {
          var list = element.get(name);
          if (list.some(function (v) { return v && v.id === r.id; })) { return; }
          list.push(placeholder);
          temporary.push(function () { var i = list.indexOf(placeholder); if (i >= 0) { list.splice(i, 1); } });
        } else if (!element[name]) {
          element[name] = placeholder;
          temporary.push(function () { if (element[name] === placeholder) { delete element[name]; } });
        }
      });
    });

    eventBus.on('saveXML.serialized', function (event) {
      return event.xml ? restoreForeignAttributes(event.xml, kept.attributes) : undefined;
    });

    // the editor goes on with its own model: placeholders and written defaults are for the file only
    eventBus.on('saveXML.done', function () {
      temporary.forEach(function (undo) { undo(); });
      temporary = [];
    });
  }

  TredeKeep.$inject = ['eventBus', 'canvas', 'elementRegistry', 'moddle', 'bpmnjs'];

  window.TredeKeep = { __init__: ['tredeKeep'], tredeKeep: ['type', TredeKeep] };
}());
