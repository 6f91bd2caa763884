// Blocks that scroll sideways (code, printed output, tables, displayed formulas): each one that
// overflows takes keyboard focus (so it can be scrolled with the arrow keys) and is marked with the
// edges where more content hides, .scroll-cue-left / .scroll-cue-right (custom.css fades those
// edges). Updated on scroll and resize; the theme sets the same tab stops on code and tables, this
// covers every block at once.
(function () {
  const SELECTOR = "pre, .pst-scrollable-table-container, .theory-table-scroll, div.math";
  function mark(el) {
    const hidden = el.scrollWidth - el.clientWidth;
    if (hidden > 1 && el.tabIndex < 0) el.tabIndex = 0;
    el.classList.toggle("scroll-cue-left", hidden > 1 && el.scrollLeft > 1);
    el.classList.toggle("scroll-cue-right", hidden > 1 && el.scrollLeft < hidden - 1);
  }
  function markAll() {
    document.querySelectorAll(SELECTOR).forEach(mark);
  }
  document.addEventListener(
    "scroll",
    (event) => {
      if (event.target instanceof Element && event.target.matches(SELECTOR)) mark(event.target);
    },
    { capture: true, passive: true },
  );
  window.addEventListener("resize", markAll);
  window.addEventListener("load", markAll);
  if (document.readyState !== "loading") markAll();
  else document.addEventListener("DOMContentLoaded", markAll);
})();
