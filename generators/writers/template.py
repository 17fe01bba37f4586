"""The template writer: offline, deterministic copy built only from the facts and the ICP.

Every sentence it writes is assembled from something the site said (quoted or restated) or
from the ICP, and carries that evidence. It names a customer, a price or a number only when
the facts contain it; where the facts are silent it writes less (or says what is missing)
rather than filling the gap. The same input always gives the same output: nothing here
depends on time, randomness or set ordering, which is what makes results cacheable.

Text is streamed as it is composed, a heading or a sentence per chunk, so the page fills in
while the part is written; the chunks concatenated read as a plain-text draft of the part.
"""

import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from rest_framework.exceptions import ValidationError

from generators.icp import size_bounds
from generators.lint import lint_email
from generators.schemas import tokens_used, validate_part
from generators.types import ICP, ICP_FIELDS, Evidence, Fact, ICPField, PartFailed, SiteFacts
from generators.writers.base import DeltaSink

DAY_OFFSETS = (0, 3, 7, 12, 18, 25)
MAX_EVIDENCE = 4
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of",
    "on", "or", "our", "the", "their", "this", "to", "with", "without", "your", "you", "we", "all", "more",
    "less", "than", "not", "no", "any", "every", "each", "can", "will", "just", "get", "make",
))


class TemplateWriter:
    name = "template"
    version = "1"

    def write(self, part: str, *, facts: SiteFacts, icp: ICP, emit_delta: DeltaSink) -> dict:
        composers = {"positioning": _positioning, "email_pack": _email_pack, "enrichment": _enrichment}
        if part not in composers:
            raise PartFailed(f"The template writer does not write {part!r}.")
        material = _Material(facts, icp)
        _PROPER_NOUNS.set(_proper_nouns(facts))
        result = composers[part](material, _Stream(emit_delta))
        try:
            return validate_part(part, result)
        except ValidationError as exc:  # a bug here, not bad input: say where
            raise PartFailed(f"The template writer produced an invalid {part}: {exc.detail}") from exc


# --- What the writer works from ------------------------------------------------------------------


@dataclass(frozen=True)
class _Quote:
    text: str
    attribution: str  # "Dana Ruiz, VP Finance at Northwind", or "" when the site gives none
    evidence: tuple[Evidence, ...]


class _Material:
    """The facts and ICP, tidied once into what the composers need."""

    def __init__(self, facts: SiteFacts, icp: ICP):
        self.facts = facts
        self.icp = icp
        self.name = _clean(facts.name.value) if facts.name else _clean(str(facts.organization.get("name") or "")) or facts.domain
        self.tagline = facts.tagline
        self.description = facts.description
        self.value_props = _unique_facts(facts.value_propositions)
        self.features = _unique_facts(facts.features)
        self.customers = _unique_facts(facts.customers)
        self.integrations = _unique_facts(facts.integrations)
        self.quotes = [_quote(fact, facts.url) for fact in facts.testimonials]
        self.category = _market_category(self)
        self.priced_tiers = [tier for tier in facts.pricing_tiers if re.search(r"\d", tier.price)]

    # Evidence -------------------------------------------------------------------------------

    def ev(self, fact: Fact | None) -> list[Evidence]:
        if fact is None:
            return []
        return list(fact.evidence) or [Evidence(url=self.facts.url, snippet=fact.value[:300])]

    def identity_evidence(self) -> list[Evidence]:
        """What the site says it is: the ground for statements about the product as a whole."""
        for fact in (self.tagline, self.description, self.facts.name):
            if fact is not None:
                return self.ev(fact)
        return [Evidence(url=self.facts.url, snippet=self.name)]

    def icp_evidence(self, *fields: ICPField) -> list[Evidence]:
        # A provided ICP has no URLs to cite; the statement then rests on what the product is.
        found = [e for f in fields for e in f.evidence]
        return found or self.identity_evidence()

    # ICP phrases -----------------------------------------------------------------------------

    @property
    def industries(self) -> list[str]:
        return list(self.icp.industries.values)

    @property
    def roles(self) -> list[str]:
        return list(self.icp.roles.values)

    @property
    def pains(self) -> list[str]:
        return list(self.icp.pains.values)

    def audience(self) -> str:
        """"finance teams and CFOs at B2B SaaS companies", or "" when the ICP names nobody."""
        roles = _join([_people(role) for role in self.roles[:2]])
        industries = _join(self.industries[:2])
        if roles and industries:
            return f"{roles} at {industries} companies"
        if roles:
            return roles
        if industries:
            return f"{industries} companies"
        return ""

    def role(self) -> str:
        return _lower_first(self.roles[0]) if self.roles else "your team"

    def copy_facts(self) -> list[Fact]:
        return [f for f in (self.tagline, self.description) if f] + self.value_props + self.features

    def supporting(self, phrase: str, *, exclude: Iterable[Fact] = ()) -> Fact | None:
        """The copy fact sharing the most meaningful words with `phrase`, if any."""
        wanted = _keywords(phrase)
        excluded = list(exclude)
        best, best_score = None, 0
        for fact in self.copy_facts():
            if fact in excluded:
                continue
            score = len(wanted & _keywords(fact.value))
            if score > best_score:
                best, best_score = fact, score
        return best


