"""Lint for cold emails: spam triggers, length, subject, calls to action and tokens.

The lint informs, it does not block: every email in a pack carries its result, the page
shows the warnings next to the copy, and a person decides. The thresholds are the common
cold-email guidance: 40-150 words in the body (shorter reads as a template, longer is not
read at all), subjects of at most 60 characters and 9 words (what an inbox shows), one ask
per email (two asks get neither answered).

No opt-out check: an unsubscribe line and the sender's postal address are the sending
platform's job, appended to every message at send time (CAN-SPAM and PECR need them in the
message that is sent, not in the copy a person edits), so the copy does not carry them and
the lint does not ask for them. The template writer's last email still offers a human
"tell me and I'll stop" line, which is good manners rather than compliance.
"""

import re
from collections.abc import Iterable

from generators.schemas import KNOWN_TOKENS, TOKEN_PATTERN

MAX_WORDS = 150
MIN_WORDS = 40
MAX_SUBJECT_CHARS = 60
MAX_SUBJECT_WORDS = 9

# Phrases that spam filters and wary readers both score against. Curated from the usual
# filter rule sets (SpamAssassin's body rules, the lists ESPs publish); lower case, matched
# on word boundaries.
SPAM_PHRASES = (
    "100% free", "100% guaranteed", "100% satisfied", "act now", "action required", "all new",
    "apply now", "as seen on", "buy now", "call now", "cancel at any time", "cash bonus",
    "cheap", "click below", "click here", "congratulations", "dear friend", "double your",
    "earn money", "extra cash", "free access", "free gift", "free money", "free trial",
    "get paid", "guaranteed", "increase sales", "limited time", "lowest price", "make money",
    "miracle", "no catch", "no cost", "no obligation", "no strings attached", "once in a lifetime",
    "order now", "risk-free", "risk free", "special promotion", "this is not spam", "urgent",
    "winner", "you have been selected", "you've been selected",
)
_SPAM_PATTERNS = [(phrase, re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)) for phrase in SPAM_PHRASES]
_SYMBOL_TRIGGERS = (("!!!", re.compile(r"!{3,}")), ("$$$", re.compile(r"\${3,}")))
_FAKE_REPLY = re.compile(r"^\s*(re|fw|fwd)\s*:", re.I)

# Upper-case words that are names, not shouting. Three-letter words are never flagged
# (CRM, API, CFO, ...); longer ones only when they are not a known acronym.
ACRONYMS = frozenset({
    "ACME", "AICPA", "ASAP", "AWS", "CCPA", "DACH", "EMEA", "FINRA", "GAAP", "GDPR", "HIPAA",
    "HTML", "HTTP", "HTTPS", "IFRS", "JSON", "LATAM", "NASA", "NYSE", "OKRS", "PCI", "RFID",
    "SAAS", "SAML", "SCIM", "SMBS", "SOC2", "UTC", "APAC", "ANZ", "USD", "EUR", "GBP", "REST",
    "SDKS", "APIS", "KPIS", "CRMS", "ERPS", "ISO", "NIST", "FEDRAMP", "SOX", "SQL", "CSV",
})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")
_PLACEHOLDERS = (
    re.compile(r"(?<!\{)\{\s*[A-Za-z_ ]+\s*\}(?!\})"),           # {first_name}
    re.compile(r"\[\s*(?:first|last|company|your|their|name)[^\]]*\]", re.I),  # [First Name]
    re.compile(r"<\s*(?:first|last|company|your|name)[^>]*>", re.I),          # <first name>
    re.compile(r"\{\{(?![^{}]*\}\})"),                           # {{ without a closing }}
)
# What an ask looks like in a cold email. Each sentence matching one counts as one CTA.
_CTA = re.compile(
    r"\b(reply|book|schedule|grab a time|calendar|worth a (?:quick )?(?:call|chat|look)|"
    r"open to|are you free|hop on|set up a (?:call|time|demo)|demo|sign up|start (?:a|your) trial|"
    r"let me know|interested\?|should i|who(?:'s| is) the (?:right )?person)\b|https?://",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def lint_email(
    *, subject: str, body: str, call_to_action: str = "", allowed_words: Iterable[str] = (),
) -> dict:
    """Lint one email. Returns {"spam_triggers", "word_count", "subject_length", "warnings"}.

    `allowed_words` are upper-case names that are not shouting (the product's and the
    customers' names as the site writes them).
    """
    allowed = {word.upper() for word in allowed_words} | ACRONYMS
    triggers = _spam_triggers(f"{subject}\n{body}", allowed)
    if _FAKE_REPLY.match(subject):
        triggers.append("fake reply/forward prefix in the subject")

    word_count = len(_WORD.findall(TOKEN_PATTERN.sub("name", body)))
    subject_words = len(subject.split())
    warnings: list[str] = []
    if word_count > MAX_WORDS:
        warnings.append(f"Body has {word_count} words; cold emails over {MAX_WORDS} words are rarely read.")
    if word_count < MIN_WORDS:
        warnings.append(f"Body has {word_count} words; under {MIN_WORDS} reads as a template with nothing to say.")
    if len(subject) > MAX_SUBJECT_CHARS:
        warnings.append(f"Subject has {len(subject)} characters; inboxes cut it after about {MAX_SUBJECT_CHARS}.")
    if subject_words > MAX_SUBJECT_WORDS:
        warnings.append(f"Subject has {subject_words} words; keep it to {MAX_SUBJECT_WORDS} or fewer.")
    asks = _calls_to_action(body)
    if len(asks) > 1:
        warnings.append(f"{len(asks)} calls to action ({'; '.join(asks)}); keep one.")
    if call_to_action and _squash(call_to_action) not in _squash(body):
        warnings.append("The call to action does not appear in the body.")
    warnings.extend(_token_warnings(f"{subject}\n{body}"))
    if triggers:
        warnings.append(f"Spam trigger(s): {', '.join(triggers)}.")
    return {"spam_triggers": triggers, "word_count": word_count, "subject_length": len(subject), "warnings": warnings}


def _spam_triggers(text: str, allowed: set[str]) -> list[str]:
    found = [phrase for phrase, pattern in _SPAM_PATTERNS if pattern.search(text)]
    found += [symbol for symbol, pattern in _SYMBOL_TRIGGERS if pattern.search(text)]
    shouting = sorted({
        word for word in _WORD.findall(TOKEN_PATTERN.sub("", text))
        if len(word) >= 4 and word.isupper() and word.upper() not in allowed
    })
    found += [f"all caps: {word}" for word in shouting]
    return found


def _calls_to_action(body: str) -> list[str]:
    text = TOKEN_PATTERN.sub("name", body)
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if _CTA.search(sentence)]


def _token_warnings(text: str) -> list[str]:
    warnings = [
        f"Unknown token {{{{{name}}}}}: a sender cannot fill it in (known: {', '.join(KNOWN_TOKENS)})."
        for name in dict.fromkeys(match.group(1) for match in TOKEN_PATTERN.finditer(text))
        if name not in KNOWN_TOKENS
    ]
    remainder = TOKEN_PATTERN.sub("", text)
    for pattern in _PLACEHOLDERS:
        match = pattern.search(remainder)
        if match:
            warnings.append(f"Unresolved placeholder {match.group(0).strip()!r}: use {{{{token}}}} syntax or real text.")
    return warnings


def _squash(text: str) -> str:
    return " ".join(TOKEN_PATTERN.sub("name", text).lower().split())
