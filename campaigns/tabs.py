"""The tabs of the campaign page.

Campaigns owns the page, but apps above it in the layering (approvals now; content, leads
and lifecycle later) own some of its tabs. They register theirs in AppConfig.ready(), so
campaigns never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from campaigns.models import Campaign

TabContext = Callable[[HttpRequest, Campaign], dict]


def _no_context(request: HttpRequest, campaign: Campaign) -> dict:
    return {}


@dataclass(frozen=True)
class CampaignTab:
    key: str
    label: str
    order: int  # position in the tab bar, lowest first
    template: str  # rendered inside the tab panel with `campaign` and what `context` returns
    context: TabContext = _no_context


_tabs: dict[str, CampaignTab] = {}


def register_tab(tab: CampaignTab) -> None:
    _tabs[tab.key] = tab


def campaign_tabs() -> list[CampaignTab]:
    return sorted(_tabs.values(), key=lambda tab: tab.order)


def campaign_tab(key: str) -> CampaignTab | None:
    return _tabs.get(key)