class _Stream:
    """Sends the draft as it is written: a heading, then a sentence at a time."""

    def __init__(self, emit: DeltaSink):
        self.emit = emit
        self.started = False

    def heading(self, title: str) -> None:
        self.emit(("\n\n" if self.started else "") + f"## {title}\n")
        self.started = True

    def line(self, text: str, *, bullet: bool = True) -> None:
        sentences = _sentences(text)
        for index, sentence in enumerate(sentences):
            prefix = ("- " if bullet else "") if index == 0 else " "
            suffix = "\n" if index == len(sentences) - 1 else ""
            self.emit(f"{prefix}{sentence}{suffix}")


# --- Positioning ---------------------------------------------------------------------------------


def _positioning(m: _Material, out: _Stream) -> dict:
    if not (m.value_props or m.features or m.description or m.tagline):
        raise PartFailed(
            "Too little to position: the site states no tagline, description, value propositions or features."
        )
    sections = [
        ("Competitive alternatives", "competitive_alternatives", _alternatives),
        ("Unique attributes", "unique_attributes", _unique_attributes),
        ("Value and proof", "value_and_proof", _value_and_proof),
        ("Best-fit customers", "best_fit_customers", _best_fit),
        ("Market category", "market_category", _category_item),
        ("Relevant trends", "relevant_trends", _trends),
        ("Messaging pillars", "messaging_pillars", _pillars),
        ("Elevator pitch", "elevator_pitch", _pitch),
    ]
    result: dict = {}
    for title, key, compose in sections:
        out.heading(title)
        value = compose(m)
        for item in value if isinstance(value, list) else [value]:
            out.line(_item_text(item))
        if isinstance(value, list) and not value:
            out.line("Nothing on the site to base this on yet.", bullet=False)
        result[key] = value
    return result


def _item(text: str, evidence: Iterable[Evidence]) -> dict:
    return {"text": text, "evidence": _evidence_json(evidence)}


def _item_text(item: dict) -> str:
    if "title" in item:
        return f"{item['title']}: {item['message']}"
    if "value" in item:
        return f"{item['value']} Proof: {item['proof']}"
    return item["text"]


ALTERNATIVES = [
    (re.compile(r"\b(spreadsheets?|excel|google sheets)\b", re.I), "Spreadsheets"),
    (re.compile(r"\b(in-house|home-?grown|build (?:it )?yourself)\b", re.I), "Building and maintaining it in-house"),
    (re.compile(r"\b(agenc(?:y|ies)|consultants?)\b", re.I), "Paying an agency or consultants"),
    (re.compile(r"\b(manual(?:ly)?)\b", re.I), "Doing it by hand"),
    (re.compile(r"\b(email threads?|back-and-forth emails?)\b", re.I), "Email threads"),
    (re.compile(r"\b(legacy (?:tools?|software|systems?|erp|crm))\b", re.I), "Legacy software"),
]
_REPLACES = re.compile(r"\b(?:instead of|replaces?|switch(?:ing)? from|alternative to|no more|ditch)\s+(?:your\s+|the\s+)?([^.,;:!?—]{3,50})", re.I)


def _alternatives(m: _Material) -> list[dict]:
    found: dict[str, dict] = {}
    for fact in m.copy_facts():
        quote = _quoted(fact.value)
        for pattern, label in ALTERNATIVES:
            if pattern.search(fact.value) and label not in found:
                found[label] = _item(f"{label}. {m.name} sets itself against it: {quote}.", m.ev(fact))
        match = _REPLACES.search(fact.value)
        if match:
            label = _sentence_case(match.group(1))
            if not any(label.lower() in key.lower() or key.lower() in label.lower() for key in found):
                found[label] = _item(f"{label}. The site names it as what {m.name} replaces: {quote}.", m.ev(fact))
    items = list(found.values())[:5]
    if m.pains:
        who = m.audience() or "the teams it serves"
        items.append(_item(
            f"Doing nothing: {who} keep living with {_join([_lower_first(p) for p in m.pains[:2]])}.",
            m.icp_evidence(m.icp.pains),
        ))
    return items


def _unique_attributes(m: _Material) -> list[dict]:
    items = [_item(_sentence(fact.value), m.ev(fact)) for fact in m.features[:5]]
    if m.integrations:
        names = [_clean(f.value) for f in m.integrations]
        listed = _join(names[:6]) if len(names) <= 6 else f"{', '.join(names[:6])} and others listed on the site"
        items.append(_item(f"Connects to {listed}.", _collect(m.ev(f) for f in m.integrations[:6])))
    if m.priced_tiers:
        tiers = "; ".join(f"{_clean(t.name)} at {_clean(t.price)}" for t in m.priced_tiers[:3])
        items.append(_item(f"Published pricing: {tiers}.", _collect(list(t.evidence) for t in m.priced_tiers[:3]) or m.identity_evidence()))
    return items


