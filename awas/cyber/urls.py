from django.urls import path

from awas.cyber import views

app_name = "cyber"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tangkap/", views.capture, name="capture"),
    path("impor/", views.batch_import, name="import"),
    path("impor/contoh.csv", views.import_template, name="import_template"),
    path("post/<int:pk>/", views.post_detail, name="post"),
    path("post/<int:pk>/tangkapan/<int:capture_pk>/", views.screenshot, name="screenshot"),
    path("post/<int:pk>/label/<int:label_pk>/", views.label_decide, name="label_decide"),
    path("post/<int:pk>/kecocokan/<int:match_pk>/", views.match_decide, name="match_decide"),
    path("post/<int:pk>/teruskan/", views.escalate, name="escalate"),
    path("post/<int:pk>/takedown/", views.takedown_create, name="takedown_create"),
    path("post/<int:pk>/koreksi/", views.correct, name="correct"),
    path("takedown/", views.takedowns, name="takedowns"),
    path("takedown/<int:pk>/jawaban/", views.takedown_answer, name="takedown_answer"),
    path("takedown/<int:pk>/surat.pdf", views.takedown_letter_pdf, name="takedown_pdf"),
    path("takedown/<int:pk>/surat.docx", views.takedown_letter_docx, name="takedown_docx"),
    path("sumber/", views.sources, name="sources"),
    path("sumber/<int:pk>/ambil/", views.source_fetch, name="source_fetch"),
    path("akun-kampanye/", views.campaign_accounts, name="campaign_accounts"),
    path("model/", views.models, name="models"),
    path("model/<int:pk>/", views.model_detail, name="model_detail"),
]
