"""Staff pages of violation handling, under /perkara/ (public intake lives under /lapor/)."""

from django.urls import path

from awas.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("ekspor/", views.case_export, name="export"),
    path("tenggat/", views.at_risk, name="at_risk"),
    path("tindak-lanjut/", views.follow_ups, name="follow_ups"),
    path("pengingat/", views.reminder_list, name="reminders"),
    path("pengingat/<int:pk>/dibaca/", views.reminder_read, name="reminder_read"),
    path("pengingat/semua-dibaca/", views.reminders_read_all, name="reminders_read_all"),
    path("laporan-baru/", views.case_record, name="record"),
    path("temuan-baru/", views.temuan_new, name="temuan_new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/perbaiki/", views.case_correct, name="correct"),
    path("<int:pk>/terkait/", views.case_related, name="related"),
    path("<int:pk>/tautkan/", views.case_link, name="link"),
    path("<int:pk>/tautan/<int:link_pk>/hapus/", views.case_unlink, name="unlink"),
    path("<int:pk>/pisahkan/", views.case_unmerge, name="unmerge"),
    path("<int:pk>/syarat/", views.case_requirements, name="requirements"),
    path("<int:pk>/kelengkapan/", views.case_supplement, name="supplement"),
    path("<int:pk>/registrasi/", views.case_register, name="register"),
    path("<int:pk>/tidak-diregistrasi/", views.case_not_registered, name="not_registered"),
    path("<int:pk>/keterangan-tambahan/", views.case_more_info, name="more_info"),
    path("<int:pk>/tindak-lanjuti/", views.informasi_awal_take_up, name="take_up"),
    path("<int:pk>/arsipkan/", views.informasi_awal_archive, name="archive"),
    path("<int:pk>/pelapor-diberi-tahu/", views.pelapor_told, name="pelapor_told"),
    path("<int:pk>/klarifikasi/", views.clarification_schedule, name="clarification_schedule"),
    path("<int:pk>/klarifikasi/berita-acara/", views.clarification_record, name="clarification_record"),
    path("<int:pk>/klarifikasi/batalkan/", views.clarification_cancel, name="clarification_cancel"),
    path(
        "<int:pk>/klarifikasi/<int:clarification_pk>/undangan.pdf",
        views.invitation_pdf,
        name="invitation_pdf",
    ),
    path(
        "<int:pk>/klarifikasi/<int:clarification_pk>/undangan.docx",
        views.invitation_docx,
        name="invitation_docx",
    ),
    path(
        "<int:pk>/klarifikasi/<int:clarification_pk>/berita-acara.pdf",
        views.berita_acara_pdf,
        name="berita_acara_pdf",
    ),
    path("<int:pk>/kajian/", views.case_study, name="study"),
    path("<int:pk>/kajian.pdf", views.kajian_pdf, name="kajian_pdf"),
    path("<int:pk>/putusan/", views.case_decision, name="decision"),
    path("<int:pk>/putusan/koreksi/", views.case_decision_correct, name="decision_correct"),
    path("<int:pk>/penerusan/", views.case_referral, name="referral"),
    path("<int:pk>/penerusan/tanggapan/", views.referral_response, name="referral_response"),
    path("<int:pk>/penerusan/perkembangan/", views.referral_progress, name="referral_progress"),
    path("<int:pk>/penerusan/batalkan/", views.referral_cancel, name="referral_cancel"),
    path("<int:pk>/penerusan/<int:referral_pk>/surat.pdf", views.referral_letter_pdf, name="referral_letter"),
    path(
        "<int:pk>/penerusan/<int:referral_pk>/surat.docx",
        views.referral_letter_docx,
        name="referral_letter_docx",
    ),
    path("<int:pk>/pemberitahuan.pdf", views.status_notice_pdf, name="status_notice"),
    path("<int:pk>/tanda-terima/", views.receipt_print, name="receipt"),
    path("<int:pk>/tanda-terima.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