def _value_and_proof(m: _Material) -> list[dict]:
    items = []
    unused_quotes = list(m.quotes)
    customers_cited = False  # a customer list proves use once; repeated, it proves nothing
    for fact in (m.value_props or m.features)[:4]:
        quote = _best_quote(fact.value, unused_quotes)
        evidence = m.ev(fact)
        if quote is not None:
            unused_quotes.remove(quote)
            proof = f"“{quote.text}”" + (f" — {quote.attribution}" if quote.attribution else "")
            evidence += list(quote.evidence)
        elif m.customers and not customers_cited:
            customers_cited = True
            names = [_clean(c.value) for c in m.customers[:4]]
            proof = f"Customers named on the site: {_join(names)}."
            evidence += _collect(m.ev(c) for c in m.customers[:4])
        else:
            proof = "No proof published on the site yet: add a customer quote or a measured result before leaning on this claim."
        items.append({"value": _sentence(fact.value), "proof": proof, "evidence": _evidence_json(evidence)})
    return items


def _best_fit(m: _Material) -> list[dict]:
    items = []
    segment = _segment(m)
    if segment:
        items.append(_item(segment, m.icp_evidence(m.icp.industries, m.icp.company_sizes, m.icp.roles)))
    if m.customers:
        names = [_clean(c.value) for c in m.customers[:5]]
        items.append(_item(f"Companies like {_join(names)}, which the site names as customers.",
                           _collect(m.ev(c) for c in m.customers[:5])))
    if m.integrations:
        names = [_clean(f.value) for f in m.integrations[:3]]
        items.append(_item(f"Teams already running {_join(names, 'or')}, which {m.name} connects to.",
                           _collect(m.ev(f) for f in m.integrations[:3])))
    if m.icp.buying_triggers.values:
        triggers = "; ".join(_lower_first(t) for t in m.icp.buying_triggers.values[:3])
        items.append(_item(f"Buying moments to watch for: {triggers}.", m.icp_evidence(m.icp.buying_triggers)))
    if m.icp.exclusions.values:
        items.append(_item(f"Not a fit: {_join([_lower_first(x) for x in m.icp.exclusions.values[:3]])}.",
                           m.icp_evidence(m.icp.exclusions)))
    return items


def _segment(m: _Material) -> str:
    industries = _join(m.industries[:3])
    sizes = _join(m.icp.company_sizes.values[:2], "or")
    who = f"{industries} companies" if industries else "Companies"
    if sizes:
        who += f" with {sizes}"
    if m.roles:
        roles = _join([_people(r) for r in m.roles[:3]])
        return f"{who}. Buyers: {roles}."
    if industries or sizes:
        return f"{who}."
    return ""


def _category_item(m: _Material) -> dict:
    if m.category is not None:
        phrase, fact = m.category
        return _item(f"{_sentence_case(phrase)}: the category {m.name} names for itself.", m.ev(fact))
    statement = m.tagline or m.description or (m.value_props[0] if m.value_props else m.features[0])
    return _item(
        f"Not named on the site. The closest statement is {_quoted(statement.value)}; choose a category before launch.",
        m.ev(statement),
    )


TRENDS = [
    (re.compile(r"\bAI\b|artificial intelligence|machine learning|\bLLMs?\b|\bGPT", re.I), "AI-assisted work"),
    (re.compile(r"\bautomat\w+", re.I), "Automation of repetitive work"),
    (re.compile(r"\b(?:remote|hybrid|distributed) (?:teams?|work|workforce)", re.I), "Remote and distributed teams"),
    (re.compile(r"\b(?:SOC ?2|GDPR|HIPAA|ISO ?27001|compliance|regulat\w+)\b", re.I), "Rising security and compliance expectations"),
    (re.compile(r"\breal[- ]time\b", re.I), "Real-time visibility instead of periodic reports"),
    (re.compile(r"\b(?:all-in-one|one place|single source of truth|consolidat\w+)\b", re.I), "Consolidation of tools"),
    (re.compile(r"\b(?:self-serve|product-led|no sales call)\b", re.I), "Self-serve buying"),
    (re.compile(r"\b(?:privacy|data protection)\b", re.I), "Data privacy"),
]


def _trends(m: _Material) -> list[dict]:
    items = []
    for pattern, label in TRENDS:
        fact = next((f for f in m.copy_facts() if pattern.search(f.value)), None)
        if fact is not None:
            items.append(_item(f"{label}: {m.name}'s copy leans on it ({_quoted(fact.value)}).", m.ev(fact)))
    return items[:4]


def _pillars(m: _Material) -> list[dict]:
    pillars = []
    used: list[Fact] = []
    audience = m.audience()
    for fact in (m.value_props or m.features)[:3]:
        used.append(fact)
        support = m.supporting(fact.value, exclude=[*used, *m.value_props])
        parts = [_sentence(fact.value) if not audience else _lower_first(_sentence(fact.value))]
        evidence = m.ev(fact)
        if support is not None:
            used.append(support)
            parts.append(_sentence(support.value))
            evidence += m.ev(support)
        if audience:
            parts.insert(0, f"For {audience}:")
        pillars.append({"title": _title(fact.value), "message": " ".join(parts), "evidence": _evidence_json(evidence)})
    return pillars


