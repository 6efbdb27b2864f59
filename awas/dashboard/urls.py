"""The office dashboard under /dasbor/ (namespace ``dashboard``)."""

from django.urls import path

from awas.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("unduh.xlsx", views.export_xlsx, name="export_xlsx"),
    path("unduh.pdf", views.export_pdf, name="export_pdf"),
    path("laporan-bulanan/", views.monthly_report, name="monthly_report"),
]
