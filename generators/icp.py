"""The ideal customer profile: taken from a person, or inferred from what the site says.

Inference reads only the site facts. Every value it proposes carries the evidence it came
from and a confidence; a field nothing supports stays empty with confidence 0, because an
invented ICP would quietly steer every asset written from it. Confidences are deliberately
modest and ordered by how direct the signal is: the site naming an audience outright
(JSON-LD `audience`, an "Industries" list) counts more than a word in the copy, which counts
more than a reading of a pricing page.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from generators.schemas import ICPInputSerializer
from generators.types import ICP, ICP_FIELDS, Evidence, Fact, ICPField, SiteFacts

MAX_VALUES = 6

# Signal strengths (see the module docstring).
STATED = 0.8  # the site names it as such: industries served, areaServed, audience
EXPLICIT_COPY = 0.7  # a specific phrase in the copy: "for teams of 10-500", "for CFOs"
COPY = 0.55  # a keyword in the copy: "fintech", "SOC 2", "hiring"
READING = 0.4  # an interpretation: a pricing tier's name, a currency, a phone prefix
CORROBORATION_BONUS = 0.1  # a second independent source for the same value
MAX_CONFIDENCE = 0.95  # inference is never as sure as a person


def icp_from_input(data: dict) -> ICP:
    """A person's ICP, validated (raises rest_framework's ValidationError with field errors)."""
    serializer = ICPInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    values = serializer.validated_data
    fields = {
        name: ICPField(values=tuple(values.get(name, [])), confidence=1.0 if values.get(name) else 0.0)
        for name in ICP_FIELDS
    }
    return ICP(**fields, source="provided")


def icp_infer(facts: SiteFacts) -> ICP:
    """An ICP read from the site's facts, each field with confidence and evidence."""
    copy = list(_copy_facts(facts))
    fields = {
        "industries": _industries(facts, copy),
        "company_sizes": _company_sizes(facts, copy),
        "regions": _regions(facts),
        "roles": _roles(facts, copy),
        "pains": _pains(copy),
        "buying_triggers": _buying_triggers(copy),
        "exclusions": _exclusions(copy),
    }
    return ICP(**{name: found.field() for name, found in fields.items()}, source="inferred")


# --- Collecting findings -----------------------------------------------------------------------


@dataclass
class _Finding:
    value: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    sources: int = 1


@dataclass
class _Findings:
    """Values found for one field, merged case-insensitively, strongest first."""

    items: dict[str, _Finding] = field(default_factory=dict)

    def add(self, value: str, confidence: float, evidence: Iterable[Evidence]) -> None:
        value = value.strip()
        if not value:
            return
        key = value.casefold()
        evidence = list(evidence)
        found = self.items.get(key)
        if found is None:
            self.items[key] = _Finding(value, confidence, evidence)
            return
        if any(e not in found.evidence for e in evidence):
            found.sources += 1  # corroboration only counts when it comes from other evidence
        found.confidence = max(found.confidence, confidence)
        found.evidence.extend(e for e in evidence if e not in found.evidence)

    def field(self) -> ICPField:
        if not self.items:
            return ICPField(values=(), confidence=0.0, evidence=())
        ranked = sorted(self.items.values(), key=lambda f: -_strength(f))[:MAX_VALUES]
        evidence: list[Evidence] = []
        for finding in ranked:
            evidence.extend(e for e in finding.evidence[:2] if e not in evidence)
        confidence = round(max(_strength(f) for f in ranked), 2)
        return ICPField(values=tuple(f.value for f in ranked), confidence=confidence, evidence=tuple(evidence[:8]))


def _strength(finding: _Finding) -> float:
    return min(MAX_CONFIDENCE, finding.confidence + CORROBORATION_BONUS * (finding.sources - 1))


def _evidence_of(fact: Fact, facts_url: str) -> tuple[Evidence, ...]:
    # A fact without evidence was still read from the site; point at the page it came from.
    return fact.evidence or (Evidence(url=facts_url, snippet=fact.value[:300]),)