def _pitch(m: _Material) -> dict:
    evidence: list[Evidence] = []
    audience = m.audience()
    opening = f"For {audience}" if audience else ""
    if opening and m.pains:
        opening += f" dealing with {_lower_first(m.pains[0])}"
        evidence += list(m.icp.pains.evidence)
    if opening:
        evidence += list(m.icp.roles.evidence) + list(m.icp.industries.evidence)
    if m.category is not None:
        what = f"{m.name} is {_article(m.category[0])} {m.category[0]}"
        evidence += m.ev(m.category[1])
    else:
        what = m.name
    benefit_fact = (m.value_props or m.features or [m.tagline or m.description])[0]
    evidence += m.ev(benefit_fact)
    if _first_word(benefit_fact.value).lower() == _first_word(m.name).lower():
        # Already a sentence about the product ("Relaypoint joins your CRM…"): use it as is.
        sentence = _strip_end(_clean(benefit_fact.value))
    else:
        benefit = _benefit_clause(benefit_fact.value)
        sentence = f"{what} that {benefit}" if m.category is not None else f"{what} {benefit}"
    pitch = f"{opening}, {sentence}." if opening else f"{_sentence_case(sentence)}."
    if m.features and benefit_fact not in m.features:
        pitch += f" It comes with {_lower_first(_strip_end(m.features[0].value))}."
        evidence += m.ev(m.features[0])
    if m.customers:
        pitch += f" Customers named on the site include {_join([_clean(c.value) for c in m.customers[:3]])}."
        evidence += _collect(m.ev(c) for c in m.customers[:3])
    return _item(pitch, evidence or m.identity_evidence())


def _benefit_clause(text: str) -> str:
    """ "Close your books in days" → "helps you close your books in days"."""
    clause = _lower_first(_strip_end(text))
    first = clause.split(" ", 1)[0].lower()
    # An imperative ("Close your books") reads as a benefit after "helps you"; a noun phrase
    # ("Automated reconciliation", "The fastest close") after "gives you".
    if first in {"the", "a", "an", "one", "all", "every", "your", "our"} or first.endswith(("ing", "ed", "s", "ion")):
        return f"gives you {clause}"
    return f"helps you {clause}"


_CATEGORY_NOUNS = r"(?:platform|software|tool|app|suite|system|solution|api|service|marketplace|crm|erp|assistant|workspace|engine|network|hub)"
_CATEGORY_PATTERNS = [
    re.compile(rf"\bis\s+(?:an?|the)\s+((?:[\w-]+\s){{0,4}}{_CATEGORY_NOUNS})\b", re.I),
    re.compile(rf"^(?:an?|the)\s+((?:[\w-]+\s){{0,4}}{_CATEGORY_NOUNS})\b", re.I),
    re.compile(rf"\b(?:an?|the)\s+((?:[\w-]+\s){{0,3}}{_CATEGORY_NOUNS})\s+(?:for|that|built)\b", re.I),
]
_CATEGORY_FILLER = re.compile(r"^(?:best|leading|only|first|modern|simple|easiest|#1|world's|all-in-one|new)\s+", re.I)


def _market_category(m: _Material) -> tuple[str, Fact] | None:
    candidates = [f for f in (m.description, m.tagline) if f]
    org_description = m.facts.organization.get("description")
    if isinstance(org_description, str) and org_description.strip():
        candidates.append(Fact(value=org_description, evidence=(Evidence(url=m.facts.url, snippet=org_description[:300]),)))
    for fact in candidates:
        for pattern in _CATEGORY_PATTERNS:
            match = pattern.search(fact.value)
            if match:
                phrase = match.group(1).strip()
                while _CATEGORY_FILLER.match(phrase):
                    phrase = _CATEGORY_FILLER.sub("", phrase, count=1)
                return _lower_first(phrase), fact
    return None


# --- Email pack ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    subject: str
    variants: list[str]
    body_paragraphs: list[str]
    call_to_action: str
    evidence: list[Evidence]


def _email_pack(m: _Material, out: _Stream) -> dict:
    lead_fact = (m.value_props or m.features or [f for f in (m.description, m.tagline) if f] or [None])[0]
    if lead_fact is None:
        raise PartFailed("Too little to write emails from: the site states no value propositions, features or description.")
    drafts = [_email_intro(m, lead_fact), _email_value(m, lead_fact), _email_how(m, lead_fact)]
    proof = _email_proof(m)
    if proof is not None:
        drafts.append(proof)
    pricing = _email_pricing(m)
    if pricing is not None:
        drafts.append(pricing)
    drafts.append(_email_breakup(m, lead_fact))

    allowed_words = [m.name, *(c.value for c in m.customers), *(i.value for i in m.integrations)]
    emails = []
    for position, draft in enumerate(drafts, start=1):
        out.heading(f"Email {position} (day {DAY_OFFSETS[position - 1]}): {draft.subject}")
        body = "\n\n".join(draft.body_paragraphs)
        for paragraph in draft.body_paragraphs:
            out.line(paragraph, bullet=False)
        emails.append({
            "position": position,
            "day_offset": DAY_OFFSETS[position - 1],
            "subject": draft.subject,
            "subject_variants": draft.variants[:3],
            "preview_text": _preview(draft.body_paragraphs),
            "body": body,
            "call_to_action": draft.call_to_action,
            "evidence": _evidence_json(draft.evidence or m.identity_evidence()),
            "lint": lint_email(subject=draft.subject, body=body, call_to_action=draft.call_to_action,
                               allowed_words=_words(allowed_words)),
        })
    return {"sequence_name": f"{m.name}: {_sequence_audience(m)}", "emails": emails, "tokens": tokens_used(emails)}


