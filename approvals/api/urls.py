from django.urls import path

from approvals.api import views

prefix = "campaigns/<int:campaign_pk>/"

urlpatterns = [
    path(f"{prefix}approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path(f"{prefix}approvals/initialize/", views.ApprovalsInitializeView.as_view(), name="approvals-initialize"),
    path(f"{prefix}approvals/history/", views.ApprovalHistoryView.as_view(), name="approvals-history"),
    path(f"{prefix}approvals/check-publish/", views.CheckPublishView.as_view(), name="approvals-check-publish"),
    path(f"{prefix}approvals/<str:scope>/approve/", views.ApprovalDecideView.as_view(), name="approvals-approve"),
    path(f"{prefix}approvals/<str:scope>/reject/", views.ApprovalRejectView.as_view(), name="approvals-reject"),
    path(f"{prefix}publish/", views.PublishView.as_view(), name="campaign-publish"),
]
