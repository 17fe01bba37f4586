from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_create_view, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/active/", views.campaign_set_active, name="set-active"),
    path("<int:pk>/strategy/edit/", views.strategy_edit, name="strategy-edit"),
    path("<int:pk>/strategy/diff/", views.strategy_diff_view, name="strategy-diff"),
    path("<int:pk>/strategy/<int:version>/invalidate/", views.strategy_invalidate_view, name="strategy-invalidate"),
    # The approvals tab's own address (the advisor links here); approvals/urls.py has its actions.
    path("<int:pk>/approvals/", views.campaign_detail, {"default_tab": "approvals"}, name="approvals"),
    path("<int:pk>/advisor/", views.advisor_sidebar, name="advisor"),
    path("<int:pk>/advisor/respond/", views.advisor_respond, name="advisor-respond"),
]
