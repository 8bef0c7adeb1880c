// Draws every <figure class="course-chart"> on the page with Vega-Embed.
// The specification sits in the figure as inert JSON; nothing is fetched.
// Bundled with Vega, Vega-Lite and Vega-Embed by course.sphinxext (vl-convert).
function courseDrawCharts() {
  document.querySelectorAll("figure.course-chart").forEach(function (fig) {
    if (fig.dataset.drawn) return;
    fig.dataset.drawn = "pending";
    const view = fig.querySelector(".course-chart__view");
    const holder = fig.querySelector("script.course-chart__spec");
    let spec;
    try {
      spec = JSON.parse(holder.textContent);
    } catch (err) {
      view.textContent = "This chart could not be read: " + err.message;
      fig.dataset.drawn = "error";
      console.error(err);
      return;
    }
    vegaEmbed(view, spec, { actions: false, renderer: "svg", tooltip: { theme: "light" } })
      .then(function (result) {
        fig.dataset.drawn = "yes";
        view.setAttribute("aria-live", "polite");
        // Label each bound control by its visible name (for screen readers).
        fig.querySelectorAll(".vega-bind").forEach(function (bind) {
          const name = bind.querySelector(".vega-bind-name");
          bind.querySelectorAll("input[type=range], select").forEach(function (input) {
            if (name && !input.getAttribute("aria-label")) {
              input.setAttribute("aria-label", name.textContent.trim());
            }
          });
        });
        window.courseCharts = window.courseCharts || [];
        window.courseCharts.push(result.view);
      })
      .catch(function (err) {
        view.textContent = "This chart could not be drawn: " + err.message;
        fig.dataset.drawn = "error";
        console.error(err);
      });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", courseDrawCharts);
} else {
  courseDrawCharts();
}
