from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from campaigns.views import dashboard
from core.api.endpoints import HealthView
from core.views import upcoming_area
from generators.views import generate_page

api_v1 = [
    path("health", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("accounts.api.urls")),
    path("", include("campaigns.api.urls")),
    path("", include("campaigns.api.nested_urls")),
    path("", include("approvals.api.urls")),
    path("", include("generators.api.urls")),
]

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("", include("approvals.urls")),
    path("generate/", generate_page, name="generate"),
    path("generate/", include("generators.urls")),
    path("leads/", upcoming_area, {"area": "leads"}, name="leads"),
    path("content/", upcoming_area, {"area": "content"}, name="content"),
    path("lifecycle/", upcoming_area, {"area": "lifecycle"}, name="lifecycle"),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
]

handler400 = "core.api.problems.handler400"
handler403 = "core.api.problems.handler403"
handler404 = "core.api.problems.handler404"
handler500 = "core.api.problems.handler500"
