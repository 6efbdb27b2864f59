from django.urls import path

from awas.ikp import views

app_name = "ikp"
urlpatterns = [
    path("", views.ikp_map, name="map"),
    path("peta.geojson", views.map_data, name="map_data"),
    path("peta.png", views.export_png, name="export_png"),
    path("peta.svg", views.export_svg, name="export_svg"),
    path("skor.xlsx", views.export_xlsx, name="export_xlsx"),
    path("laporan.pdf", views.report_pdf, name="report_pdf"),
    path("sensitivitas/", views.sensitivity_run, name="sensitivity"),
    path("wilayah/<str:kode>/", views.region_detail, name="region_detail"),
    path("kejadian/", views.kejadian_list, name="kejadian_list"),
    path("kejadian/baru/", views.kejadian_create, name="kejadian_create"),
    path("kejadian/impor/", views.kejadian_import, name="kejadian_import"),
    path("kejadian/templat.xlsx", views.kejadian_template, name="kejadian_template"),
    path("kejadian/<int:pk>/", views.kejadian_edit, name="kejadian_edit"),
    path("kejadian/<int:pk>/hapus/", views.kejadian_delete, name="kejadian_delete"),
    path("kerangka/", views.framework_list, name="framework_list"),
    path("kerangka/impor/", views.framework_import, name="framework_import"),
    path("kerangka/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("kerangka/<int:pk>/ubah/", views.framework_edit, name="framework_edit"),
    path("kerangka/<int:pk>/salin/", views.framework_copy, name="framework_copy"),
    path("kerangka/<int:pk>/terbitkan/", views.framework_publish, name="framework_publish"),
    path("kerangka/<int:pk>/ekspor.yaml", views.framework_export_yaml, name="framework_export_yaml"),
    path("kerangka/<int:pk>/ekspor.xlsx", views.framework_export_xlsx, name="framework_export_xlsx"),
]
