from django.urls import path

from opencers.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("activate/resend/", views.activation_resend, name="activation_resend"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("login/", views.login, name="login"),
    path("login/two-step/", views.login_mfa, name="login_mfa"),
    path("logout/", views.logout_view, name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/", views.account, name="account"),
    path("account/confirm-password/", views.reauth, name="reauth"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/email/", views.email_change, name="email_change"),
    path("account/email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("account/two-step/", views.mfa_setup, name="mfa_setup"),
    path("account/two-step/disable/", views.mfa_disable, name="mfa_disable"),
    path("account/two-step/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("account/emails/", views.email_history, name="email_history"),
    path("account/emails/<uuid:public_id>/", views.email_detail, name="email_detail"),
    path("messages/", views.notifications, name="notifications"),
    path("access-requests/<uuid:public_id>/", views.access_request, name="access_request"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("dev/outbox/", views.outbox, name="outbox"),
    path("dev/outbox/<uuid:public_id>/", views.outbox_detail, name="outbox_detail"),
]
