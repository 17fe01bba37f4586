from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        from core import stats

        from . import views
        from .models import Campaign
        from .tabs import CampaignTab, register_tab

        register_tab(CampaignTab("overview", "Overview", 0, "campaigns/tabs/overview.html"))
        register_tab(CampaignTab("strategy", "Strategy", 10, "campaigns/tabs/strategy.html",
                                 views.strategy_tab_context))
        register_tab(CampaignTab("advisor", "Advisor", 90, "campaigns/tabs/advisor.html",
                                 views.advisor_tab_context))

        stats.register(
            "campaigns",
            lambda ws: {
                "total": Campaign.objects.for_workspace(ws).count(),
                "active": Campaign.objects.for_workspace(ws).filter(active=True).count(),
            },
        )
