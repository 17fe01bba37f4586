"""A local OpenAI-compatible chat-completions server that streams like the real one.

Each test scripts the answers in order: `Stream(text, chunks=n)` sends `text` as n
`chat.completion.chunk` events, a final chunk with `finish_reason: "stop"`, then
`data: [DONE]`; `Failure(status, message)` answers with an OpenAI-style error body;
`Stream(..., pause_before=s)` waits before the first chunk (for timeouts). Every request
is recorded (method, path, headers, JSON body) for the test to inspect.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Stream:
    text: str
    chunks: int = 4
    pause_before: float = 0.0


@dataclass
class Failure:
    status: int
    message: str = "error"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class FakeLLM:
    answers: list = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    model: str = "fake-model"
    # Instead of scripted answers in order: a function of the request body (for concurrent parts).
    responder: Callable[[dict], "Stream | Failure"] | None = None

    def start(self) -> "FakeLLM":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.received.append(Received(self.path, dict(self.headers.items()), body))
                if self.path != "/v1/chat/completions":
                    return fake._send_error(self, Failure(404, f"No route {self.path}"))
                if fake.responder is not None:
                    answer = fake.responder(body)
                else:
                    answer = fake.answers.pop(0) if fake.answers else Failure(500, "no scripted answer left")
                if isinstance(answer, Failure):
                    return fake._send_error(self, answer)
                return fake._send_stream(self, answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def _send_error(self, handler: BaseHTTPRequestHandler, failure: Failure) -> None:
        body = json.dumps({"error": {"message": failure.message, "type": "invalid_request_error",
                                     "code": None}}).encode()
        handler.send_response(failure.status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _send_stream(self, handler: BaseHTTPRequestHandler, stream: Stream) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            if stream.pause_before:
                handler.wfile.flush()
                time.sleep(stream.pause_before)
            size = max(1, -(-len(stream.text) // stream.chunks))
            pieces = [stream.text[i:i + size] for i in range(0, len(stream.text), size)]
            first = {"role": "assistant", "content": ""}
            self._event(handler, self._chunk(first, None))
            for piece in pieces:
                self._event(handler, self._chunk({"content": piece}, None))
            self._event(handler, self._chunk({}, "stop"))
            handler.wfile.write(b"data: [DONE]\n\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def _chunk(self, delta: dict, finish_reason: str | None) -> dict:
        return {
            "id": "chatcmpl-fake123",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": self.model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
        }

    @staticmethod
    def _event(handler: BaseHTTPRequestHandler, payload: dict) -> None:
        handler.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        handler.wfile.flush()
