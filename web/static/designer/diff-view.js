/* The changed models of a deploy request or version diff side by side (issue 20 item 2): bpmn-js
 * viewers for before and after, each changed element marked (added only after, removed only before,
 * changed and redrawn on both). The table above the drawings says the same in words.
 * A static file (no inline script) so the page works under a Content-Security-Policy. */
(function () {
  'use strict';

  var MARK = { added: 'trede-diff-added', removed: 'trede-diff-removed', changed: 'trede-diff-changed', moved: 'trede-diff-moved' };

  function draw(container, xml, marks, kinds) {
    var viewer = new window.BpmnJS({ container: container });
    return viewer.importXML(xml).then(function () {
      var canvas = viewer.get('canvas');
      var registry = viewer.get('elementRegistry');
      var shown = [];
      kinds.forEach(function (kind) {
        (marks[kind] || []).forEach(function (id) {
          var element = registry.get(id);
          if (element && element !== canvas.getRootElement()) { canvas.addMarker(id, MARK[kind]); shown.push(id); }
        });
      });
      focus(canvas, registry, shown);
      container.setAttribute('data-marked', shown.join(' '));
    }).catch(function (err) {
      container.textContent = 'De tekening kon niet worden getoond: ' + err.message;
    });
  }

  // The whole model when it is small; else the part around the changes, at a size that can be read
  // (bpmn-js's own zoom and drag show the rest).
  function focus(canvas, registry, ids) {
    canvas.zoom('fit-viewport', 'auto');
    if (canvas.zoom() >= 0.6 || !ids.length) { return; }
    var box = null;
    ids.forEach(function (id) {
      var e = registry.get(id);
      if (!e.waypoints && !isFinite(e.width)) { return; }  // the process itself: no place to show
      var points = e.waypoints || [{ x: e.x, y: e.y }, { x: e.x + e.width, y: e.y + e.height }];
      points.forEach(function (p) {
        box = box || { x1: p.x, y1: p.y, x2: p.x, y2: p.y };
        box.x1 = Math.min(box.x1, p.x); box.y1 = Math.min(box.y1, p.y);
        box.x2 = Math.max(box.x2, p.x); box.y2 = Math.max(box.y2, p.y);
      });
    });
    if (!box) { return; }
    var outer = canvas.viewbox().outer;
    var pad = 80;
    var width = box.x2 - box.x1 + 2 * pad;
    var height = box.y2 - box.y1 + 2 * pad;
    var scale = Math.min(1, outer.width / width, outer.height / height);
    canvas.viewbox({ x: (box.x1 + box.x2) / 2 - outer.width / scale / 2, y: (box.y1 + box.y2) / 2 - outer.height / scale / 2,
                     width: outer.width / scale, height: outer.height / scale });
  }

  var done = [];
  Array.prototype.forEach.call(document.querySelectorAll('.trede-diff-drawing'), function (section) {
    var data = JSON.parse(section.dataset.diff);  // tojson: safe in a single-quoted attribute
    var before = section.querySelector('[data-side="voor"]');
    var after = section.querySelector('[data-side="na"]');
    if (before) { done.push(draw(before, data.before, data.marks, ['removed', 'changed', 'moved'])); }
    if (after) { done.push(draw(after, data.after, data.marks, ['added', 'changed', 'moved'])); }
  });
  Promise.all(done).then(function () { document.body.setAttribute('data-diff-drawn', 'true'); });
}());
