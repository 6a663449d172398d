"""The shared HTTP layer against a real loopback server with scripted answers."""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests

from scrapers.errors import FetchFailed, RobotsDisallowed
from scrapers.http import (
    HttpClient,
    ResponseTooLarge,
    _read_capped,
    policy_rate,
    reset_in_seconds,
    retry_after_seconds,
)
from scrapers.ratelimit import TokenBucket
from scrapers.settings import USER_AGENT


class Script:
    """Per-path queues of (status, headers, body); the last entry repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict, str]]] = {}
        self.hits: dict[str, int] = {}
        self.user_agents: list[str] = []

    def answer(self, path: str) -> tuple[int, dict, str]:
        self.hits[path] = self.hits.get(path, 0) + 1
        queue = self.routes.get(path, [(404, {}, '{"error":"not found"}')])
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            script.user_agents.append(self.headers.get("User-Agent", ""))
            status, headers, body = script.answer(urlsplit(self.path).path)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield script, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def make_client(**kw) -> tuple[HttpClient, list[float]]:
    sleeps: list[float] = []
    client = HttpClient("bluesky", rate_per_second=1000, burst=100, sleep=sleeps.append, **kw)
    return client, sleeps


def test_retries_429_honouring_retry_after_and_records_raw(server):
    script, base = server
    script.routes["/x"] = [
        (429, {"Retry-After": "2"}, '{"error":"RateLimitExceeded"}'),
        (503, {}, "busy"),
        (200, {}, '{"ok": "é😀"}'),
    ]
    client, sleeps = make_client(backoff_base=0.01)
    raw = client.get(base + "/x", kind="t", request_key="k")
    assert raw.status == 200
    assert json.loads(raw.body) == {"ok": "é😀"}
    assert sleeps[0] == 2.0  # Retry-After wins over backoff
    assert 0.005 <= sleeps[1] <= 0.02  # jittered exponential backoff, attempt 1
    assert client.stats["retries"] == 2
    assert [r.status for r in client.raw_responses] == [200]
    assert raw.url == base + "/x" and raw.kind == "t" and raw.request_key == "k"
    assert script.user_agents[0] == USER_AGENT


def test_client_errors_are_returned_not_retried(server):
    script, base = server
    script.routes["/missing"] = [(400, {}, '{"error":"InvalidRequest","message":"Profile not found"}')]
    client, sleeps = make_client()
    raw = client.get(base + "/missing", kind="profiles")
    assert raw.status == 400 and "Profile not found" in raw.body
    assert script.hits["/missing"] == 1 and sleeps == []


def test_gives_up_after_max_retries(server):
    script, base = server
    script.routes["/down"] = [(502, {}, "bad gateway")]
    client, sleeps = make_client(max_retries=3, backoff_base=0.01)
    with pytest.raises(FetchFailed, match="gave up after 4 attempts"):
        client.get(base + "/down", kind="t")
    assert script.hits["/down"] == 4 and len(sleeps) == 3


def test_connection_errors_are_retried_then_fail():
    client, sleeps = make_client(max_retries=2, backoff_base=0.01)
    with pytest.raises(FetchFailed, match="ConnectionError"):
        client.get("http://127.0.0.1:9/nothing", kind="t")
    assert len(sleeps) == 2


def test_robots_txt_checked_for_html(server):
    script, base = server
    script.routes["/robots.txt"] = [(200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private/\n")]
    script.routes["/public/page"] = [(200, {"Content-Type": "text/html"}, "<html>ok</html>")]
    client, _ = make_client()
    assert client.get(base + "/public/page", kind="html", html=True).status == 200
    with pytest.raises(RobotsDisallowed):
        client.get(base + "/private/page", kind="html", html=True)
    assert script.hits["/robots.txt"] == 1  # cached per origin
    assert "/private/page" not in script.hits


def test_remaining_zero_pauses_until_reset(server):
    script, base = server
    reset = int(time.time()) + 3
    script.routes["/limited"] = [
        (200, {"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": str(reset),
               "RateLimit-Policy": "10;w=5"}, "{}"),
    ]
    client = HttpClient("bluesky", rate_per_second=50, burst=5)
    client.get(base + "/limited", kind="t")
    bucket = client._bucket(base)
    assert bucket.rate == pytest.approx(10 / 5 * 0.9)  # adopted 90% of the published policy
    assert bucket._paused_until > time.monotonic() + 1


def test_header_parsers():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2099 07:28:00 GMT") > 1e6
    assert retry_after_seconds("garbage") is None
    assert policy_rate({"RateLimit-Policy": '"3000;w=300"'}) == 10.0
    assert policy_rate({"RateLimit-Policy": "nonsense"}) is None
    assert reset_in_seconds({"X-RateLimit-Reset": "2099-01-01T00:00:00.000Z"}) > 1e6
    assert reset_in_seconds({}) is None


def test_token_bucket_paces_threads():
    now = [0.0]
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            now[0] += seconds

    bucket = TokenBucket(rate=10, burst=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(12):
        bucket.acquire()
    # 2 burst tokens free, then 10 more at 10/s -> about 1 simulated second.
    assert now[0] == pytest.approx(1.0, abs=0.01)


def test_get_bytes_shares_the_retry_loop_and_caps_size(server):
    script, base = server
    script.routes["/a.png"] = [(503, {}, "busy"), (200, {"Content-Type": "image/png"}, "\x89PNG-ish")]
    client, sleeps = make_client(backoff_base=0.01)
    status, body = client.get_bytes(base + "/a.png", kind="avatar", request_key="a")
    assert (status, body) == (200, "\x89PNG-ish".encode())
    assert client.stats["retries"] == 1 and len(sleeps) == 1
    assert client.raw_responses == []  # images are not raw API data
    assert client.get_bytes(base + "/gone.png", kind="avatar")[0] == 404
    with pytest.raises(ResponseTooLarge):  # refused from Content-Length
        client.get_bytes(base + "/a.png", kind="avatar", max_bytes=4)


def test_read_capped_stops_a_body_without_content_length():
    resp = requests.Response()
    resp.raw = io.BytesIO(b"x" * 200_000)
    resp.url = "http://example.test/big"
    with pytest.raises(ResponseTooLarge, match="more than 100000 bytes"):
        _read_capped(resp, 100_000)
    resp = requests.Response()
    resp.raw = io.BytesIO(b"small")
    assert _read_capped(resp, 100) == b"small"


def test_credentials_never_reach_stored_urls_or_errors(server):
    from scrapers.http import redact

    script, base = server
    script.routes["/api"] = [(200, {}, "{}")]
    script.routes["/down"] = [(503, {}, "busy")]
    client, _ = make_client(max_retries=1, backoff_base=0.01)
    raw = client.get(base + "/api", params={"key": "AIzaSECRET123", "part": "snippet"}, kind="t")
    assert "AIzaSECRET123" not in raw.url and "key=REDACTED" in raw.url and "part=snippet" in raw.url
    with pytest.raises(FetchFailed) as failure:
        client.get(base + "/down?access_token=EAAGsecret", kind="t")
    assert "EAAGsecret" not in str(failure.value)
    assert redact("https://x/y?a=1&api_key=s3cr3t&token=t0k#f") == "https://x/y?a=1&api_key=REDACTED&token=REDACTED#f"
    assert redact("monkey=banana") == "monkey=banana"
