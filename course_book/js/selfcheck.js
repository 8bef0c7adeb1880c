// Self-check questions in the published book: instant feedback, no kernel.
// Mirrors course.selfcheck.check() in Python; tests hold both to the same cases.
(function () {
  "use strict";

  function parseNumber(text) {
    let s = String(text).trim().replace(/%$/, "").trim().replace(/\u2212/g, "-");
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s)) return null;
    return parseFloat(s.replace(",", "."));
  }

  function judge(spec, form) {
    if (spec.type === "single") {
      const picked = form.querySelector("input:checked");
      if (!picked) return [false, "Choose one of the options first."];
      const option = spec.options[Number(picked.value)];
      return [option.correct, option.feedback];
    }
    if (spec.type === "multiple") {
      const chosen = Array.from(form.querySelectorAll("input:checked")).map(function (i) { return Number(i.value); });
      if (!chosen.length) return [false, "Tick the options you think are right first."];
      const correct = spec.options.map(function (o, i) { return o.correct ? i : -1; }).filter(function (i) { return i >= 0; });
      const wrong = chosen.filter(function (i) { return correct.indexOf(i) < 0; });
      const missed = correct.filter(function (i) { return chosen.indexOf(i) < 0; }).length;
      if (!wrong.length && !missed) {
        return [true, correct.map(function (i) { return spec.options[i].feedback; }).join(" ")];
      }
      const parts = wrong.map(function (i) { return spec.options[i].feedback; });
      if (missed) parts.push("You have left out " + missed + " correct option" + (missed > 1 ? "s" : "") + ".");
      return [false, parts.join(" ")];
    }
    const value = parseNumber(form.querySelector("input[type=text]").value);
    if (value === null) return [false, "Type a number (digits, with a decimal point if needed)."];
    if (Math.abs(value - spec.answer) <= spec.tolerance + 1e-9) return [true, spec.correct];
    for (const hint of spec.hints) {
      if (Math.abs(value - hint.value) <= hint.tolerance + 1e-9) return [false, hint.feedback];
    }
    return [false, spec.wrong];
  }

  function setUp(form) {
    const spec = JSON.parse(form.querySelector("script.course-quiz__spec").textContent);
    const out = form.querySelector(".course-quiz__feedback");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const result = judge(spec, form);
      out.className = "course-quiz__feedback " + (result[0] ? "is-right" : "is-wrong");
      out.textContent = "";
      const verdict = document.createElement("strong");
      verdict.textContent = result[0] ? "Right. " : "Not yet. ";
      out.appendChild(verdict);
      out.appendChild(document.createTextNode(result[1]));
    });
    form.dataset.ready = "yes";
  }

  function init() { document.querySelectorAll("form.course-quiz__q").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