def _copy_facts(facts: SiteFacts) -> Iterator[tuple[str, tuple[Evidence, ...]]]:
    """Every piece of marketing copy with its evidence: what the site says about itself."""
    singles = [facts.tagline, facts.description]
    for fact in [*singles, *facts.value_propositions, *facts.features, *facts.testimonials]:
        if fact is not None:
            yield fact.value, _evidence_of(fact, facts.url)
    for tier in facts.pricing_tiers:
        # The tier's name is left out: "Enterprise" as a plan name is a reading (see
        # _company_sizes), not the site saying it sells to enterprises.
        text = " ".join([tier.price, *tier.features])
        yield text, tier.evidence or (Evidence(url=facts.url, snippet=f"{tier.name}: {text}"[:300]),)
    description = facts.organization.get("description")
    if isinstance(description, str) and description.strip():
        yield description, (Evidence(url=facts.url, snippet=description[:300]),)


# --- Industries ----------------------------------------------------------------------------------

# Keyword → the industry name used in the ICP. Word-bounded, case-insensitive.
INDUSTRY_KEYWORDS = {
    r"fin-?tech|financial services|banks and|for banks|lenders|lending platforms?|credit unions": "Financial services",
    r"insurance|insurers?|insurtech": "Insurance",
    r"health ?care|healthtech|hospitals?|clinics?|medical|patients?": "Healthcare",
    r"e-?commerce|online stores?|online retail|shopify stores?|d2c|dtc brands?": "E-commerce",
    r"retail(?:ers)?": "Retail",
    r"b2b saas|saas companies|saas businesses|software companies": "B2B SaaS",
    r"manufactur(?:ing|ers)": "Manufacturing",
    r"logistics|supply chain|freight|shipping companies": "Logistics",
    r"real estate|property managers?|proptech": "Real estate",
    r"education|edtech|schools?|universit(?:y|ies)": "Education",
    r"law firms?|legal teams?|legaltech": "Legal",
    r"agenc(?:y|ies)": "Agencies",
    r"non-?profits?|charities": "Nonprofits",
    r"government|public sector": "Public sector",
    r"hospitality|hotels?|restaurants?": "Hospitality",
    r"construction|contractors": "Construction",
    r"media companies|publishers?": "Media and publishing",
    r"marketplaces?": "Marketplaces",
    r"accounting firms?|accountants|cpas?": "Accounting firms",
    r"recruit(?:ing|ment) (?:firms|agencies)|staffing": "Staffing and recruiting",
}
_INDUSTRY_PATTERNS = [(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I), name) for pattern, name in INDUSTRY_KEYWORDS.items()]


def _industries(facts: SiteFacts, copy: list) -> _Findings:
    found = _Findings()
    for fact in facts.industries:
        found.add(_tidy(fact.value), STATED, _evidence_of(fact, facts.url))
    audience = facts.organization.get("audience")
    audience_type = audience.get("audienceType") if isinstance(audience, dict) else None
    if isinstance(audience_type, str):
        found.add(_tidy(audience_type), STATED, [Evidence(url=facts.url, snippet=f"audienceType: {audience_type}")])
    for text, evidence in copy:
        for pattern, name in _INDUSTRY_PATTERNS:
            if pattern.search(text):
                found.add(name, COPY, evidence)
    # Customers' sectors: only when the site itself describes the customer ("Northwind, the bank").
    for fact in facts.customers:
        context = " ".join(e.snippet for e in fact.evidence)
        for pattern, name in _INDUSTRY_PATTERNS:
            if pattern.search(context):
                found.add(name, READING, fact.evidence)
    return found


# --- Company sizes -------------------------------------------------------------------------------

SMALL, MID, LARGE = "1-50 employees", "50-500 employees", "500+ employees"
_NUMBER = r"(\d{1,3}(?:[,.]\d{3})*|\d+)"
_SIZE_RANGE = re.compile(
    rf"\b(?:teams|companies|businesses|organi[sz]ations|firms|startups)\s+(?:of|with)\s+(?:between\s+)?"
    rf"{_NUMBER}\s*(?:-|–|—|to|and)\s*{_NUMBER}\+?(?:\s+(?:people|employees|staff|users|seats))?",
    re.I,
)
_SIZE_FLOOR = re.compile(rf"\b{_NUMBER}\+\s*(?:employees|people|staff)\b", re.I)
_SIZE_CEILING = re.compile(rf"\bup to\s+{_NUMBER}\s+(?:employees|users|seats|team members)\b", re.I)
_SIZE_WORDS = [
    (re.compile(r"\b(?:startups?|founders|solopreneurs?|freelancers?)\b", re.I), SMALL),
    (re.compile(r"\b(?:small business(?:es)?|smbs?|small teams?)\b", re.I), SMALL),
    (re.compile(r"\b(?:mid-?market|mid-?sized?|growing (?:companies|teams|businesses))\b", re.I), MID),
    (re.compile(r"\b(?:enterprises?|large (?:companies|organi[sz]ations))\b", re.I), LARGE),
]
_TIER_BANDS = [
    (re.compile(r"^(?:free|starter|basic|solo|personal|individual|hobby|lite|essentials?)\b", re.I), SMALL),
    (re.compile(r"^(?:team|teams|pro|professional|growth|business|plus|standard|scale|premium)\b", re.I), MID),
    (re.compile(r"^(?:enterprise|corporate|custom)\b", re.I), LARGE),
]
_PER_SEAT = re.compile(r"\bper (?:seat|user|member)\b|/\s*(?:seat|user)\b", re.I)


