"""Domain events: how a lower app tells a higher one that something happened.

Apps lower in the layering (campaigns) `emit` typed events; apps above them (approvals,
content, lifecycle) `subscribe` in their AppConfig.ready(). Handlers run synchronously in
the emitter's transaction, so a handler's writes commit or roll back with the change that
caused them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

_handlers: dict[type, list[Callable]] = defaultdict(list)


@dataclass(frozen=True)
class StrategyVersionCreated:
    workspace_id: int
    campaign_id: int
    version: int
    previous_version: int | None
    author_id: int | None


@dataclass(frozen=True)
class StrategyVersionInvalidated:
    workspace_id: int
    campaign_id: int
    version: int
    reason: str
    by_id: int | None


@dataclass(frozen=True)
class CampaignPublished:
    workspace_id: int
    campaign_id: int
    strategy_version: int
    by_id: int | None


def subscribe(event_type: type, handler: Callable) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def emit(event) -> None:
    for handler in _handlers[type(event)]:
        handler(event)
