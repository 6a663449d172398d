"""The sandbox HTTP server: the platforms' public read APIs, offline, on 127.0.0.1.

One stdlib ``ThreadingHTTPServer`` answers every platform from a generated ``Universe``. This
module only serves: it dispatches each request to its platform's routes in ``sandbox/routes/``
(Bluesky at ``/xrpc/<NSID>``, Mastodon at ``/api/v1/...`` and ``/api/v2/...``, Instagram's
Graph API, YouTube's Data API and channel pages) and adds what all of them share: rate limits
and their headers, stats, injected faults (``sandbox/faults.py``), robots.txt, images and the
``/_sandbox/`` control routes. Scrapers reach it only through their base-URL setting; nothing
here is test-only.

    with SandboxServer(creators=300, seed=42) as sb:
        requests.get(sb.base_url + "/xrpc/app.bsky.actor.getProfile", params={"actor": h})
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults as faultlib
from .avatars import avatar_image, default_avatar
from .generate import build_universe
from .limits import FixedWindowLimiter, Stats, limit_headers
from .routes import bluesky, control, instagram, mastodon, youtube, youtube_channels
from .routes.common import ApiError
from .routes.mastodon import MISSING_AVATAR
from .universe import Universe

__all__ = ["SandboxServer"]

JSON_TYPE = "application/json; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\nDisallow: /feeds/\nAllow: /\n"


def _tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built by hand (served for banners and unknown image paths)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00\x99")) + chunk(b"IEND", b""))


PNG_1X1 = _tiny_png()


# --------------------------------------------------------------------------------------------
# The request handler
# --------------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "creator-scout-sandbox/0.1"
    sys_version = ""
    timeout = 60  # idle keep-alive connections are closed after this
    # Headers and body go out in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (~40 ms per request on Linux). TCP_NODELAY makes a request take ~1 ms.
    disable_nagle_algorithm = True
    truncate_body = False  # set per request by an injected "truncate" fault

    server: "_HTTPServer"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet by design
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header on the sandbox clock (``days_elapsed`` ahead of the real one)."""
        now = time.time() if timestamp is None else timestamp
        return super().date_time_string(now + self.sandbox.universe.days_elapsed * 86_400)

    def version_string(self) -> str:
        return self.server_version

    # ---- plumbing -------------------------------------------------------------------------
    @property
    def sandbox(self) -> "SandboxServer":
        return self.server.sandbox

    def _base(self) -> str:
        host = self.headers.get("Host")
        if host and re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", host):
            return f"http://{host}"
        return self.sandbox.base_url

    def _send(self, status: int, body: bytes, content_type: str,
              headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers or ():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        if self.truncate_body:  # an injected fault: half the declared body, then hang up
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def _send_answer(self, status: int, obj, headers=None) -> None:
        """JSON, or an HTML page where a drifted creator's answer became one."""
        if isinstance(obj, faultlib.HtmlPage):
            return self._send(status, obj.encode("utf-8"), faultlib.HTML_TYPE, headers)
        return self._send_json(status, obj, headers)

    def _send_json(self, status: int, obj, headers=None) -> None:
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._send(status, body, JSON_TYPE, headers)

    def _drain_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(min(length, 1 << 20))

    def do_GET(self) -> None:  # noqa: N802
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _not_allowed(self) -> None:
        self._drain_body()
        self.sandbox._stats.record("other", "method_not_allowed", 405)
        self._send_json(405, {"error": "MethodNotAllowed", "message": "Method Not Allowed"},
                        [("Allow", "GET, HEAD")])

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed  # noqa: N815

    # ---- routing --------------------------------------------------------------------------
    def _dispatch(self) -> None:
        self.truncate_body = False
        split = urlsplit(self.path)
        path = unquote(split.path)
        params = parse_qs(split.query, keep_blank_values=True)
        sb = self.sandbox

        if path.startswith("/_sandbox/"):
            return self._send_json(*control.answer(sb, path, params))
        if path == "/robots.txt":
            sb._stats.record("other", "robots.txt", 200)
            return self._send(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        media = ("/img/", "/system/", "/avatars/", "/headers/")
        if path.startswith(media) and not path.endswith("/"):
            sb._stats.record("other", "media", 200)
            body, content_type = sb._media(path)
            return self._send(200, body, content_type,
                              [("Cache-Control", "public, max-age=31536000")])

        if youtube.handles(path):
            platform, handler = "youtube", None
        elif bluesky.handles(path):
            platform, handler = "bluesky", bluesky.answer
        elif mastodon.handles(path):
            platform, handler = "mastodon", mastodon.answer
        elif instagram.is_graph_path(path):
            platform, handler = "instagram", instagram.answer
        else:
            sb._stats.record("other", "not_found", 404)
            return self._send_json(404, {"error": "Not Found"})
        sb._stats.arrived(platform)
        if sb.faults is not None:
            fault = sb.faults.next_transient(self.command, self.path)
            if fault is not None and sb.faults.inject(self, fault, platform):
                return None
        if handler is None:  # Data API, channel pages (sandbox/routes/youtube.py)
            return youtube.route(self, path, params)

        rl_headers, retry_after = self._rate_limit(platform)
        path_kind = self._path_kind(platform, path)
        if retry_after is not None:
            sb._stats.record(platform, path_kind, 429)
            body = ({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
                    if platform == "bluesky" else {"error": "Too many requests"})
            return self._send_json(429, body, rl_headers + [("Retry-After", str(retry_after))])
        try:
            status, obj, extra = handler(sb.universe, self._base(), path, params)
        except ApiError as e:
            status, obj, extra = e.status, e.body, []
        except Exception as e:  # never kill the connection thread on a bug: answer 500
            status, extra = 500, []
            obj = ({"error": "InternalServerError", "message": f"{type(e).__name__}: {e}"}
                   if platform == "bluesky" else {"error": f"{type(e).__name__}: {e}"})
        sb._stats.record(platform, path_kind, status)
        if status == 200 and sb.faults is not None:
            obj = sb.faults.drift(platform, path, params, obj)
        self._send_answer(status, obj, rl_headers + extra)

    @staticmethod
    def _path_kind(platform: str, path: str) -> str:
        if platform == "bluesky":
            return path[len("/xrpc/"):] or "xrpc"
        p = re.sub(r"/accounts/\d+", "/accounts/:id", path)
        p = re.sub(r"/timelines/tag/[^/]+", "/timelines/tag/:tag", p)
        return p

    def _rate_limit(self, platform: str) -> tuple[list[tuple[str, str]], int | None]:
        sb = self.sandbox
        limiter = sb._limiter
        if limiter is None:
            return [], None
        now = time.time()
        allowed, remaining, reset = limiter.hit((platform, self.client_address[0]), now)
        headers = limit_headers(limiter, platform, remaining, reset)
        if allowed:
            return headers, None
        return headers, max(1, math.ceil(reset - now))

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    sandbox: "SandboxServer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._conn_lock = threading.Lock()
        self._conns: set[socket.socket] = set()

    def process_request(self, request, client_address):
        with self._conn_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conn_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client hanging up mid-connection (e.g. it refused an oversized body) is normal."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End kept-alive connections too, so nothing is served after stop()."""
        with self._conn_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

class SandboxServer:
    """The offline Bluesky + Mastodon twin. A context manager that starts and stops it.

    ``rate_limit`` requests per ``rate_window`` seconds are allowed per platform per client
    address (fixed windows); ``rate_limit=None`` turns limiting and its headers off.

    ``faults`` ("transient", "drift" or both) injects failures (see ``sandbox/faults.py``):
    ``fault_rate`` of requests fail transiently, ``drift_share`` of creators drift for good,
    both decided from ``fault_seed`` (default: ``seed``). ``fault_stall`` is how long a
    timeout fault holds its answer; ``fault_retry_after`` the seconds a 429 asks for.

    ``days_elapsed`` moves the clock of a generated universe on by that many days: follower
    counts (and lists) follow each creator's growth curve, bought followers arrive on their day.
    """

    def __init__(self, universe: Universe | None = None, *, creators: int = 300, seed: int = 42,
                 port: int = 0, rate_limit: int | None = 600, rate_window: float = 10.0,
                 host: str = "127.0.0.1", faults: Iterable[str] = (), fault_rate: float = 0.0,
                 drift_share: float = 0.0, fault_seed: int | None = None,
                 fault_stall: float = 30.0, fault_retry_after: int = 1, days_elapsed: int = 0):
        if rate_limit is not None and rate_limit < 0:
            raise ValueError("rate_limit must be >= 0 (or None for no limit)")
        if rate_window <= 0:
            raise ValueError("rate_window must be > 0")
        families = faultlib.parse_families(faults)
        plan = faultlib.FaultPlan(families, fault_rate, drift_share,
                                  seed if fault_seed is None else fault_seed,
                                  fault_stall, fault_retry_after)
        if universe is not None and days_elapsed:
            raise ValueError("days_elapsed is for a generated universe: build yours with it")
        self.universe = (universe if universe is not None
                         else build_universe(creators, seed, days_elapsed=days_elapsed))
        hooks = {"bluesky": bluesky, "mastodon": mastodon, "instagram": instagram,
                 "youtube": youtube}
        self.faults = faultlib.Faults(plan, self, hooks) if families else None
        self.rate_limit = rate_limit
        self.rate_window = float(rate_window)
        self._limiter = (FixedWindowLimiter(rate_limit, rate_window)
                         if rate_limit is not None else None)
        self._stats = Stats()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()
        self._closed = False

    # ---- lifecycle ------------------------------------------------------------------------
    def start(self) -> "SandboxServer":
        """Serve in a daemon thread; returns self (so ``SandboxServer().start()`` chains)."""
        if self._closed:
            raise RuntimeError("this SandboxServer was stopped; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, args=(0.1,),
                                            name=f"sandbox-{self.port}", daemon=True)
            self._serving.set()
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until stop() or Ctrl-C (for ``scout sandbox``)."""
        if self._closed:
            raise RuntimeError("this SandboxServer was stopped; make a new one")
        self._serving.set()
        try:
            self._serve(0.25)
        except KeyboardInterrupt:
            pass
        finally:
            self._close_socket()

    def _serve(self, poll_interval: float) -> None:
        try:
            self._httpd.serve_forever(poll_interval=poll_interval)
        finally:
            self._serving.clear()

    def stop(self) -> None:
        """Stop serving and free the port. Safe to call twice, or from another thread."""
        if self._closed:
            return
        if self._serving.is_set():
            self._httpd.shutdown()  # returns once the serve loop has exited
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_socket()

    def _close_socket(self) -> None:
        if not self._closed:
            self._closed = True
            self._httpd.server_close()
            self._httpd.close_connections()

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- data -----------------------------------------------------------------------------
    @property
    def stats(self) -> dict:
        """A snapshot of the counters: requests, by_platform, by_path, by_status, rate_limited."""
        snap = self._stats.snapshot()
        snap["youtube_quota_units"] = youtube_channels.units_served(self)
        snap["faults"] = self.faults.stats() if self.faults is not None else {}
        return snap

    def drifted(self) -> set[tuple[str, str]]:
        """(platform, handle) of every creator served with drift (empty without drift)."""
        return self.faults.drifted() if self.faults is not None else set()

    def max_in_window(self, platform: str, window: float) -> int:
        """Most requests of ``platform`` that reached the server within any ``window``
        seconds: the server's own count, to check a client's pace against a budget."""
        return self._stats.max_in_window(platform, window)

    def _media(self, path: str) -> tuple[bytes, str]:
        """(body, content type) for an image path: a creator's avatar, Mastodon's default
        avatar, or a 1x1 PNG for anything else (banners, unknown blobs)."""
        c = self.universe.by_avatar(path)
        if c is not None:
            fmt = "png" if path.endswith((".png", "@png")) else "jpeg"
            return avatar_image(path, c.kind, c.display_name, fmt), f"image/{fmt}"
        if path == MISSING_AVATAR:
            return default_avatar(), "image/png"
        return PNG_1X1, "image/png"

    def __repr__(self) -> str:
        return f"SandboxServer({self.base_url}, creators={len(self.universe)})"
