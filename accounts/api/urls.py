from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("members", views.MembershipViewSet, basename="member")
router.register("api-keys", views.APIKeyViewSet, basename="api-key")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("workspace/", views.CurrentWorkspaceView.as_view(), name="workspace-current"),
    path("stats", views.StatsView.as_view(), name="stats"),
    path("diagnostics/ping/", views.PingView.as_view(), name="diagnostics-ping"),
    *router.urls,
]
