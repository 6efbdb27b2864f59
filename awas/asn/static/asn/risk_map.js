// ASN berpotensi terlibat per kecamatan: a choropleth of the count at or above the risk threshold.
// Real polygons when loaded, else a labelled schematic grid (as regions/map.js). No tile server.
(function () {
  "use strict";
  var el = document.getElementById("asn-map");
  if (!el || !window.L) { return; }
  var geojson = JSON.parse(document.getElementById("asn-geojson").textContent);
  var list = JSON.parse(document.getElementById("asn-kecamatan").textContent);
  var labels = JSON.parse(document.getElementById("asn-map-labels").textContent);
  var colours = ["#fde0dd", "#fcbba1", "#fc9272", "#ef3b2c", "#a50f15"];
  var max = 0;
  list.forEach(function (k) { if (k.at_risk > max) { max = k.at_risk; } });

  function colour(n) {
    if (!n || !max) { return "#eef1f4"; }
    var i = Math.min(colours.length - 1, Math.ceil((n / max) * colours.length) - 1);
    return colours[Math.max(i, 0)];
  }
  function style(props) {
    return { color: "#5b6776", weight: 1, fillColor: colour(props.at_risk), fillOpacity: 0.85 };
  }
  function bind(layer, props) {
    layer.bindTooltip(
      "<strong>" + props.nama + "</strong><br>" + labels.at_risk + ": " + props.at_risk +
      "<br>" + labels.persons + ": " + props.persons + "<br>" + labels.mean + ": " + props.mean,
      { sticky: true }
    );
  }

  var map;
  if (geojson.features.length) {
    map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var layer = L.geoJSON(geojson, {
      style: function (feature) { return style(feature.properties); },
      onEachFeature: function (feature, lyr) { bind(lyr, feature.properties); }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  } else {
    map = L.map(el, { crs: L.CRS.Simple, attributionControl: false, minZoom: -2, zoomSnap: 0.1 });
    var cols = Math.ceil(Math.sqrt(list.length || 1));
    var group = L.featureGroup();
    list.forEach(function (k, i) {
      var r = Math.floor(i / cols), c = i % cols;
      var box = L.rectangle([[-r * 10, c * 14], [-r * 10 - 9, c * 14 + 13]], style(k));
      bind(box, k);
      box.addTo(group);
      L.marker([-r * 10 - 4.5, c * 14 + 6.5], {
        icon: L.divIcon({ className: "schematic-label", html: k.nama, iconSize: [120, 20] }),
        interactive: false
      }).addTo(group);
    });
    group.addTo(map);
    if (list.length) { map.fitBounds(group.getBounds(), { padding: [4, 4] }); } else { map.setView([0, 0], 0); }
  }

  var legend = document.getElementById("asn-legend");
  if (legend) {
    var html = '<span><i style="background:#eef1f4"></i>0</span>';
    if (max) {
      for (var i = 0; i < colours.length; i++) {
        var low = Math.floor((i * max) / colours.length) + 1, high = Math.floor(((i + 1) * max) / colours.length);
        if (high >= low) {
          html += '<span><i style="background:' + colours[i] + '"></i>' + (low === high ? low : low + "–" + high) + "</span>";
        }
      }
    }
    legend.innerHTML = html;
  }
  el.dataset.drawn = String(geojson.features.length || list.length);
})();
