from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/api-keys/", views.api_key_create_view, name="api-key-create"),
    path("settings/api-keys/<int:pk>/revoke/", views.api_key_revoke_view, name="api-key-revoke"),
    path("settings/members/<int:pk>/role/", views.membership_role_view, name="member-role"),
    path("workspace/switch/", views.workspace_switch, name="workspace-switch"),
    path("workspace/self-approval/", views.workspace_self_approval_view, name="workspace-self-approval"),
]