def _company_sizes(facts: SiteFacts, copy: list) -> _Findings:
    found = _Findings()
    for text, evidence in copy:
        for match in _SIZE_RANGE.finditer(text):
            low, high = _int(match.group(1)), _int(match.group(2))
            if low < high:
                found.add(f"{low}-{high} employees", EXPLICIT_COPY, evidence)
        for match in _SIZE_FLOOR.finditer(text):
            found.add(f"{_int(match.group(1))}+ employees", EXPLICIT_COPY, evidence)
        for match in _SIZE_CEILING.finditer(text):
            found.add(f"1-{_int(match.group(1))} employees", READING, evidence)
        for pattern, band in _SIZE_WORDS:
            if pattern.search(text):
                found.add(band, COPY, evidence)
    if any(f.confidence >= EXPLICIT_COPY for f in found.items.values()):
        return found  # the site said it outright; a reading of tier names would only blur it
    for tier in facts.pricing_tiers:
        evidence = tier.evidence or (Evidence(url=facts.url, snippet=f"{tier.name}: {tier.price}"),)
        for pattern, band in _TIER_BANDS:
            if pattern.search(tier.name.strip()):
                # Per-seat pricing is bought by teams, which makes a tier's audience more certain.
                per_seat = _PER_SEAT.search(" ".join([tier.price, *tier.features]))
                found.add(band, READING + (0.05 if per_seat else 0.0), evidence)
    return found


def _int(text: str) -> int:
    return int(re.sub(r"[,.]", "", text))


def size_bounds(value: str) -> tuple[int | None, int | None]:
    """(lowest, highest) employee count a size phrase means; None where it sets no bound."""
    text = value.lower()
    match = re.search(rf"{_NUMBER}\s*(?:-|–|—|to)\s*{_NUMBER}", text)
    if match:
        return _int(match.group(1)), _int(match.group(2))
    match = re.search(rf"{_NUMBER}\s*\+", text)
    if match:
        return _int(match.group(1)), None
    match = re.search(rf"(?:up to|under|fewer than|less than)\s+{_NUMBER}", text)
    if match:
        return 1, _int(match.group(1))
    bands = {"startup": (1, 50), "small": (1, 50), "smb": (1, 50), "solo": (1, 10), "freelanc": (1, 10),
             "mid": (50, 500), "medium": (50, 500), "enterprise": (500, None), "large": (500, None)}
    for word, bounds in bands.items():
        if word in text:
            return bounds
    return None, None


# --- Regions --------------------------------------------------------------------------------------

