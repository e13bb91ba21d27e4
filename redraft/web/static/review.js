// redraft review: linked sentences light up together; j/k move through the queue.
// The pages read and work without this script (links to #s<n> and :target do the linking).
(function () {
  "use strict";
  function linked(element) {
    return (element.getAttribute("data-links") || "").split(" ").filter(Boolean)
      .map(function (id) { return document.getElementById(id); }).filter(Boolean);
  }
  function light(element, on) {
    [element].concat(linked(element)).forEach(function (other) {
      other.classList.toggle("hl", on);
    });
  }
  document.querySelectorAll("[data-links]").forEach(function (element) {
    element.addEventListener("mouseenter", function () { light(element, true); });
    element.addEventListener("mouseleave", function () { light(element, false); });
    element.addEventListener("focus", function () { light(element, true); });
    element.addEventListener("blur", function () { light(element, false); });
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll("a[data-row]"));
  if (!rows.length) { return; }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.closest && target.closest("input, textarea, select, button")) { return; }
    if (event.key !== "j" && event.key !== "k") { return; }
    var at = rows.indexOf(document.activeElement);
    var next = event.key === "j" ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1);
    rows[next].focus();
    event.preventDefault();
  });
})();
