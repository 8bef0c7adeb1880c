// Accessibility of boxes that scroll sideways and of labelled sections, on the pages
// that have them (course_book.theme inlines this script there).
//
// A wide table, chart or output scrolls sideways in its box. A keyboard user must be
// able to reach the box (axe: scrollable-region-focusable), and a box in the focus order
// needs a role and a name (axe: focus-order-semantics): it becomes a region named after
// its caption, its chart's title or its section. The course's own boxes are always
// focusable; the theme makes its boxes (outputs, tables) focusable only while they
// scroll, so they are named whenever the theme changes their tabindex.
document.addEventListener("DOMContentLoaded", function () {
  var article = document.querySelector(".bd-article");
  if (!article) return;
  var THEME_BOXES = ".cell_output > .output, .pst-scrollable-table-container";

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function nameOf(box) {
    var figure = box.closest("figure.course-chart");
    if (figure) return "Chart: " + (figure.getAttribute("aria-label") || "");
    var caption = text(box.querySelector("caption, figcaption, [aria-label]"));
    if (box.querySelector("table")) return "Table: " + (caption || sectionTitle(box));
    return "Output: " + (caption || sectionTitle(box));
  }
  function sectionTitle(box) {
    var section = box.closest("section");
    return text(section && section.querySelector("h1, h2, h3, h4, h5, h6")) || document.title;
  }
  function makeRegion(box) {
    if (!box.dataset.courseName) box.dataset.courseName = nameOf(box).slice(0, 160);
    box.setAttribute("role", "region");
  }
  // Landmarks with the same role need different names (axe: landmark-unique): number repeats.
  function nameRegions() {
    var seen = {};
    article.querySelectorAll("section[aria-label], [role=region]").forEach(function (el) {
      if (!el.dataset.courseName) el.dataset.courseName = el.getAttribute("aria-label") || "";
      var name = el.dataset.courseName;
      seen[name] = (seen[name] || 0) + 1;
      el.setAttribute("aria-label", seen[name] > 1 ? name + " (" + seen[name] + ")" : name);
    });
  }

  article.querySelectorAll(".course-table-wrap, .course-chart__view").forEach(function (box) {
    makeRegion(box);
    box.setAttribute("tabindex", "0");
  });
  function themeBoxes() {
    article.querySelectorAll(THEME_BOXES).forEach(function (box) {
      if (box.getAttribute("tabindex") === "0") {
        makeRegion(box);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
    nameRegions();
  }
  themeBoxes();
  new MutationObserver(themeBoxes).observe(article, { subtree: true, attributes: true, attributeFilter: ["tabindex"] });
});
