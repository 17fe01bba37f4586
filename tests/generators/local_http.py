"""Small HTTP servers on 127.0.0.1 for tests: a static site from tests/generators/sites/<name>/
and hand-written routes for hostile behaviour (redirect loops, slow and huge pages)."""

import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITES = Path(__file__).parent / "sites"

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, handler: BaseHTTPRequestHandler) -> None:
        body = self.body.encode() if isinstance(self.body, str) else self.body
        handler.send_response(self.status)
        for name, value in self.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def html(body: str, status: int = 200) -> Reply:
    return Reply(status, body, {"Content-Type": "text/html; charset=utf-8"})


def json_reply(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data), {"Content-Type": "application/json; charset=utf-8"})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def site_routes(name: str) -> dict[str, Reply]:
    """`index.html` at `/`, `about.html` at `/about`, `company.html` at `/company/`, robots.txt."""
    routes: dict[str, Reply] = {}
    for path in (SITES / name).iterdir():
        if path.name == "robots.txt":
            routes["/robots.txt"] = Reply(200, path.read_bytes(), {"Content-Type": "text/plain"})
        elif path.suffix == ".html":
            body = path.read_bytes()
            reply = Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})
            if path.stem == "index":
                routes["/"] = reply
            else:
                routes[f"/{path.stem}"] = reply
                routes[f"/{path.stem}/"] = reply
    return routes


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1:<free port>; `routes` maps a path (query string
    included when the route names one) to a Reply or to a function answering by hand."""

    def __init__(self, routes: dict[str, Reply | Handler] | None = None):
        self.routes: dict[str, Reply | Handler] = dict(routes or {})
        self.received: list[Received] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server.received.append(Received("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    route = Reply(404, "not found", {"Content-Type": "text/plain"})
                # The client may hang up mid-answer, as a byte cap or a timeout makes it do.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route.send(self) if isinstance(route, Reply) else route(self)

            def log_message(self, format, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.received]

    def __enter__(self) -> "LocalServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
