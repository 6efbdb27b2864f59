// IKP choropleth: regions coloured by the score run the page asks for (GeoJSON from the server, no
// tile server). Clicking a region loads its breakdown into the side panel. For tests and scripts,
// window.awasMap maps each drawn region's code to its fill colour, and every region's path carries
// data-kode, data-fill, data-category and data-unstable.
(function () {
  "use strict";
  var el = document.getElementById("ikp-map");
  if (!el || !window.L) { return; }
  var panel = document.getElementById("region-detail");
  var detailUrl = el.dataset.detailUrl;
  var lang = document.documentElement.lang || "id";
  window.awasMap = {};
  window.awasMapLayers = {};
  var selected = null;

  function fmt(x) {
    return Number(x).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function styleFor(p) {
    return {
      color: p.unstable ? "#111111" : "#5b5b5b",
      weight: p.unstable ? 2.5 : 1,
      dashArray: p.unstable ? "6 4" : null,
      fillColor: p.fill,
      fillOpacity: 0.85
    };
  }

  function showDetail(kode) {
    if (!panel) { return; }
    panel.setAttribute("aria-busy", "true");
    var url = detailUrl.replace("KODE", encodeURIComponent(kode));
    url += (url.indexOf("?") < 0 ? "?" : "&") + "partial=1";
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        panel.dataset.kode = kode;
        panel.removeAttribute("aria-busy");
      })
      .catch(function () { panel.removeAttribute("aria-busy"); });
  }

  function bind(layer, p) {
    var text = p.nama + " (" + p.kode + "): " + fmt(p.value) + " · " + p.category_label;
    if (p.unstable) { text += " · " + (el.dataset.unstableLabel || "unstable"); }
    layer.bindTooltip(text, { sticky: true });
    layer.on("mouseover", function () { layer.setStyle({ fillOpacity: 1 }); });
    layer.on("mouseout", function () { layer.setStyle({ fillOpacity: 0.85 }); });
    layer.on("click", function () {
      if (selected && selected !== layer) { selected.setStyle({ weight: selected.awasStyle.weight }); }
      layer.setStyle({ weight: 3.5 });
      selected = layer;
      showDetail(p.kode);
    });
  }

  function tag(layer, p) {
    layer.awasStyle = styleFor(p);
    var path = layer.getElement ? layer.getElement() : null;
    if (path) {
      path.setAttribute("data-kode", p.kode);
      path.setAttribute("data-fill", p.fill);
      path.setAttribute("data-category", p.category);
      path.setAttribute("data-unstable", p.unstable ? "1" : "0");
    }
    window.awasMap[p.kode] = p.fill;
    window.awasMapLayers[p.kode] = layer;
  }

  function draw(data) {
    var map, count = 0;
    var withShape = data.features.filter(function (f) { return f.geometry; });
    if (withShape.length) {
      map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
      var layer = L.geoJSON({ type: "FeatureCollection", features: withShape }, {
        style: function (f) { return styleFor(f.properties); },
        onEachFeature: function (f, lyr) { bind(lyr, f.properties); }
      }).addTo(map);
      // Paths exist once the map has a view: tag them after fitting the bounds.
      map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      layer.eachLayer(function (lyr) { tag(lyr, lyr.feature.properties); count += 1; });
    } else {
      // No boundaries loaded: one box per region in code order, as on the region map.
      map = L.map(el, { crs: L.CRS.Simple, attributionControl: false, minZoom: -3 });
      var cols = Math.ceil(Math.sqrt(data.features.length || 1));
      var group = L.featureGroup().addTo(map);
      var boxes = [];
      data.features.forEach(function (f, i) {
        var p = f.properties, r = Math.floor(i / cols), c = i % cols;
        var box = L.rectangle([[-r * 10, c * 14], [-r * 10 - 9, c * 14 + 13]], styleFor(p));
        bind(box, p);
        box.addTo(group);
        boxes.push([box, p]);
        count += 1;
        if (data.features.length <= 60) {
          L.marker([-r * 10 - 4.5, c * 14 + 6.5], {
            icon: L.divIcon({ className: "schematic-label", html: p.nama, iconSize: [120, 20] }),
            interactive: false
          }).addTo(group);
        }
      });
      if (count) { map.fitBounds(group.getBounds()); } else { map.setView([0, 0], 0); }
      boxes.forEach(function (pair) { tag(pair[0], pair[1]); });
    }
    el.dataset.runId = String(data.run ? data.run.id : "");
    el.dataset.schematic = data.schematic ? "1" : "0";
    el.dataset.drawn = String(count);
  }

  fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(draw)
    .catch(function (error) { el.dataset.error = String(error); el.dataset.drawn = "0"; });
})();
