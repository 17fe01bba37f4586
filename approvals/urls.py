from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("approvals/", views.inbox_view, name="inbox"),
    path("campaigns/<int:pk>/approvals/initialize/", views.approvals_initialize_view, name="initialize"),
    path("campaigns/<int:pk>/approvals/<str:scope>/approve/", views.approval_decide_view, {"approve": True},
         name="approve"),
    path("campaigns/<int:pk>/approvals/<str:scope>/reject/", views.approval_decide_view, {"approve": False},
         name="reject"),
    path("campaigns/<int:pk>/publish/", views.campaign_publish_view, name="publish"),
]
