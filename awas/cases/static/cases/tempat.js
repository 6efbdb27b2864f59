/* The desa list shows only the desa of the chosen kecamatan (a phone's picker of 390 desa is long).
 * Optional: without it the whole list, grouped by kecamatan, works, and the server checks that the
 * desa lies in the kecamatan. Include before kirim.js: a restored draft sets the kecamatan first
 * (firing "change"), then the desa.
 */
(function () {
  "use strict";
  var kecamatan = document.getElementById("id_kecamatan");
  var desa = document.getElementById("id_desa");
  if (!kecamatan || !desa) return;
  // Taken out of the list and put back rather than hidden: phones' pickers ignore hidden options.
  var groups = Array.prototype.slice.call(desa.getElementsByTagName("optgroup"));

  function narrow() {
    var chosen = kecamatan.options[kecamatan.selectedIndex];
    var name = chosen && chosen.value ? chosen.text.trim().toLowerCase() : "";
    var selected = desa.value;
    groups.forEach(function (group) {
      if (group.parentNode) group.parentNode.removeChild(group);
    });
    groups.forEach(function (group) {
      if (!name || group.label.trim().toLowerCase() === name) desa.appendChild(group);
    });
    desa.value = selected; // kept when it is in the kecamatan, else "desa unknown"
    if (desa.value !== selected) desa.value = "";
  }

  kecamatan.addEventListener("change", narrow);
  narrow();
})();
