from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Workspaces and people"

    def ready(self):
        from core import stats

        from . import (
            openapi,  # noqa: F401 (registers the schema's security schemes)
            signals,
        )
        from .models import APIKey, Membership

        signals.connect()
        stats.register(
            "people",
            lambda ws: {
                "members": Membership.objects.for_workspace(ws).count(),
                "active_api_keys": APIKey.objects.for_workspace(ws).active().count(),
            },
        )
