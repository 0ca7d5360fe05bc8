// Evidence links: when the URL names an event (#e3), mark every piece of that event's sentence.
(function () {
  function mark() {
    document.querySelectorAll("span.targeted").forEach(function (el) { el.classList.remove("targeted"); });
    var m = /^#e(\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    document.querySelectorAll('[data-e~="' + m[1] + '"]').forEach(function (el) { el.classList.add("targeted"); });
  }
  window.addEventListener("hashchange", mark);
  document.addEventListener("DOMContentLoaded", mark);
})();