def _sequence_audience(m: _Material) -> str:
    audience = m.audience()
    return f"outreach to {audience}" if audience else "cold outreach"


def _greeting() -> str:
    return "Hi {{first_name}},"


def _sign_off() -> str:
    return "{{sender_name}}"


def _email_intro(m: _Material, lead: Fact) -> _Draft:
    pain = m.pains[0] if m.pains else None
    subject = _fit_subject(f"{_strip_end(pain)} at {{{{company}}}}" if pain else f"{m.name} for {{{{company}}}}")
    variants = [_fit_subject(f"A question about {_lower_first(_strip_end(pain))}")] if pain else []
    variants.append(_fit_subject(f"{{{{company}}}} and {m.name}"))
    industry = m.industries[0] if m.industries else None
    opener = (
        f"I'm writing because {{{{company}}}} looks like the kind of {industry} team {m.name} was built for."
        if industry else f"I'm writing because {{{{company}}}} looks like a team {m.name} was built for."
    )
    if pain:
        opener += f" If {_lower_first(_strip_end(pain))} lands on your desk as {{{{role}}}}, this is for you."
    what = f"{m.name} is {_article(m.category[0])} {m.category[0]}." if m.category else ""
    lead_sentence = f"In one line: {_lower_first(_sentence(lead.value))}"
    support = m.supporting(lead.value, exclude=[lead])
    middle = " ".join(x for x in [what, lead_sentence, _sentence(support.value) if support else ""] if x)
    cta = "Would a short call to see whether it fits {{company}} be useful?"
    evidence = m.ev(lead) + (m.ev(m.category[1]) if m.category else []) + (m.ev(support) if support else [])
    return _Draft(subject, variants, [_greeting(), opener, middle, cta, _sign_off()], cta, evidence)


def _email_value(m: _Material, lead: Fact) -> _Draft:
    facts = m.value_props[1:] or m.value_props or m.features
    focus = facts[0] if facts else lead
    subject = _fit_subject(_strip_end(focus.value))
    variants = [_fit_subject(f"{_title(focus.value)} at {{{{company}}}}")]
    paragraphs = [_greeting(), f"A follow-up on one thing {m.name} changes day to day. {_sentence(focus.value)}"]
    evidence = m.ev(focus)
    detail = m.supporting(focus.value, exclude=[focus, lead, *m.value_props])
    if detail is not None:
        paragraphs.append(_sentence(detail.value))
        evidence += m.ev(detail)
    if m.customers:
        paragraphs.append(f"It's the same setup {_join([_clean(c.value) for c in m.customers[:3]])} use.")
        evidence += _collect(m.ev(c) for c in m.customers[:3])
    cta = "Open to a quick look at how this would work at {{company}}?"
    paragraphs += [cta, _sign_off()]
    return _Draft(subject, variants, paragraphs, cta, evidence)


def _email_how(m: _Material, lead: Fact) -> _Draft:
    paragraphs = [_greeting()]
    evidence: list[Evidence] = []
    if m.integrations:
        names = _join([_clean(i.value) for i in m.integrations[:4]])
        subject = _fit_subject(f"How {m.name} fits your stack")
        variants = [_fit_subject(f"{m.name} works with {names}")]
        paragraphs.append(f"A practical note on how {m.name} fits in: it connects to {names}, so the tools {{{{company}}}} already runs stay where they are.")
        evidence += _collect(m.ev(i) for i in m.integrations[:4])
    else:
        subject = _fit_subject(f"How {m.name} works")
        variants = [_fit_subject(f"What {m.name} does, briefly")]
        paragraphs.append(f"A practical note on what {m.name} does day to day.")
    # Features the value email did not already use, so the two emails don't repeat each other.
    value_focus = (m.value_props[1:] or m.value_props or m.features or [lead])[0]
    shown = m.supporting(value_focus.value, exclude=[value_focus, lead, *m.value_props])
    steps = [f for f in m.features if f is not lead and f is not shown][:3] or [lead]
    paragraphs.append(" ".join(_sentence(f.value) for f in steps))
    evidence += _collect(m.ev(f) for f in steps)
    cta = "Want me to send a short walkthrough?"
    paragraphs += [cta, _sign_off()]
    return _Draft(subject, variants, paragraphs, cta, evidence)


