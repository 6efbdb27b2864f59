from django.urls import path

from awas.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.form_a_list, name="list"),
    path("baru/", views.form_a_create, name="create"),
    path("unggah/", views.form_a_upload, name="upload"),
    path("saran/statistik/", views.suggestion_stats, name="stats"),
    path("<int:pk>/", views.form_a_detail, name="detail"),
    path("<int:pk>/ubah/", views.form_a_edit, name="edit"),
    path("<int:pk>/buang/", views.form_a_discard, name="discard"),
    path("<int:pk>/pdf/", views.form_a_pdf, name="pdf"),
    path("<int:pk>/berkas-asli/", views.form_a_source_file, name="source_file"),
    path("<int:pk>/kejadian/", views.kejadian_review, name="review"),
    path("<int:pk>/temuan/", views.form_a_temuan, name="temuan"),
]
