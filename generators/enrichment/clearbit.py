"""Clearbit's legacy company API: GET /v2/companies/find?domain=... with a Bearer key.

Clearbit answers 202 while it looks a domain up for the first time; that is reported as an
error to retry, not as "not found"."""

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

FIND_PATH = "/v2/companies/find"


class ClearbitProvider:
    source = "clearbit"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None, timeout=TIMEOUT):
        self.api_key = api_key if api_key is not None else settings.CLEARBIT_API_KEY
        self.base_url = base_url or settings.CLEARBIT_BASE_URL
        self.timeout = timeout

    def enrich(self, domain: str) -> ProviderResult:
        if not self.api_key:
            return ProviderResult(source=self.source, status="not_configured")
        try:
            status, body = get_json(
                base_url=self.base_url, path=FIND_PATH, params={"domain": domain},
                headers={"Authorization": f"Bearer {self.api_key}"}, timeout=self.timeout,
            )
            return self._result(status, body)
        except ProviderError as exc:
            return failed(self.source, exc)

    def _result(self, status: int, body: object) -> ProviderResult:
        if status == 404:
            return ProviderResult(source=self.source, status="not_found")
        if status == 202:
            raise ProviderError("the provider is still looking this domain up; try again shortly")
        if status != 200:
            raise error_for_status(status)
        if not isinstance(body, dict) or (not body.get("name") and not body.get("domain")):
            return ProviderResult(source=self.source, status="not_found")
        return ProviderResult(source=self.source, status="ok", data=company_data(body))


def _section(company: dict, key: str) -> dict:
    value = company.get(key)
    return value if isinstance(value, dict) else {}


def company_data(company: dict) -> dict:
    metrics, category, geo = _section(company, "metrics"), _section(company, "category"), _section(company, "geo")
    linkedin = _section(company, "linkedin").get("handle")
    return compact({
        "name": company.get("name"),
        "domain": company.get("domain"),
        "website": f"https://{company['domain']}" if company.get("domain") else None,
        "employees": metrics.get("employees"),
        "employees_range": metrics.get("employeesRange"),
        "industry": category.get("industry"),
        "sector": category.get("sector"),
        "annual_revenue": metrics.get("annualRevenue"),
        "estimated_annual_revenue": metrics.get("estimatedAnnualRevenue"),
        "founded_year": company.get("foundedYear"),
        "location": company.get("location"),
        "country": geo.get("country"),
        "linkedin_url": f"https://www.linkedin.com/{linkedin}" if linkedin else None,
        "tags": company.get("tags"),
        "technologies": company.get("tech"),
        "raised": metrics.get("raised"),
        "description": company.get("description"),
    })
