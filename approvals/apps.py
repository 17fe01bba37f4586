from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self):
        from core import domain_events

        from . import advisor_rules, services  # noqa: F401 - advisor_rules registers its checks

        domain_events.subscribe(domain_events.StrategyVersionCreated, services.on_strategy_version_created)
        domain_events.subscribe(domain_events.StrategyVersionInvalidated, services.on_strategy_version_invalidated)

        from campaigns.tabs import CampaignTab, register_tab

        from . import views

        register_tab(CampaignTab("approvals", "Approvals", 20, "approvals/panel.html", views.approvals_tab_context))
