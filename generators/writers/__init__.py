"""Writers turn site facts and an ICP into one part's output; `get_writer` picks one by name."""

from django.conf import settings

from generators.writers.base import Writer
from generators.writers.llm import LLMWriter
from generators.writers.template import TemplateWriter

DEFAULT_WRITER = "template"
WRITER_NAMES = ("template", "llm")


class WriterUnavailable(ValueError):
    """The requested writer does not exist or is not configured (a client error, not a 500)."""


def get_writer(name: str | None = None) -> Writer:
    """The writer called `name` ("template" when None)."""
    name = name or DEFAULT_WRITER
    if name == "template":
        return TemplateWriter()
    if name == "llm":
        if not settings.LLM_BASE_URL:
            raise WriterUnavailable("The llm writer is not configured: set LLM_BASE_URL (and LLM_API_KEY, LLM_MODEL).")
        return LLMWriter.from_settings()
    raise WriterUnavailable(f"Unknown writer {name!r}; choose one of {', '.join(WRITER_NAMES)}.")
