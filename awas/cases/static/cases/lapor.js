/* The 7-day warning, shown live as the date is entered, with its "send it anyway" box. Optional: the
 * server says the same on submit. */
(function () {
  "use strict";
  var box = document.getElementById("late-live");
  var input = document.getElementById("id_known_date");
  if (!box || !input) return;
  var anyway = box.querySelector("input[name=late_ok]");
  var days = parseInt(box.getAttribute("data-days"), 10);
  var today = Date.parse(box.getAttribute("data-today") + "T00:00:00Z");
  function check() {
    var known = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? Date.parse(input.value + "T00:00:00Z") : NaN;
    box.hidden = isNaN(known) || isNaN(today) || today <= known + days * 86400000;
    // "Send it anyway" was said of a date that is no longer late: asked again if it becomes so.
    if (box.hidden && anyway) anyway.checked = false;
  }
  input.addEventListener("input", check);
  input.addEventListener("change", check);
  check();
})();
