"""The writer contract: facts + ICP in, one part's structured output out, text streamed."""

from collections.abc import Callable
from typing import Protocol

from generators.types import ICP, SiteFacts

DeltaSink = Callable[[str], None]


class Writer(Protocol):
    name: str  # "template" or "llm"; recorded on the Generation and part of the cache key
    version: str  # bump when output for the same input changes; part of the cache key

    def write(self, part: str, *, facts: SiteFacts, icp: ICP, emit_delta: DeltaSink) -> dict:
        """Produce `part` ("positioning", "email_pack" or "enrichment").

        Streams human-readable text through `emit_delta` while it works (each call one
        chunk, in order), and returns the structured result, valid against the part's
        serializer in generators.schemas. Raises generators.types.PartFailed when it cannot.
        """
        ...