def _email_proof(m: _Material) -> _Draft | None:
    if m.quotes:
        quote = m.quotes[0]
        who = quote.attribution.split(",")[0] if quote.attribution else "A customer"
        subject = _fit_subject(f"What {who} said about {m.name}" if quote.attribution else f"A customer on {m.name}")
        variants = [_fit_subject(f"In a customer's words: {m.name}")]
        said = f"“{quote.text}”" + (f" — {quote.attribution}" if quote.attribution else "")
        paragraphs = [_greeting(), f"Rather than another pitch, here is how a customer puts it on the {m.name} site:", said]
        evidence = list(quote.evidence)
    elif m.customers:
        names = _join([_clean(c.value) for c in m.customers[:4]])
        subject = _fit_subject(f"Teams like {names}")
        variants = [_fit_subject(f"Who uses {m.name}")]
        paragraphs = [_greeting(), f"A quick note on who already uses {m.name}: the site names {names} among its customers."]
        evidence = _collect(m.ev(c) for c in m.customers[:4])
    else:
        return None
    paragraphs.append("If {{company}} is working on the same problem, the comparison may be useful.")
    cta = "Worth a conversation?"
    paragraphs += [cta, _sign_off()]
    return _Draft(subject, variants, paragraphs, cta, evidence)


def _email_pricing(m: _Material) -> _Draft | None:
    if not m.priced_tiers:
        return None
    first = m.priced_tiers[0]
    subject = _fit_subject(f"{m.name} pricing, in short")
    variants = [_fit_subject(f"What {m.name} costs")]
    tiers = "; ".join(f"{_clean(t.name)} at {_clean(t.price)}" for t in m.priced_tiers[:3])
    paragraphs = [
        _greeting(),
        f"Pricing tends to come up early, so here it is as published: {tiers}.",
    ]
    if first.features:
        paragraphs.append(f"{_clean(first.name)} already includes {_join([_lower_first(_strip_end(f)) for f in first.features[:3]])}.")
    cta = "If you tell me roughly how {{company}} is set up, I'll suggest the plan that fits. Should I?"
    paragraphs += [cta, _sign_off()]
    evidence = _collect(list(t.evidence) for t in m.priced_tiers[:3])
    return _Draft(subject, variants, paragraphs, cta, evidence)


def _email_breakup(m: _Material, lead: Fact) -> _Draft:
    pain = m.pains[0] if m.pains else None
    subject = "Should I close the loop?"
    variants = [_fit_subject(f"Last note about {m.name}")]
    topic = _lower_first(_strip_end(pain)) if pain else f"{m.name}"
    paragraphs = [
        _greeting(),
        f"I haven't heard back, so I'll assume {topic} isn't a priority at {{{{company}}}} right now.",
        f"For the record, the short version: {_lower_first(_sentence(lead.value))}",
        "If that changes, just reply to this email. And if you'd rather not hear from me again, say so and I'll stop writing.",
        _sign_off(),
    ]
    cta = "If that changes, just reply to this email."
    return _Draft(subject, variants, paragraphs, cta, m.ev(lead))


def _preview(paragraphs: list[str]) -> str:
    text = paragraphs[1] if len(paragraphs) > 1 else paragraphs[0]
    first = _sentences(text)[0]
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "…"


def _fit_subject(text: str) -> str:
    """Keep a subject within what an inbox shows (60 characters, 9 words), cutting at a word."""
    text = _strip_end(_clean(text))
    words = text.split()[:9]
    while len(" ".join(words)) > 60 and len(words) > 1:
        words.pop()
    while len(words) > 1 and words[-1].lower().strip(",;:—-") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:—-")


_DANGLING = frozenset(("at", "for", "and", "with", "to", "of", "the", "a", "an", "in", "on", "or", "your", ""))


def _words(names: Iterable[str]) -> list[str]:
    return [word for name in names for word in re.findall(r"[A-Za-z0-9]+", name)]


# --- Enrichment ----------------------------------------------------------------------------------

APOLLO = "Apollo organization enrichment"
CLEARBIT = "Clearbit company API"
LINKEDIN = "LinkedIn company page"
STACK_LOOKUP = "BuiltWith or Wappalyzer lookup of the account's site"


def _enrichment(m: _Material, out: _Stream) -> dict:
    if not (any(getattr(m.icp, name).values for name in ICP_FIELDS) or m.integrations or m.facts.technologies):
        raise PartFailed("Too little to build an enrichment blueprint: no ICP fields, integrations or technologies.")
    points = _firmographic(m) + _technographic(m) + _personalization(m)
    rules = _rules(m)
    out.heading("Data points")
    for point in points:
        out.line(f"{point['name']} ({point['category']}, {point['priority']} priority): {point['why']}")
    out.heading("Qualification rules")
    for rule in rules:
        out.line(f"{rule['rule']}: {rule['reason']}")
    if not rules:
        out.line("No rule can be derived yet: the ICP names no industries, sizes, regions or required tools.", bullet=False)
    evidence = _collect([
        list(m.icp.industries.evidence), list(m.icp.company_sizes.evidence), list(m.icp.regions.evidence),
        list(m.icp.roles.evidence), *(m.ev(i) for i in m.integrations[:6]),
        *(list(t.evidence) for t in m.facts.technologies[:6]),
    ], limit=20) or m.identity_evidence()
    return {
        "data_points": points,
        "qualification_rules": rules,
        "live_enrichment": {"domain": m.facts.domain, "sources": []},
        "evidence": _evidence_json(evidence, limit=20),
    }


