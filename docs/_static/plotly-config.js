// Read before plotly.js loads: typeset LaTeX in figures with the page's own (local) MathJax.
window.PlotlyConfig = { MathJaxConfig: "local" };
