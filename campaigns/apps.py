from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        from core import stats

        from .models import Campaign

        stats.register(
            "campaigns",
            lambda ws: {
                "total": Campaign.objects.for_workspace(ws).count(),
                "active": Campaign.objects.for_workspace(ws).filter(active=True).count(),
            },
        )