COUNTRY_NAMES = {
    "united states": "United States", "usa": "United States", "u.s.": "United States",
    "united kingdom": "United Kingdom", "uk": "United Kingdom", "england": "United Kingdom",
    "germany": "Germany", "deutschland": "Germany", "france": "France", "canada": "Canada",
    "australia": "Australia", "new zealand": "New Zealand", "ireland": "Ireland", "india": "India",
    "netherlands": "Netherlands", "spain": "Spain", "italy": "Italy", "sweden": "Sweden",
    "denmark": "Denmark", "norway": "Norway", "finland": "Finland", "switzerland": "Switzerland",
    "austria": "Austria", "belgium": "Belgium", "poland": "Poland", "portugal": "Portugal",
    "singapore": "Singapore", "japan": "Japan", "brazil": "Brazil", "mexico": "Mexico",
    "israel": "Israel", "south africa": "South Africa", "united arab emirates": "United Arab Emirates",
    "europe": "Europe", "north america": "North America", "emea": "EMEA", "apac": "APAC",
    "dach": "DACH", "nordics": "Nordics", "latam": "Latin America", "latin america": "Latin America",
}
ISO_COUNTRIES = {
    "US": "United States", "GB": "United Kingdom", "UK": "United Kingdom", "DE": "Germany", "FR": "France",
    "CA": "Canada", "AU": "Australia", "NZ": "New Zealand", "IE": "Ireland", "IN": "India",
    "NL": "Netherlands", "ES": "Spain", "IT": "Italy", "SE": "Sweden", "DK": "Denmark", "NO": "Norway",
    "FI": "Finland", "CH": "Switzerland", "AT": "Austria", "BE": "Belgium", "PL": "Poland",
    "PT": "Portugal", "SG": "Singapore", "JP": "Japan", "BR": "Brazil", "MX": "Mexico", "IL": "Israel",
    "ZA": "South Africa", "AE": "United Arab Emirates",
}
PHONE_PREFIXES = {
    "+1": "North America", "+44": "United Kingdom", "+49": "Germany", "+33": "France", "+61": "Australia",
    "+64": "New Zealand", "+353": "Ireland", "+91": "India", "+31": "Netherlands", "+34": "Spain",
    "+39": "Italy", "+46": "Sweden", "+45": "Denmark", "+47": "Norway", "+358": "Finland",
    "+41": "Switzerland", "+43": "Austria", "+32": "Belgium", "+48": "Poland", "+351": "Portugal",
    "+65": "Singapore", "+81": "Japan", "+55": "Brazil", "+52": "Mexico", "+972": "Israel",
    "+27": "South Africa", "+971": "United Arab Emirates",
}
TLD_REGIONS = {
    "uk": "United Kingdom", "de": "Germany", "fr": "France", "ca": "Canada", "au": "Australia",
    "nz": "New Zealand", "ie": "Ireland", "in": "India", "nl": "Netherlands", "es": "Spain", "it": "Italy",
    "se": "Sweden", "dk": "Denmark", "no": "Norway", "fi": "Finland", "ch": "Switzerland", "at": "Austria",
    "be": "Belgium", "pl": "Poland", "pt": "Portugal", "sg": "Singapore", "jp": "Japan", "br": "Brazil",
    "mx": "Mexico", "il": "Israel", "za": "South Africa", "ae": "United Arab Emirates", "eu": "Europe",
    "us": "United States",
}
CURRENCIES = [
    (re.compile(r"£|\bGBP\b"), "United Kingdom"),
    (re.compile(r"€|\bEUR\b"), "Europe"),
    (re.compile(r"\b(?:CA\$|C\$|CAD)"), "Canada"),
    (re.compile(r"\b(?:A\$|AU\$|AUD)"), "Australia"),
    (re.compile(r"₹|\bINR\b"), "India"),
    (re.compile(r"\bUS\$|\bUSD\b|(?<![A-Z])\$"), "United States"),
]
_COUNTRY_PATTERNS = [
    (re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])", re.I if len(name) > 3 else 0), region)
    for name, region in COUNTRY_NAMES.items()
]


def _regions(facts: SiteFacts) -> _Findings:
    found = _Findings()
    org = facts.organization
    for value in _as_list(org.get("areaServed")):
        name = value.get("name") if isinstance(value, dict) else value
        if isinstance(name, str) and name.strip():
            region = ISO_COUNTRIES.get(name.strip().upper(), COUNTRY_NAMES.get(name.strip().lower(), name.strip()))
            found.add(region, STATED, [Evidence(url=facts.url, snippet=f"areaServed: {name}")])
    for address in _as_list(org.get("address")):
        country = address.get("addressCountry") if isinstance(address, dict) else None
        if isinstance(country, dict):
            country = country.get("name")
        if isinstance(country, str) and country.strip():
            region = ISO_COUNTRIES.get(country.strip().upper(), COUNTRY_NAMES.get(country.strip().lower(), country.strip()))
            found.add(region, READING, [Evidence(url=facts.url, snippet=f"addressCountry: {country}")])
    for fact in facts.contact_points:
        evidence = _evidence_of(fact, facts.url)
        for pattern, region in _COUNTRY_PATTERNS:
            if pattern.search(fact.value):
                found.add(region, READING, evidence)
        phone = re.search(r"\+\d{1,3}", fact.value)
        if phone:
            prefix = next((p for p in sorted(PHONE_PREFIXES, key=len, reverse=True) if phone.group(0).startswith(p)), None)
            if prefix:
                found.add(PHONE_PREFIXES[prefix], READING, evidence)
    tld = facts.domain.lower().rstrip(".").rsplit(".", 1)[-1]
    if tld in TLD_REGIONS:
        found.add(TLD_REGIONS[tld], READING, [Evidence(url=facts.url, snippet=f"Domain {facts.domain}")])
    for tier in facts.pricing_tiers:
        for pattern, region in CURRENCIES:
            if pattern.search(tier.price):
                evidence = tier.evidence or (Evidence(url=facts.url, snippet=f"{tier.name}: {tier.price}"),)
                found.add(region, READING - 0.1, evidence)  # a price's currency is a weak hint
                break
    return found


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- Roles ----------------------------------------------------------------------------------------