def _point(name, category, why, priority, sources, method) -> dict:
    return {"name": name, "category": category, "why": why, "priority": priority, "sources": sources,
            "collection_method": method}


def _firmographic(m: _Material) -> list[dict]:
    points = []
    by_domain = "Look up by the account's domain; confirm on the company page when the sources disagree."
    if m.industries:
        points.append(_point("Industry", "firmographic",
                             f"The ICP targets {_join(m.industries[:4])}; accounts outside them are deprioritised.",
                             "high", [APOLLO, CLEARBIT, LINKEDIN], by_domain))
    if m.icp.company_sizes.values:
        points.append(_point("Employee count", "firmographic",
                             f"The ICP sizes are {_join(m.icp.company_sizes.values[:3])}; headcount is the quickest fit check.",
                             "high", [APOLLO, CLEARBIT, LINKEDIN], by_domain))
    if m.icp.regions.values:
        points.append(_point("Headquarters country", "firmographic",
                             f"The ICP covers {_join(m.icp.regions.values[:4])}; it decides language, time zone and whether the team can sell there.",
                             "medium", [APOLLO, CLEARBIT], by_domain))
    triggers = " ".join(m.icp.buying_triggers.values).lower()
    if "funding" in triggers:
        points.append(_point("Latest funding round and date", "firmographic",
                             "A recent round is one of the ICP's buying triggers: budgets and new tooling follow it.",
                             "medium", [APOLLO, "Crunchbase"], "Look up by domain; refresh monthly, since the signal fades."))
    return points


def _technographic(m: _Material) -> list[dict]:
    points = []
    for index, integration in enumerate(m.integrations[:6]):
        name = _clean(integration.value)
        points.append(_point(f"Uses {name}", "technographic",
                             f"{m.name} integrates with {name} (listed on the site): accounts already on it can adopt without changing tools.",
                             "high" if index < 3 else "medium", [APOLLO, STACK_LOOKUP, "Job posts naming the tool"],
                             "Match the account's technology list by name; confirm in discovery."))
    integration_names = {_clean(i.value).lower() for i in m.integrations}
    for tech in m.facts.technologies[:6]:
        if tech.name.lower() in integration_names:
            continue
        points.append(_point(f"Uses {tech.name} ({tech.category.replace('_', ' ')})", "technographic",
                             f"{m.name}'s own site runs {tech.name}; prospects on the same tool share its workflow, which makes lookalike targeting and examples concrete.",
                             "low", [STACK_LOOKUP, APOLLO], "Detect from the account's website HTML or the technology list of the enrichment provider."))
    return points


def _personalization(m: _Material) -> list[dict]:
    points = [_point("Contact first name and role", "personalization",
                     "The emails address {{first_name}} and mention {{role}}; a wrong role makes the pitch land on the wrong desk.",
                     "high", ["Apollo people search", "The lead record"], "Take from the lead record; fill gaps with a people match by name and domain.")]
    if m.roles:
        points.append(_point("Buying-committee titles", "personalization",
                             f"The ICP's roles are {_join(m.roles[:4])}; reaching them rather than a generic inbox decides whether the sequence gets read.",
                             "high", ["Apollo people search", LINKEDIN], "Search people at the account by title keywords."))
    triggers = " ".join(m.icp.buying_triggers.values).lower()
    if "hiring" in triggers:
        points.append(_point("Open roles in the target teams", "personalization",
                             "Hiring is one of the ICP's buying triggers; a job post is also a concrete opener for the first email.",
                             "medium", ["The account's careers page", LINKEDIN], "Check the careers page or job boards weekly."))
    if m.pains:
        points.append(_point("Signals of the ICP's pains", "personalization",
                             f"Mentions of {_join([_lower_first(p) for p in m.pains[:2]])} in the account's posts or job ads make the opener specific.",
                             "low", ["The account's blog and job posts", LINKEDIN], "Read before the first email; note one line for the opener."))
    if m.customers:
        points.append(_point("Similarity to named customers", "personalization",
                             f"Accounts resembling {_join([_clean(c.value) for c in m.customers[:3]])} can be shown a familiar example.",
                             "low", [APOLLO, LINKEDIN], "Compare industry and size with the named customers."))
    return points


