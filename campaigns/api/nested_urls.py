from django.urls import path

from campaigns.api.advisor import (
    AdvisorBlockersView,
    AdvisorEvaluateView,
    AdvisorRecommendationsView,
    AdvisorResponseViewSet,
)
from campaigns.api.strategies import StrategyViewSet

prefix = "campaigns/<int:campaign_pk>/"
strategies = f"{prefix}strategies/"
version = f"{strategies}<int:version>/"

urlpatterns = [
    path(strategies, StrategyViewSet.as_view({"get": "list", "post": "create"}), name="strategy-list"),
    path(f"{strategies}current/", StrategyViewSet.as_view({"get": "current"}), name="strategy-current"),
    path(version, StrategyViewSet.as_view({"get": "retrieve"}), name="strategy-detail"),
    path(f"{version}invalidate/", StrategyViewSet.as_view({"post": "invalidate"}), name="strategy-invalidate"),
    path(f"{version}completeness/", StrategyViewSet.as_view({"get": "completeness"}), name="strategy-completeness"),
    path(f"{prefix}advisor/evaluate/", AdvisorEvaluateView.as_view(), name="advisor-evaluate"),
    path(f"{prefix}advisor/blockers/", AdvisorBlockersView.as_view(), name="advisor-blockers"),
    path(f"{prefix}advisor/recommendations/", AdvisorRecommendationsView.as_view(), name="advisor-recommendations"),
    path(f"{prefix}advisor/responses/", AdvisorResponseViewSet.as_view({"get": "list", "post": "create"}),
         name="advisor-responses"),
]