ROLE_KEYWORDS = {
    r"CFOs?|chief financial officers?": "CFO", r"CEOs?": "CEO", r"CTOs?": "CTO", r"CMOs?": "CMO",
    r"COOs?": "COO", r"CROs?": "CRO", r"CISOs?": "CISO", r"controllers?": "Controllers",
    r"founders?": "Founders", r"marketers|marketing (?:teams?|leaders?|managers?)": "Marketing teams",
    r"sales (?:teams?|leaders?|reps?|managers?)|account executives|SDRs|BDRs": "Sales teams",
    r"revops|revenue operations": "Revenue operations",
    r"finance (?:teams?|leaders?)|accounting teams?|accountants": "Finance teams",
    r"developers|engineers|engineering (?:teams?|leaders?)|dev teams?": "Engineering teams",
    r"product (?:managers|teams?)": "Product teams", r"designers|design teams?": "Design teams",
    r"recruiters|talent (?:teams?|acquisition)|hiring managers": "Recruiting teams",
    r"HR (?:teams?|leaders?)|people (?:teams?|ops)": "HR teams",
    r"customer success (?:teams?|managers?)|support (?:teams?|agents)": "Customer support teams",
    r"operations (?:teams?|leaders?)|ops teams?": "Operations teams",
    r"IT (?:teams?|admins?|leaders?)": "IT teams", r"security teams?": "Security teams",
    r"data (?:teams?|analysts|scientists)|analysts": "Data teams",
}
_ROLE_PATTERNS = [
    (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", 0 if pattern[:2].isupper() else re.I), role)
    for pattern, role in ROLE_KEYWORDS.items()
]
_FOR_AUDIENCE = re.compile(r"\b(?:for|built for|made for|designed for)\s+([^.,;:!?]{3,60})", re.I)
# "— Dana Ruiz, VP Finance at Northwind": the title of a person quoted on the site.
_QUOTED_TITLE = re.compile(
    r"[—–-]\s*[^,—–]{2,60},\s*((?:VP|SVP|EVP|Head|Director|Chief|Founder|Co-founder|CEO|CTO|CFO|CMO|COO|CRO|"
    r"Controller|Manager|Lead)[^,@]{0,50}?)\s+(?:at|@)\s+\S",
)


def _roles(facts: SiteFacts, copy: list) -> _Findings:
    found = _Findings()
    for text, evidence in copy:
        # "for finance teams" is an explicit audience; the same words elsewhere are a hint.
        audience = " ".join(match.group(1) for match in _FOR_AUDIENCE.finditer(text))
        for pattern, role in _ROLE_PATTERNS:
            if pattern.search(audience):
                found.add(role, EXPLICIT_COPY, evidence)
            elif pattern.search(text):
                found.add(role, COPY - 0.1, evidence)
    for fact in facts.testimonials:
        for text in [fact.value, *(e.snippet for e in fact.evidence)]:
            match = _QUOTED_TITLE.search(text)
            if match:
                found.add(_tidy(match.group(1)), COPY, _evidence_of(fact, facts.url))
                break
    return found


# --- Pains ----------------------------------------------------------------------------------------

# A promise to remove something names the pain: "Stop chasing invoices" → "Chasing invoices".
_PAIN_VERBS = re.compile(
    r"\b(?:stop|no more|eliminate|get rid of|tired of|avoid|say goodbye to|without the|ditch|"
    r"reduce|cut|lower|minimi[sz]e|fewer)\s+(?:the\s+|your\s+|our\s+|their\s+|all\s+)?([a-z][a-z0-9 '’/-]{2,60}?)"
    r"(?=\s+(?:from|by|to|with|in|and|so|for|across|—|-)\b|[.,;:!?]|$)",
    re.I,
)
_MANUAL = re.compile(r"\b(manual [a-z]+(?: [a-z]+)?|spreadsheets?)\b", re.I)
_PAIN_STOPWORDS = {"it", "that", "this", "them", "time", "the", "more", "less", "one", "a"}


def _pains(copy: list) -> _Findings:
    found = _Findings()
    for text, evidence in copy:
        for match in _PAIN_VERBS.finditer(text):
            phrase = match.group(1).strip(" -—")
            if phrase.lower() not in _PAIN_STOPWORDS and len(phrase.split()) <= 6:
                found.add(_pain_name(phrase), COPY, evidence)
        for match in _MANUAL.finditer(text):
            found.add(_pain_name(match.group(1)), COPY - 0.1, evidence)
    return found


def _pain_name(phrase: str) -> str:
    return "Work kept in spreadsheets" if phrase.lower().startswith("spreadsheet") else _sentence_case(phrase)


# --- Buying triggers -----------------------------------------------------------------------------

TRIGGERS = [
    (re.compile(r"\b(?:hiring|new hires|onboard(?:ing)? new|growing (?:team|headcount)|scal(?:e|ing) (?:your|the) team)\b", re.I),
     "Hiring or growing the team"),
    (re.compile(r"\b(?:raised|fundrais\w*|funding round|series [a-d]|seed round|investors?)\b", re.I),
     "Recently raised funding"),
    (re.compile(r"\b(?:migrat\w+|switch(?:ing)? from|move (?:off|away from)|import (?:from|your)|replac(?:e|ing) (?:your|legacy))\b", re.I),
     "Migrating from another tool"),
    (re.compile(r"\b(?:expand\w* (?:into|to) new|international expansion|new markets?|going global|multi-entity|multi-currency)\b", re.I),
     "Expanding into new markets"),
    (re.compile(r"\b(?:launch(?:ing)? (?:a|your) (?:new )?product|product launch(?:es)?|go-to-market)\b", re.I),
     "Launching a product"),
    (re.compile(r"\b(?:audit[- ]read\w*|prepar\w+ for (?:an |your |the )?audits?|ipo|due diligence|board reporting)\b", re.I),
     "Preparing for an audit, IPO or board review"),
]
_COMPLIANCE = re.compile(r"\b(SOC ?2|GDPR|HIPAA|ISO ?27001|PCI(?:[- ]DSS)?|CCPA|SOX|FedRAMP)\b", re.I)


def _buying_triggers(copy: list) -> _Findings:
    found = _Findings()
    for text, evidence in copy:
        for pattern, trigger in TRIGGERS:
            if pattern.search(text):
                found.add(trigger, COPY - 0.1, evidence)
        for match in _COMPLIANCE.finditer(text):
            found.add(f"{_compliance_name(match.group(1))} compliance requirement", COPY - 0.1, evidence)
    return found


def _compliance_name(text: str) -> str:
    squashed = re.sub(r"[\s-]", "", text.upper())
    return {"SOC2": "SOC 2", "ISO27001": "ISO 27001", "PCIDSS": "PCI DSS", "FEDRAMP": "FedRAMP"}.get(squashed, squashed)


# --- Exclusions -----------------------------------------------------------------------------------

_NOT_FOR = re.compile(r"\bnot (?:built |designed |made |a fit |right )?for\s+([^.,;:!?]{3,60})", re.I)
_ONLY_FOR = re.compile(r"\b(B2B|B2C)(?:[- ]only| companies only)\b|\bonly for (B2B|B2C)\b", re.I)
_MINIMUM = re.compile(rf"\b(?:minimum(?: of)?|at least|starts? at)\s+{_NUMBER}\s+(seats|users|employees)\b", re.I)


def _exclusions(copy: list) -> _Findings:
    found = _Findings()
    for text, evidence in copy:
        for match in _NOT_FOR.finditer(text):
            found.add(_sentence_case(match.group(1).strip()), EXPLICIT_COPY, evidence)
        match = _ONLY_FOR.search(text)
        if match:
            only = (match.group(1) or match.group(2)).upper()
            found.add(f"{'B2C' if only == 'B2B' else 'B2B'} companies", COPY, evidence)
        for match in _MINIMUM.finditer(text):
            found.add(f"Teams under {_int(match.group(1))} {match.group(2).lower()}", COPY, evidence)
    return found


# --- Text helpers ---------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" .,;:")


def _sentence_case(text: str) -> str:
    text = _tidy(text)
    return text[:1].upper() + text[1:]
