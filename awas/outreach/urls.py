from django.urls import path

from awas.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("kegiatan/baru/", views.activity_create, name="activity_create"),
    path("kegiatan/rencana-serentak/", views.activity_plan_all, name="activity_plan_all"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<int:pk>/status/", views.activity_status, name="activity_status"),
    path("kegiatan/<int:pk>/berkas/", views.activity_evidence_add, name="activity_evidence_add"),
    path("berkas/<int:pk>/", views.activity_evidence_file, name="activity_evidence_file"),
    path("kalender/", views.activity_calendar, name="calendar"),
    path("cakupan/", views.coverage, name="coverage"),
    path("kategori-kerawanan/", views.categories, name="categories"),
    path("surat/baru/", views.letter_create, name="letter_create"),
    path("surat/<int:pk>/ubah/", views.letter_edit, name="letter_edit"),
    path("surat/<int:pk>/terbitkan/", views.letter_issue, name="letter_issue"),
    path("surat/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("surat/<int:pk>/docx/", views.letter_docx, name="letter_docx"),
    path("kader/", views.cadre_list, name="cadre_list"),
    path("kader/baru/", views.cadre_create, name="cadre_create"),
    path("kader/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("kader/<int:pk>/ubah/", views.cadre_edit, name="cadre_edit"),
    path("kader/<int:pk>/pelatihan/", views.cadre_training_add, name="cadre_training_add"),
    path("pemantau/", views.organisation_list, name="organisation_list"),
    path("pemantau/baru/", views.organisation_create, name="organisation_create"),
    path("pemantau/<int:pk>/ubah/", views.organisation_edit, name="organisation_edit"),
    path("lapor/", views.field_report, name="field_report"),
]
