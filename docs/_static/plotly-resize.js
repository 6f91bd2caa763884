// Figures drawn while the page was still laying out can be sized to a container whose width
// changed afterwards: resize every plotly figure once the page has loaded.
window.addEventListener("load", function () {
  document.querySelectorAll(".plotly-graph-div").forEach(function (graph) {
    Plotly.Plots.resize(graph);
  });
});
