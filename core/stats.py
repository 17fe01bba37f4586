"""Workspace statistics, contributed by each app.

An app registers a function `(workspace) -> dict` in its AppConfig.ready(); the stats
endpoint merges them. The registry keeps core free of imports from the apps above it.
"""

from collections.abc import Callable

_providers: dict[str, Callable] = {}


def register(section: str, provider: Callable) -> None:
    _providers[section] = provider


def workspace_stats(workspace) -> dict:
    return {section: provider(workspace) for section, provider in sorted(_providers.items())}
