from django.urls import path

from awas.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login, name="login"),
    path("keluar/", views.logout, name="logout"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("akun/2fa/daftar/", views.otp_setup, name="otp_setup"),
    path("akun/2fa/", views.otp_verify, name="otp_verify"),
    path("audit/", views.audit_log, name="audit_log"),
]
