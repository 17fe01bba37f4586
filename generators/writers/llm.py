"""The LLM writer: any OpenAI-compatible chat-completions endpoint, streamed.

The model gets the part's JSON Schema (derived from the same serializers the template writer
is validated against), the rules (use only the facts given, cite the pages they came from),
and the facts and ICP as JSON. Its answer streams back as server-sent events; each content
chunk is forwarded as a delta while the JSON accumulates. The result must validate and may
only cite pages that were actually read. If it does not, the model gets one chance to
correct it with the errors in hand; a second failure fails the part cleanly (PartFailed),
as do HTTP errors, timeouts and refused destinations.

The request goes through core.outbound, so the SSRF guard applies to the LLM host like to
any other: a model server on a private network must be named in LAUNCHDECK_FETCH_ALLOW_HOSTS.
"""

import json
import logging
import re
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from rest_framework.exceptions import ValidationError

from core import outbound
from generators.lint import lint_email
from generators.schemas import part_json_schema, tokens_used, validate_part
from generators.types import ICP, PartFailed, SiteFacts
from generators.writers.base import DeltaSink

logger = logging.getLogger(__name__)

PROMPT_VERSION = "1"
MAX_ANSWER_CHARS = 200_000  # far beyond any valid part; stops a runaway stream
MAX_ERRORS_SENT_BACK = 30

# Fields the writer computes itself rather than trusting the model with.
COMPUTED_FIELDS = {"email_pack": ("emails.lint", "tokens"), "enrichment": ("live_enrichment",)}

PART_BRIEFS = {
    "positioning": (
        "Write a positioning canvas (April Dunford's method): competitive alternatives (what the ICP "
        "does today instead), unique attributes, value and proof, best-fit customers, market category, "
        "relevant trends, messaging pillars and an elevator pitch."
    ),
    "email_pack": (
        "Write a cold email sequence of 4 to 6 emails: positions 1..n, day_offset 0 for the first and "
        "increasing, a subject (at most 60 characters, 9 words) with 1-3 variants, preview text, a plain-"
        "text body of 40-150 words using personalisation tokens {{first_name}}, {{company}}, {{role}}, "
        "{{sender_name}} only, and exactly one call to action per email, which must appear in the body."
    ),
    "enrichment": (
        "Write an enrichment blueprint for qualifying leads: firmographic, technographic and "
        "personalization data points (why each matters for qualification, priority, recommended "
        "sources, collection method) and qualification rules derived from the ICP (operators: "
        "eq, in, gte, lte, contains, exists)."
    ),
}

RULES = """Rules:
- Use only the facts and the ICP given. Never invent customers, numbers, quotes or claims; name a
  customer, price or number only if it appears in the facts.
- Every item lists the evidence it rests on: {"url": ..., "snippet": ...} copied from the facts'
  evidence. Cite only URLs that appear in the facts.
- When the facts are thin, write fewer items rather than padding.
- Answer with one JSON object that validates against the schema, and nothing else."""


@dataclass
class LLMWriter:
    base_url: str
    api_key: str | None
    model: str
    timeout_seconds: float

    name = "llm"

    @property
    def version(self) -> str:
        # The model is part of the cache key: a different model is a different writer.
        return f"{PROMPT_VERSION}:{self.model}"

    @classmethod
    def from_settings(cls) -> "LLMWriter":
        return cls(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY,
            model=settings.LLM_MODEL,
            timeout_seconds=float(settings.LLM_TIMEOUT_SECONDS),
        )

    def write(self, part: str, *, facts: SiteFacts, icp: ICP, emit_delta: DeltaSink) -> dict:
        if part not in PART_BRIEFS:
            raise PartFailed(f"The llm writer does not write {part!r}.")
        messages = [
            {"role": "system", "content": _system_prompt(part)},
            {"role": "user", "content": _user_prompt(facts, icp)},
        ]
        answer = self._complete(messages, emit_delta)
        try:
            return _accept(part, answer, facts)
        except _Invalid as first:
            logger.info("LLM %s answer invalid (%d problems); asking for a repair", part, len(first.problems))
            emit_delta(f"\n\n[The answer did not validate ({len(first.problems)} problems); asking for a corrected one.]\n\n")
            messages += [
                {"role": "assistant", "content": answer},
                {"role": "user", "content": _repair_prompt(first.problems)},
            ]
            answer = self._complete(messages, emit_delta)
            try:
                return _accept(part, answer, facts)
            except _Invalid as second:
                raise PartFailed(
                    f"The model's {part} did not validate after one repair: {'; '.join(second.problems[:5])}"
                ) from None

    # --- The HTTP exchange -----------------------------------------------------------------

    def _complete(self, messages: list[dict], emit_delta: DeltaSink) -> str:
        """One streamed chat completion; returns the accumulated content."""
        url = f"{self.base_url.rstrip('/')}/chat/completions"
        headers = {"Accept": "text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "temperature": 0.2,
            "response_format": {"type": "json_object"},
        }
        timeout = httpx.Timeout(self.timeout_seconds, connect=min(self.timeout_seconds, 10.0))
        deadline = time.monotonic() + self.timeout_seconds
        started = time.monotonic()
        try:
            with outbound.client(timeout=timeout, headers=headers) as http, http.stream("POST", url, json=body) as response:
                if response.status_code != 200:
                    raise PartFailed(_http_error(response))
                content = _read_stream(response, emit_delta, deadline)
        except httpx.TimeoutException:
            raise PartFailed(f"The LLM endpoint did not answer within {self.timeout_seconds:g} seconds.") from None
        except outbound.OutboundRefused as exc:
            raise PartFailed(f"The LLM endpoint is not reachable from here: {exc}") from None
        except httpx.HTTPError as exc:
            raise PartFailed(f"The LLM endpoint failed: {type(exc).__name__}.") from None
        logger.info("LLM answered %d characters in %.0f ms (model %s)", len(content),
                    (time.monotonic() - started) * 1000, self.model)
        return content


