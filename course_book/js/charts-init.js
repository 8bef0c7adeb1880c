// Draws each <figure class="course-chart"> on the page with Vega-Embed, when it nears the screen.
// The specification sits in the figure as inert JSON; nothing is fetched.
// Bundled with Vega, Vega-Lite and Vega-Embed by course_book.sphinxext (vl-convert).
function courseDrawCharts() {
  document.querySelectorAll("figure.course-chart").forEach(drawChart);
}
// Page speed: a chart is drawn when it comes near the screen, so that a phone
// does not compile and draw charts far down the page while the page loads.
// Printing draws them all.
function courseWatchCharts() {
  const figures = document.querySelectorAll("figure.course-chart");
  if (!("IntersectionObserver" in window)) {
    figures.forEach(drawChart);
    return;
  }
  const watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        watcher.unobserve(entry.target);
        drawChart(entry.target);
      }
    });
  }, { rootMargin: "600px 0px" });
  figures.forEach(function (fig) { watcher.observe(fig); });
  window.addEventListener("beforeprint", courseDrawCharts);
}
window.courseDrawCharts = courseDrawCharts;
function drawChart(fig) {
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
  // Vega-Embed gives its element the role graphics-document; the view around it is the
  // box that scrolls on a narrow screen, a named region (course_book/js/page-a11y.js).
  const drawing = document.createElement("div");
  drawing.className = "course-chart__drawing";
  view.replaceChildren(drawing);
  vegaEmbed(drawing, spec, { actions: false, renderer: "svg", tooltip: { theme: "light" } })
    .then(function (result) {
      fig.dataset.drawn = "yes";
      drawing.setAttribute("aria-live", "polite");
      // Label each bound control by its visible name (for screen readers).
      fig.querySelectorAll(".vega-bind").forEach(function (bind) {
        const name = bind.querySelector(".vega-bind-name");
        bind.querySelectorAll("input[type=range], select").forEach(function (input) {
          if (name && !input.getAttribute("aria-label")) {
            input.setAttribute("aria-label", name.textContent.trim());
          }
        });
      });
      // Vega gives a mark layer with nothing to describe (no items, e.g. a
      // highlight filtered to nothing) role="graphics-symbol" and no name, an
      // unlabelled image to a screen reader (axe: svg-img-alt): hide such
      // layers from assistive technology, again after every redraw.
      hideNamelessMarks(view);
      new MutationObserver(function () { hideNamelessMarks(view); }).observe(view, {
        subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-label"],
      });
      window.courseCharts = window.courseCharts || [];
      window.courseCharts.push(result.view);
    })
    .catch(function (err) {
      view.textContent = "This chart could not be drawn: " + err.message;
      fig.dataset.drawn = "error";
      console.error(err);
    });
}
function hideNamelessMarks(view) {
  view.querySelectorAll("g.role-mark").forEach(function (g) {
    const nameless = g.getAttribute("role") === "graphics-symbol" && !g.getAttribute("aria-label");
    if (nameless && g.getAttribute("aria-hidden") !== "true") {
      g.setAttribute("aria-hidden", "true");
      g.dataset.courseHidden = "yes";
    } else if (!nameless && g.dataset.courseHidden) {
      g.removeAttribute("aria-hidden");
      delete g.dataset.courseHidden;
    }
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", courseWatchCharts);
} else {
  courseWatchCharts();
}
