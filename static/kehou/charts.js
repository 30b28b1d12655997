// Draw every chart on the page: <div data-chart="ID"> with its spec in <script id="ID" type="application/json">.
// Plotly comes from /static/vendor/plotly.min.js (shipped inside the pip wheel; no CDN).
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var layout = Object.assign({ margin: { t: 40, r: 10, b: 40, l: 40 }, height: 300,
                                   font: { family: "sans-serif" },
                                   legend: { orientation: "h", y: -0.15 } }, spec.layout || {});
      window.Plotly.newPlot(el, spec.data, layout, { displayModeBar: false, responsive: true })
        .then(function () { el.dataset.drawn = "1"; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