def _read_stream(response: httpx.Response, emit_delta: DeltaSink, deadline: float) -> str:
    """Accumulate `choices[0].delta.content` from `data:` lines until `data: [DONE]`."""
    content: list[str] = []
    size = 0
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("stream exceeded its time budget")
        if not line.startswith("data:"):
            continue  # blank separators, comments (": keep-alive"), event names
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            chunk = json.loads(data)
        except json.JSONDecodeError:
            raise PartFailed("The LLM endpoint sent a malformed stream chunk.") from None
        if isinstance(chunk, dict) and chunk.get("error"):
            raise PartFailed(f"The LLM endpoint reported an error: {_error_message(chunk)}")
        for choice in (chunk.get("choices") or []) if isinstance(chunk, dict) else []:
            text = (choice.get("delta") or {}).get("content")
            if text:
                size += len(text)
                if size > MAX_ANSWER_CHARS:
                    raise PartFailed(f"The model's answer exceeded {MAX_ANSWER_CHARS} characters.")
                content.append(text)
                emit_delta(text)
    return "".join(content)


def _http_error(response: httpx.Response) -> str:
    try:
        raw = response.read()[:4000]
        message = _error_message(json.loads(raw))
    except (json.JSONDecodeError, UnicodeDecodeError, httpx.HTTPError):
        message = ""
    hint = {401: "check LLM_API_KEY", 403: "check LLM_API_KEY", 404: "check LLM_BASE_URL and LLM_MODEL",
            429: "rate limited; try again later"}.get(response.status_code)
    details = "; ".join(x for x in (message, hint) if x)
    return f"The LLM endpoint answered HTTP {response.status_code}" + (f": {details}." if details else ".")


def _error_message(payload) -> str:
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or "")[:300]
    return str(error or "")[:300]


# --- Prompts --------------------------------------------------------------------------------------


def _system_prompt(part: str) -> str:
    schema = part_json_schema(part, omit=COMPUTED_FIELDS.get(part, ()))
    return (
        "You write B2B go-to-market assets for Launchdeck from facts read on a company's website.\n"
        f"{PART_BRIEFS[part]}\n\n{RULES}\n\nJSON Schema of the answer:\n{json.dumps(schema, separators=(',', ':'))}"
    )


def _user_prompt(facts: SiteFacts, icp: ICP) -> str:
    payload = {"facts": facts.as_dict(), "icp": icp.as_dict()}
    payload["facts"].pop("pages", None)  # fetch bookkeeping, not content
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _repair_prompt(problems: list[str]) -> str:
    listed = "\n".join(f"- {problem}" for problem in problems[:MAX_ERRORS_SENT_BACK])
    return (
        "That answer is not valid. Problems:\n"
        f"{listed}\n"
        "Reply with the corrected JSON object only, following the schema and the rules."
    )


# --- Accepting an answer --------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _accept(part: str, answer: str, facts: SiteFacts) -> dict:
    data = _parse_json(answer)
    if part == "email_pack":
        _complete_email_pack(data)
    if part == "enrichment" and isinstance(data, dict):
        data["live_enrichment"] = {"domain": facts.domain, "sources": []}  # the orchestrator fills it
    try:
        result = validate_part(part, data)
    except ValidationError as exc:
        raise _Invalid([f"{path}: {' '.join(map(str, messages))}" for path, messages in exc.detail.items()]) from None
    uncited = _unknown_evidence_urls(result, facts)
    if uncited:
        raise _Invalid([f"{path}: {url} is not a page that was read; cite only URLs from the facts." for path, url in uncited])
    return result


def _parse_json(answer: str):
    text = answer.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.S)
    if fenced:
        text = fenced.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Invalid([f"The answer is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."]) from None


def _complete_email_pack(data) -> None:
    """Compute what the model should not be trusted with: each email's lint and the token list."""
    if not isinstance(data, dict) or not isinstance(data.get("emails"), list):
        return
    emails = [email for email in data["emails"] if isinstance(email, dict)]
    for email in emails:
        if isinstance(email.get("subject"), str) and isinstance(email.get("body"), str):
            email["lint"] = lint_email(subject=email["subject"], body=email["body"],
                                       call_to_action=str(email.get("call_to_action") or ""))
    if len(emails) == len(data["emails"]):
        data["tokens"] = tokens_used(emails)


def _unknown_evidence_urls(result: dict, facts: SiteFacts) -> list[tuple[str, str]]:
    known = _known_urls(facts)
    found: list[tuple[str, str]] = []

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "evidence" and isinstance(item, list):
                    for index, evidence in enumerate(item):
                        if _normal_url(evidence["url"]) not in known:
                            found.append((f"{path}.evidence[{index}].url".lstrip("."), evidence["url"]))
                elif key != "live_enrichment":
                    walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(result, "")
    return found


def _known_urls(facts: SiteFacts) -> set[str]:
    urls = {facts.url, *(page.url for page in facts.pages)}

    def walk(value) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("url"), str) and "snippet" in value:
                urls.add(value["url"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(facts.as_dict())
    return {_normal_url(url) for url in urls}


def _normal_url(url: str) -> str:
    return url.strip().rstrip("/").lower()
