// The paper import's page: a large template with its scans is sent with a progress bar (how much is
// uploaded, then how many of the ledger's entries are written, asked of the server each second), and
// the answer replaces the page. Without script the form is sent as any form is.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.crypto) return;
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  function token() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var key = token();
    var polling = null;
    data.append("progress", key);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((100 * e.loaded) / e.total);
      text.textContent = bar.value + "%";
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      text.textContent = form.dataset.checking || "…";
      polling = window.setInterval(function () {
        var ask = new XMLHttpRequest();
        ask.open("GET", form.dataset.progress.replace(/0{32}$/, key));
        ask.addEventListener("load", function () {
          try {
            var p = JSON.parse(ask.responseText);
            if (p.total > 0) {
              bar.max = p.total;
              bar.value = p.done;
              text.textContent = (form.dataset.writing || "{done} / {total}")
                .replace("{done}", p.done.toLocaleString()).replace("{total}", p.total.toLocaleString());
            }
          } catch (ignored) { /* the answer is on its way */ }
        });
        ask.send();
      }, 1000);
    });
    xhr.addEventListener("load", function () {
      if (polling !== null) window.clearInterval(polling);
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.send(data);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  });
})();
