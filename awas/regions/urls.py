from django.urls import path

from awas.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("peta/", views.region_map, name="map"),
    path("peta/kecamatan.geojson", views.kecamatan_geojson, name="kecamatan_geojson"),
]
