"""Fixtures the integration tests share with the generation tests (a realistic local site)."""

from tests.generators.generation_fixtures import allow_local_fetches, site  # noqa: F401 (fixtures)
