// MathJax 3 on this site: Sphinx inlines this file on the pages that hold math, before the deferred
// script _static/mathjax/startup.js. The components loaded here are the ones mathjax_local.py serves.
// No context menu (ui/menu): formulas stay out of the tab order, and screen readers get each formula
// as MathML from assistive-mml. ui/lazy typesets the formulas on screen first and the others as they
// scroll into view: a page shows its math sooner.
window.MathJax = {
  loader: { load: ["input/tex", "output/chtml", "a11y/assistive-mml", "ui/lazy"] },
  tex: { tags: "ams" },
  startup: {
    // Marks the moment the formulas on screen are typeset (the browser tests read it).
    pageReady: () => MathJax.startup.defaultPageReady().then(() => performance.mark("mathjax-typeset")),
  },
};
