/* Draws every chart of the page (charts/_chart.html) with the vendored Vega-Lite (ADR 0029).
   The library is loaded only on a page that has a chart. Vega's expressions go through its
   interpreter (ast: true), so the Content Security Policy needs no 'unsafe-eval'. Once a chart is
   drawn its table folds away (one click opens it); without script, or if drawing fails, the table
   stays open. */
(function () {
  "use strict";
  var views = document.querySelectorAll("[data-vega-spec]");
  if (!views.length) return;
  var base = document.currentScript.getAttribute("data-vendor");
  var files = ["vega.min.js", "vega-lite.min.js", "vega-interpreter.js", "vega-embed.min.js"];

  function load(i, done) {
    if (i === files.length) return done();
    var s = document.createElement("script");
    s.src = base + files[i];
    s.onload = function () { load(i + 1, done); };
    document.head.appendChild(s);
  }

  function read(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  load(0, function () {
    views.forEach(function (el) {
      var options = read(el.getAttribute("data-vega-options"));
      options.renderer = "svg";
      options.actions = false;
      options.ast = true;
      options.expr = window.vega.expressionInterpreter;
      window.vegaEmbed(el, read(el.getAttribute("data-vega-spec")), options).then(function () {
        el.setAttribute("data-drawn", "1");
        var table = el.parentNode.querySelector("details.chart-table");
        if (table) table.open = false;
      }).catch(function (err) {
        el.setAttribute("data-error", String(err));
      });
    });
  });
})();
