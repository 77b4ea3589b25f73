// The staff report page (/staff/reports): a print button and the period picker. Served from
// the gateway itself, as the page's Content-Security-Policy allows no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const print = document.getElementById("print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
  const period = document.getElementById("period");
  if (period && period.form) {
    period.addEventListener("change", () => period.form.submit());
  }
  document.documentElement.dataset.script = "ready";
});
