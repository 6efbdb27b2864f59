// Kecamatan map: real polygons when loaded, else a labelled schematic grid. No tile server needed.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var geojson = JSON.parse(document.getElementById("kecamatan-geojson").textContent);
  var list = JSON.parse(document.getElementById("kecamatan-list").textContent);
  var style = { color: "#8b1e1e", weight: 1, fillColor: "#f3d9d2", fillOpacity: 0.7 };

  function bindLabel(layer, props) {
    layer.bindTooltip(props.nama + " (" + props.kode + ")", { sticky: true });
    layer.on("mouseover", function () { layer.setStyle({ fillOpacity: 0.95 }); });
    layer.on("mouseout", function () { layer.setStyle({ fillOpacity: 0.7 }); });
  }

  var map;
  if (geojson.features.length) {
    map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var layer = L.geoJSON(geojson, {
      style: style,
      onEachFeature: function (feature, lyr) { bindLabel(lyr, feature.properties); }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  } else {
    // A schematic in a plain coordinate system: one box per kecamatan, in code order.
    map = L.map(el, { crs: L.CRS.Simple, attributionControl: false, minZoom: -2 });
    var cols = Math.ceil(Math.sqrt(list.length || 1));
    var group = L.featureGroup();
    list.forEach(function (k, i) {
      var r = Math.floor(i / cols), c = i % cols;
      var box = L.rectangle([[-r * 10, c * 14], [-r * 10 - 9, c * 14 + 13]], style);
      bindLabel(box, k);
      box.addTo(group);
      L.marker([-r * 10 - 4.5, c * 14 + 6.5], {
        icon: L.divIcon({ className: "schematic-label", html: k.nama, iconSize: [120, 20] }),
        interactive: false
      }).addTo(group);
    });
    group.addTo(map);
    if (list.length) { map.fitBounds(group.getBounds()); } else { map.setView([0, 0], 0); }
  }
  el.dataset.drawn = String(geojson.features.length || list.length);
})();
