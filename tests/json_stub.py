"""A JSON API on 127.0.0.1 for scraper tests: the server, its thread and the replies.

Each platform's test module subclasses JsonStub and answers ``route`` the way that platform's
API would; this module owns everything else, so the stubs differ only in what they say.
"""

from __future__ import annotations

import json
import socket
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, Any] | tuple[int, Any, dict[str, str]]  # status, JSON payload[, headers]


class JsonStub:
    """Serves GET and POST (JSON body) on a free loopback port while used as a context
    manager; every request is kept in ``requests``, in the shape ``record`` gives it."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def record(self, path: str, query: dict[str, list[str]], headers: Message, body: Any) -> Any:
        """What ``requests`` keeps of one request: (path, query) unless a stub needs more."""
        return path, query

    def route(self, path: str, query: dict[str, list[str]], headers: Message, body: Any
              ) -> Answer:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._answer(None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(json.loads(self.rfile.read(length) or b"{}"))

            def _answer(self, body: Any) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                stub.requests.append(stub.record(parts.path, query, self.headers, body))
                status, payload, *extra = stub.route(parts.path, query, self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released): connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
