/* The 7-day warning (7 hari kerja for Pemilu), shown live as the date is entered, with its "send it
 * anyway" box. Optional: the server says the same on submit. The server gives the earliest date still
 * in time today (data-since): it counts working days past the office's holiday calendar. While the
 * office handles both Pemilu and Pilkada, each election has its text and date (data-election), and
 * the one of the election the pelapor chose is used; none chosen yet, nothing is said. */
(function () {
  "use strict";
  var box = document.getElementById("late-live");
  var input = document.getElementById("id_known_date");
  if (!box || !input) return;
  var anyway = box.querySelector("input[name=late_ok]");
  var parts = box.querySelectorAll("[data-election]");
  var choices = input.form ? input.form.querySelectorAll("input[name=election_type]") : [];
  function since() {
    if (!parts.length) return box.getAttribute("data-since");
    var chosen = "", found = null, i;
    for (i = 0; i < choices.length; i++) if (choices[i].checked) chosen = choices[i].value;
    for (i = 0; i < parts.length; i++) {
      var mine = parts[i].getAttribute("data-election") === chosen;
      parts[i].hidden = !mine;
      if (mine) found = parts[i].getAttribute("data-since");
    }
    return found;
  }
  function check() {
    var from = since();
    var limit = from ? Date.parse(from + "T00:00:00Z") : NaN;
    var known = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? Date.parse(input.value + "T00:00:00Z") : NaN;
    box.hidden = isNaN(known) || isNaN(limit) || known >= limit;
    // "Send it anyway" was said of a date that is no longer late: asked again if it becomes so.
    if (box.hidden && anyway) anyway.checked = false;
  }
  input.addEventListener("input", check);
  input.addEventListener("change", check);
  for (var c = 0; c < choices.length; c++) choices[c].addEventListener("change", check);
  check();
})();
