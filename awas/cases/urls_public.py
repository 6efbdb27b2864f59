"""The public's pages under /lapor/ (namespace ``public``)."""

from django.urls import path

from awas.cases import views_public as views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("laporan/", views.laporan, name="laporan"),
    path("informasi/", views.informasi, name="informasi"),
    path("terima/<str:code>/", views.receipt, name="receipt"),
    path("terima/<str:code>/tanda-terima.pdf", views.receipt_pdf_download, name="receipt_pdf"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track_detail, name="track_detail"),
]
