// The personal file's page: a link to a part of the page that sits in a closed <details> (the menu's
// recording forms, a year of the timeline, ?entry=N#entry-N) opens it; a refused form's error summary
// takes the focus, so that the reader and a screen reader start at what to correct.
(function () {
  "use strict";
  function openTo(id) {
    var el = id && document.getElementById(id);
    if (!el) return;
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") d.open = true;
    }
    el.scrollIntoView({ block: "start" });
  }
  function fromHash() {
    openTo(decodeURIComponent(location.hash.slice(1)));
  }
  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) return false;
    for (var d = summary; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") d.open = true;
    }
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    return true;
  }
  // The browser moves the focus to the address's #fragment once the page has loaded (the form's
  // anchor): the summary takes it back then.
  window.addEventListener("load", function () {
    window.requestAnimationFrame(focusSummary);
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (!focusSummary()) fromHash();
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest('a[href^="#"]');
      if (a && a.getAttribute("href").length > 1) openTo(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
  });
  window.addEventListener("hashchange", fromHash);
})();
