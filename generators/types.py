"""The shapes that flow through generation, shared by the site reader, the ICP, the writers
and the orchestrator. Plain dataclasses: JSON-ready through `as_dict()`."""

from dataclasses import asdict, dataclass, field
from typing import Literal

PartName = Literal["positioning", "email_pack", "enrichment"]
PARTS: tuple[str, ...] = ("positioning", "email_pack", "enrichment")


@dataclass(frozen=True)
class Evidence:
    url: str
    snippet: str  # the text the fact was read from, at most ~300 characters


@dataclass(frozen=True)
class Fact:
    value: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class PricingTier:
    name: str
    price: str  # as written on the page, e.g. "$49/mo", "Contact sales"
    features: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Technology:
    name: str
    category: str  # analytics, marketing_automation, crm, chat, payments, cms, ecommerce, ...
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class PageRead:
    url: str
    status: int
    title: str
    bytes: int
    kind: str  # home, about, pricing, product, customers, integrations, other


@dataclass
class SiteFacts:
    """Everything the site reader learned, each fact with the evidence it rests on."""

    url: str  # the normalised homepage URL actually read
    domain: str
    name: Fact | None = None
    tagline: Fact | None = None
    description: Fact | None = None
    value_propositions: list[Fact] = field(default_factory=list)
    features: list[Fact] = field(default_factory=list)
    pricing_tiers: list[PricingTier] = field(default_factory=list)
    customers: list[Fact] = field(default_factory=list)
    testimonials: list[Fact] = field(default_factory=list)
    industries: list[Fact] = field(default_factory=list)
    integrations: list[Fact] = field(default_factory=list)
    technologies: list[Technology] = field(default_factory=list)
    social_links: list[Fact] = field(default_factory=list)
    contact_points: list[Fact] = field(default_factory=list)
    organization: dict = field(default_factory=dict)  # JSON-LD Organization, as published
    pages: list[PageRead] = field(default_factory=list)
    text_chars: int = 0  # readable text gathered across pages

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ICPField:
    values: tuple[str, ...]
    confidence: float  # 0..1; 1.0 for what a person provided
    evidence: tuple[Evidence, ...] = ()


ICP_FIELDS = ("industries", "company_sizes", "regions", "roles", "pains", "buying_triggers", "exclusions")


@dataclass
class ICP:
    industries: ICPField
    company_sizes: ICPField  # ranges as written, e.g. "50-200 employees"
    regions: ICPField
    roles: ICPField
    pains: ICPField
    buying_triggers: ICPField
    exclusions: ICPField
    source: Literal["provided", "inferred"] = "inferred"

    def as_dict(self) -> dict:
        return asdict(self)


class GenerationError(Exception):
    """Base of errors that end a generation or one of its parts cleanly."""


class InsufficientInformation(GenerationError):
    """The site gave too little to write from honestly (unreachable, blocked, too little text).

    Answered as a 422 naming what was missing, never as invented output.
    """

    def __init__(self, detail: str, *, missing: list[str]):
        super().__init__(detail)
        self.detail = detail
        self.missing = missing


class FetchRefused(InsufficientInformation):
    """An outbound fetch was refused by the SSRF guard (private, loopback, metadata, ...)."""


class PartFailed(GenerationError):
    """One part could not be produced (e.g. the LLM's output failed validation twice)."""
