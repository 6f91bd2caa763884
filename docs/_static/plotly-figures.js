// Interactive 3-D figures (symmetry_tasks.plotting.signal_surfaces), drawn without blocking the page.
//
// Each figure is a <figure class="st-plotly"> holding an empty graph div and its JSON in a
// <script type="application/json">. This script is deferred; once the page has loaded and painted, it
// loads the site's one copy of plotly.js (_static/plotly/plotly.min.js, next to this file) and draws every
// figure at the width of its column. Each figure carries its colours for both page themes in
// layout.meta.themes (symmetry_tasks.plotting.signal_surfaces): a Plotly.relayout update and the
// colours of its marker sets. Those of the current theme are applied before drawing, and again
// whenever the reader switches theme.
(function () {
  "use strict";
  const here = document.currentScript.src;
  const plotlySource = new URL("plotly/plotly.min.js", here).href;
  const drawn = [];

  function theme() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  // Set "a.b.c" keys of a Plotly.relayout update on a layout object.
  function applyUpdate(layout, update) {
    for (const [path, value] of Object.entries(update)) {
      const keys = path.split(".");
      let node = layout;
      for (const key of keys.slice(0, -1)) {
        node = node[key] = node[key] || {};
      }
      node[keys[keys.length - 1]] = value;
    }
  }

  function themeOf(layout) {
    const themes = (layout.meta && layout.meta.themes) || {};
    return themes[theme()] || { layout: {}, markers: [] };
  }

  function markerTraces(data) {
    return data.flatMap(function (trace, index) {
      return trace.type === "scatter3d" ? [index] : [];
    });
  }

  function switchTheme(graph) {
    const chosen = themeOf(graph.layout);
    const traces = markerTraces(graph.data);
    const colours = traces.map(function (_, k) {
      return chosen.markers[k];
    });
    window.Plotly.update(graph, { "marker.color": colours }, chosen.layout, traces);
  }

  function draw(figure) {
    const graph = figure.querySelector(".plotly-graph-div");
    const spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
    const chosen = themeOf(spec.layout);
    applyUpdate(spec.layout, chosen.layout);
    markerTraces(spec.data).forEach(function (index, k) {
      spec.data[index].marker.color = chosen.markers[k];
    });
    // On a narrow column (a phone) step the camera back, so that the axes' labels stay in view; without
    // perspective (orthographic) plotly zooms by the size of the scene's box instead.
    const scene = spec.layout.scene;
    const camera = scene && scene.camera;
    if (camera && camera.eye && graph.clientWidth < 500) {
      const flat = camera.projection && camera.projection.type === "orthographic";
      const scaled = flat ? scene.aspectratio : camera.eye;
      for (const axis of ["x", "y", "z"]) scaled[axis] = flat ? scaled[axis] / 1.2 : scaled[axis] * 1.2;
    }
    return window.Plotly.newPlot(graph, spec.data, spec.layout, spec.config).then(function () {
      drawn.push(graph);
      new ResizeObserver(function () {
        window.Plotly.Plots.resize(graph);
      }).observe(figure);
    });
  }

  function drawAll() {
    const figures = Array.from(document.querySelectorAll("figure.st-plotly"));
    Promise.all(figures.map(draw)).then(function () {
      document.documentElement.dataset.figures = "drawn"; // for tests and anyone waiting on them
    });
    new MutationObserver(function () {
      drawn.forEach(switchTheme);
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function loadPlotly() {
    const script = document.createElement("script");
    script.src = plotlySource;
    script.async = true;
    script.onload = drawAll;
    document.head.appendChild(script);
  }

  function afterFirstPaint(callback) {
    // two animation frames: the first runs before the first paint, the second after it
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        setTimeout(callback, 0);
      });
    });
  }

  // After the load event, so that plotly.js (4.8 MB) delays neither the first paint nor the page's
  // load; the figures are drawn as soon as it arrives.
  if (document.querySelector("figure.st-plotly")) {
    if (document.readyState === "complete") {
      afterFirstPaint(loadPlotly);
    } else {
      window.addEventListener("load", function () {
        afterFirstPaint(loadPlotly);
      });
    }
  }
})();
