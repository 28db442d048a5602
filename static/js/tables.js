/* Wide tables (the heatmap, the connected accounts…) scroll inside their .table-wrap on a phone.
 * Where one does not fit, say so above it and let the keyboard scroll it too: a focusable region
 * named after its table (axe: scrollable-region-focusable). */
(function () {
  "use strict";
  var hint = document.getElementById("scroll-hint");
  if (!hint) return;

  function label(wrap) {
    var caption = wrap.querySelector("caption");
    return (caption && caption.textContent.trim()) || hint.textContent.trim();
  }

  function mark(wrap) {
    var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
    var shown = wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("scroll-hint");
    wrap.classList.toggle("is-scrollable", scrollable);
    if (scrollable && !shown) {
      var copy = hint.cloneNode(true);
      copy.removeAttribute("id");
      copy.hidden = false;
      wrap.parentNode.insertBefore(copy, wrap);
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", label(wrap));
    } else if (!scrollable && shown) {
      wrap.parentNode.removeChild(wrap.previousElementSibling);
      ["tabindex", "role", "aria-label"].forEach(function (name) { wrap.removeAttribute(name); });
    }
  }

  function markAll() { document.querySelectorAll(".table-wrap").forEach(mark); }
  markAll();
  var timer;
  window.addEventListener("resize", function () { window.clearTimeout(timer); timer = window.setTimeout(markAll, 150); });
})();
