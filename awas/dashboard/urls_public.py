"""The public transparency page under /publik/ (namespace ``transparency``; ``public`` is the
reporting pages' namespace)."""

from django.urls import path

from awas.dashboard import views

app_name = "transparency"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("unduh.xlsx", views.public_xlsx, name="xlsx"),
    path("unduh.pdf", views.public_pdf, name="pdf"),
    path("peta.geojson", views.public_geojson, name="geojson"),
]
