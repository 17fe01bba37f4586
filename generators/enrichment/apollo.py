"""Apollo organization enrichment: GET /api/v1/organizations/enrich?domain=... with the key
in the `x-api-key` header."""

from django.conf import settings

from generators.enrichment.base import (
    TIMEOUT,
    ProviderError,
    ProviderResult,
    compact,
    error_for_status,
    failed,
    get_json,
)

ENRICH_PATH = "/api/v1/organizations/enrich"


class ApolloProvider:
    source = "apollo"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None, timeout=TIMEOUT):
        self.api_key = api_key if api_key is not None else settings.APOLLO_API_KEY
        self.base_url = base_url or settings.APOLLO_BASE_URL
        self.timeout = timeout

    def enrich(self, domain: str) -> ProviderResult:
        if not self.api_key:
            return ProviderResult(source=self.source, status="not_configured")
        try:
            status, body = get_json(
                base_url=self.base_url, path=ENRICH_PATH, params={"domain": domain},
                headers={"x-api-key": self.api_key, "Cache-Control": "no-cache"}, timeout=self.timeout,
            )
            return self._result(status, body)
        except ProviderError as exc:
            return failed(self.source, exc)

    def _result(self, status: int, body: object) -> ProviderResult:
        if status == 404:
            return ProviderResult(source=self.source, status="not_found")
        if status != 200:
            raise error_for_status(status)
        if not isinstance(body, dict):
            raise ProviderError("the provider answered with something other than JSON")
        organization = body.get("organization")
        if not isinstance(organization, dict) or not organization:
            return ProviderResult(source=self.source, status="not_found")
        return ProviderResult(source=self.source, status="ok", data=organization_data(organization))


def organization_data(org: dict) -> dict:
    """The firmographic and technographic fields the blueprint uses, under our names."""
    technologies = org.get("technology_names") or [
        tech.get("name") for tech in org.get("current_technologies") or [] if isinstance(tech, dict)
    ]
    location = ", ".join(part for part in (org.get("city"), org.get("state"), org.get("country")) if part)
    return compact({
        "name": org.get("name"),
        "domain": org.get("primary_domain"),
        "website": org.get("website_url"),
        "employees": org.get("estimated_num_employees"),
        "industry": org.get("industry"),
        "annual_revenue": org.get("annual_revenue"),
        "annual_revenue_printed": org.get("annual_revenue_printed"),
        "founded_year": org.get("founded_year"),
        "location": location,
        "country": org.get("country"),
        "linkedin_url": org.get("linkedin_url"),
        "keywords": org.get("keywords"),
        "technologies": [name for name in technologies if name],
        "total_funding": org.get("total_funding"),
        "latest_funding_stage": org.get("latest_funding_stage"),
        "description": org.get("short_description"),
    })
