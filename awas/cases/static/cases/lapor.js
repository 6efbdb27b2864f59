/* The 7-day warning (7 hari kerja for Pemilu), shown live as the date is entered, with its "send it
 * anyway" box. Optional: the server says the same on submit. The server gives the earliest date still
 * in time today (data-since): it counts working days past the office's holiday calendar. */
(function () {
  "use strict";
  var box = document.getElementById("late-live");
  var input = document.getElementById("id_known_date");
  if (!box || !input) return;
  var anyway = box.querySelector("input[name=late_ok]");
  var since = Date.parse(box.getAttribute("data-since") + "T00:00:00Z");
  function check() {
    var known = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? Date.parse(input.value + "T00:00:00Z") : NaN;
    box.hidden = isNaN(known) || isNaN(since) || known >= since;
    // "Send it anyway" was said of a date that is no longer late: asked again if it becomes so.
    if (box.hidden && anyway) anyway.checked = false;
  }
  input.addEventListener("input", check);
  input.addEventListener("change", check);
  check();
})();
