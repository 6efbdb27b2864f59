from django.urls import path

from awas.asn import views

app_name = "asn"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("daftar/", views.person_list, name="persons"),
    path("daftar/tambah/", views.person_create, name="person_create"),
    path("daftar/<int:pk>/", views.person_detail, name="person_detail"),
    path("daftar/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("daftar/<int:pk>/akun/", views.account_add, name="account_add"),
    path("daftar/<int:pk>/kasus/", views.case_link_create, name="case_link_create"),
    path("akun/<int:pk>/hapus/", views.account_remove, name="account_remove"),
    path("impor/", views.roster_import, name="import"),
    path("impor/contoh.csv", views.import_template, name="import_template"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("tindak-lanjut/", views.follow_up_list, name="follow_ups"),
    path("tindak-lanjut/terlambat/", views.overdue, name="overdue"),
    path("tindak-lanjut/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
    path("imbauan/", views.letter_list, name="letters"),
    path("imbauan/tulis/", views.letter_create, name="letter_create"),
    path("imbauan/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("imbauan/<int:pk>.docx", views.letter_docx, name="letter_docx"),
    path("pengaturan/", views.settings_page, name="settings"),
]