def _rules(m: _Material) -> list[dict]:
    rules = []
    if m.industries:
        rules.append({"rule": f"Industry is one of {_join(m.industries[:6], 'or')}", "field": "industry", "operator": "in",
                      "value": m.industries[:6], "reason": "The ICP's industries."})
    lows, highs = zip(*(size_bounds(v) for v in m.icp.company_sizes.values), strict=False) if m.icp.company_sizes.values else ((), ())
    known_lows = [v for v in lows if v is not None]
    if known_lows:
        rules.append({"rule": f"At least {min(known_lows)} employees", "field": "employee_count", "operator": "gte",
                      "value": min(known_lows), "reason": f"The smallest ICP size: {_join(m.icp.company_sizes.values[:3])}."})
    if highs and all(v is not None for v in highs):
        rules.append({"rule": f"At most {max(highs)} employees", "field": "employee_count", "operator": "lte",
                      "value": max(highs), "reason": f"The largest ICP size: {_join(m.icp.company_sizes.values[:3])}."})
    if m.icp.regions.values:
        rules.append({"rule": f"Headquartered in {_join(m.icp.regions.values[:6], 'or')}", "field": "country", "operator": "in",
                      "value": list(m.icp.regions.values[:6]), "reason": "The ICP's regions."})
    if m.integrations:
        names = [_clean(i.value) for i in m.integrations[:6]]
        rules.append({"rule": f"Uses {_join(names, 'or')}", "field": "technologies", "operator": "in", "value": names,
                      "reason": f"{m.name} integrates with these; an account on one adopts faster."})
    integration_names = {_clean(i.value).lower() for i in m.integrations}
    for tech in m.facts.technologies:
        if tech.name.lower() in integration_names:
            rules.append({"rule": f"Runs {tech.name}", "field": f"technologies.{_slug(tech.name)}", "operator": "exists",
                          "value": True, "reason": f"{m.name} integrates with {tech.name} and runs it on its own site."})
    return rules


# --- Small text helpers --------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _strip_end(text: str) -> str:
    return _clean(text).rstrip(" .!?;:,")


def _sentence(text: str) -> str:
    text = _clean(text)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else f"{text}."


def _sentence_case(text: str) -> str:
    text = _clean(text)
    return text[:1].upper() + text[1:]


# Names the site uses (its own, customers', integrations'): their capital letters stay when a
# sentence is folded into another ("Relaypoint joins…" must not become "relaypoint joins…").
_PROPER_NOUNS: ContextVar[frozenset[str]] = ContextVar("proper_nouns", default=frozenset())


def _proper_nouns(facts: SiteFacts) -> frozenset[str]:
    names = [tech.name for tech in facts.technologies]
    names += [fact.value for fact in (*facts.customers, *facts.integrations)]
    if facts.name is not None:
        names.append(facts.name.value)
    words = {_first_word(name).lower() for name in names if _first_word(name)}
    if facts.domain:
        words.add(facts.domain.split(".")[0].lower())
    return frozenset(words)


def _first_word(text: str) -> str:
    return _clean(text).split(" ", 1)[0].strip(",.:;!?\"'“”")


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or acronym (CFO, HubSpot,
    or a name the site uses)."""
    text = _clean(text)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or first.isupper()):
        return text
    if _first_word(text).lower() in _PROPER_NOUNS.get():
        return text
    return text[:1].lower() + text[1:]


def _join(items: Iterable[str], conjunction: str = "and") -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _people(role: str) -> str:
    """A role as the people holding it: "CFO" → "CFOs", "Finance teams" → "finance teams"."""
    role = _lower_first(role)
    return f"{role}s" if re.fullmatch(r"[A-Z]{2,5}", role) else role


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _quoted(text: str) -> str:
    text = _strip_end(text)
    if len(text) > 140:
        text = text[:137].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def _title(text: str) -> str:
    text = _strip_end(text)
    clause = re.split(r"[,;:—–]| - ", text)[0].strip()
    words = clause.split()
    return " ".join(words[:7]) if words else text[:60]


def _sentences(text: str) -> list[str]:
    parts = [p for p in re.split(r"(?<=[.!?”])\s+(?=[A-Z“\"{])", _clean(text)) if p]
    return parts or [text]


def _keywords(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3 and w not in _STOPWORDS}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _unique_facts(facts: Iterable[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for fact in facts:
        key = _clean(fact.value).casefold()
        if key:
            seen.setdefault(key, fact)
    return list(seen.values())


def _quote(fact: Fact, url: str) -> _Quote:
    text = _clean(fact.value)
    attribution = ""
    match = re.match(r"^[“\"]?(.+?)[”\"]?\s*[—–-]{1,2}\s*([^—–]{2,120})$", text)
    if match:
        text, attribution = match.group(1).strip(), match.group(2).strip()
    return _Quote(text=text.strip("“”\" "), attribution=attribution,
                  evidence=fact.evidence or (Evidence(url=url, snippet=fact.value[:300]),))


def _best_quote(phrase: str, quotes: list[_Quote]) -> _Quote | None:
    wanted = _keywords(phrase)
    scored = [(len(wanted & _keywords(q.text)), index) for index, q in enumerate(quotes)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None  # an unrelated quote is not proof of this claim
    return quotes[max(scored, key=lambda s: (s[0], -s[1]))[1]]


def _collect(groups: Iterable[Iterable[Evidence]], limit: int = MAX_EVIDENCE * 3) -> list[Evidence]:
    seen: list[Evidence] = []
    for group in groups:
        for evidence in group:
            if evidence not in seen:
                seen.append(evidence)
    return seen[:limit]


def _evidence_json(evidence: Iterable[Evidence], limit: int = MAX_EVIDENCE) -> list[dict]:
    unique = _collect([evidence], limit=limit)
    return [{"url": e.url, "snippet": _clean(e.snippet)[:600]} for e in unique]
