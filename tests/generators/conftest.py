"""Fixtures shared by the generation tests (a realistic local site, a thin one, failing writers)."""

from tests.generators.generation_fixtures import (  # noqa: F401 (fixtures)
    allow_local_fetches,
    failing_part,
    site,
    thin_site,
)
