"""The shared HTTP layer against a real loopback server with scripted answers."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from json_stub import JsonStub, closed_port

from core.records import RawResponse
from sandbox import SandboxServer
from sandbox.faults import transient_kind
from scrapers.avatars import fetch_avatars
from scrapers.bluesky import BLUESKY
from scrapers.bodies import ResponseTooLarge, read_capped
from scrapers.errors import (
    FetchFailed,
    HostUnreachable,
    InvalidInput,
    RefusedUrl,
    RequestsStopped,
    RobotsDisallowed,
    ScraperError,
)
from scrapers.http import HttpClient, stop_requests
from scrapers.mastodon import MASTODON
from scrapers.origins import check_reachable, same_origin
from scrapers.ratelimit import TokenBucket, budget_share, share_budget
from scrapers.retry import (
    policy_rate,
    reset_in_seconds,
    retry_after_seconds,
    window_rate,
)
from scrapers.settings import OVERSIZED_KIND, REFUSED_KIND, USER_AGENT


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
            data = body if isinstance(body, bytes) else body.encode()
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
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
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


def test_connection_errors_are_retried_then_fail(resetting_port):
    """A reset (unlike a refused connection, issue 12) may pass: retried, then FetchFailed."""
    client, sleeps = make_client(max_retries=2, backoff_base=0.01)
    with pytest.raises(FetchFailed, match="ConnectionError") as info:
        client.get(f"http://127.0.0.1:{resetting_port}/nothing", kind="t")
    assert not isinstance(info.value, HostUnreachable)
    assert len(sleeps) == 2 and client.stats["requests"] == 3 and client.stats["retries"] == 2


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


def test_mastodon_headers_set_the_pace_to_90_percent_of_the_instance_budget(server):
    """Mastodon publishes limit, remaining and reset but no window: the longest time to reset seen
    stands for it, so 3000 requests with 100 s to reset are paced at 90% of 30/s, not 0.9/s."""
    script, base = server
    reset = datetime.fromtimestamp(time.time() + 100, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    script.routes["/api/v1/accounts/1"] = [
        (200, {"X-RateLimit-Limit": "3000", "X-RateLimit-Remaining": "2999", "X-RateLimit-Reset": reset}, "{}"),
    ]
    client = HttpClient("mastodon", rate_per_second=MASTODON.defaults.rate_per_second, burst=5)
    client.get(base + "/api/v1/accounts/1", kind="account")
    assert client._bucket(base).rate == pytest.approx(0.9 * 3000 / 100, rel=0.05)


def test_window_rate_keeps_within_what_is_left_of_the_window():
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
    assert window_rate(headers, window=300.0, until_reset=299.0) == pytest.approx(1.0)
    # a window someone already spent most of: what remains over the time left, not limit/window
    assert window_rate({**headers, "X-RateLimit-Remaining": "30"}, window=300.0, until_reset=60.0) == 0.5
    # past the window's middle at our pace, plenty remains: the limit over the window still rules
    assert window_rate({**headers, "X-RateLimit-Remaining": "200"}, window=300.0, until_reset=100.0) == 1.0
    assert window_rate({**headers, "X-RateLimit-Remaining": "0"}, window=300.0, until_reset=10.0) is None
    assert window_rate({"X-RateLimit-Remaining": "5"}, window=300.0, until_reset=10.0) is None
    assert window_rate(headers, window=0.0, until_reset=None) is None


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


def test_a_process_with_half_the_budget_paces_at_half_the_rate():
    """One of two Dask worker processes: half of every rate and burst, so the two together keep
    the host's budget."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    share_budget(0.5)
    try:
        bucket = TokenBucket(rate=10, burst=2, clock=lambda: now[0], sleep=sleep)
        for _ in range(12):
            bucket.acquire()
    finally:
        share_budget(1.0)
    # 1 burst token free, then 11 more at 5/s -> about 2.2 simulated seconds.
    assert now[0] == pytest.approx(2.2, abs=0.01)
    assert budget_share() == 1.0
    with pytest.raises(ValueError):
        share_budget(0)


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
        read_capped(resp, 100_000)
    resp = requests.Response()
    resp.raw = io.BytesIO(b"small")
    assert read_capped(resp, 100) == b"small"


def test_credentials_never_reach_stored_urls_or_errors(server):
    from scrapers.redaction import redact

    script, base = server
    script.routes["/api"] = [(200, {}, "{}")]
    script.routes["/down"] = [(503, {}, "busy")]
    client, _ = make_client(max_retries=1, backoff_base=0.01)
    raw = client.get(base + "/api", params={"key": "AIzaSECRET123", "part": "snippet"}, kind="t")
    assert "AIzaSECRET123" not in raw.url and "key=REDACTED" in raw.url and "part=snippet" in raw.url
    with pytest.raises(FetchFailed) as failure:
        client.get(base + "/down?access_token=EAAGsecret", kind="t")
    assert "EAAGsecret" not in str(failure.value)
    with pytest.raises(ScraperError) as bad_url:  # not retried, and redacted all the same
        client.get("http:///x?access_token=EAAGsecret", kind="t")
    assert "EAAGsecret" not in str(bad_url.value) and bad_url.value.__cause__ is None
    assert redact("https://x/y?a=1&api_key=s3cr3t&token=t0k#f") == "https://x/y?a=1&api_key=REDACTED&token=REDACTED#f"
    assert redact("monkey=banana") == "monkey=banana"


# ---------------------------------------------------------------------------- hostile answers


def test_oversized_body_is_recorded_as_an_error_not_retried(server, monkeypatch):
    script, base = server
    script.routes["/big"] = [(200, {}, '{"profiles": []}' + " " * 5000)]
    client, sleeps = make_client(max_body_bytes=1000)
    raw = client.get(base + "/big", kind="profiles", request_key="a.bsky.social")
    assert (raw.kind, raw.status, raw.body) == (OVERSIZED_KIND, 200, "")
    assert script.hits["/big"] == 1 and sleeps == [] and client.stats["oversized"] == 1
    (error,) = BLUESKY.parse(raw).errors
    assert "size limit" in error.reason and error.raw_response_id == raw.response_id
    assert error.handle == "a.bsky.social"
    monkeypatch.setenv("SCOUT_MAX_BODY_BYTES", "1234")
    assert make_client()[0].max_body_bytes == 1234
    monkeypatch.setenv("SCOUT_MAX_BODY_BYTES", "lots")
    with pytest.raises(InvalidInput, match="SCOUT_MAX_BODY_BYTES"):
        make_client()


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          "application/json; charset=no-such-charset",
                                          "application/json"])
def test_invalid_utf8_decodes_with_replacement(server, content_type):
    script, base = server
    script.routes["/bytes"] = [(200, {"Content-Type": content_type}, b'{"name": "ok \xff\xfe"}')]
    raw = make_client()[0].get(base + "/bytes", kind="t")
    assert json.loads(raw.body) == {"name": "ok \ufffd\ufffd"}


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"profiles": [NaN]}',
                                  '{"profiles": [{"followersCount": Infinity}]}',
                                  '{"profiles": [' + "9" * 5000 + "]}", "\x00\x01", "null"])
def test_deep_or_odd_json_becomes_a_scrape_error(body):
    raw = RawResponse("bluesky", "profiles", "a.bsky.social", "http://x/y", 200, body)
    result = BLUESKY.parse(raw)
    assert result.profiles == [] and len(result.errors) == 1
    assert result.errors[0].raw_response_id == raw.response_id


def test_robots_decisions_are_logged(server, caplog):
    script, base = server
    script.routes["/robots.txt"] = [(200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private/\n")]
    script.routes["/public"] = [(200, {"Content-Type": "text/html"}, "<html></html>")]
    client, _ = make_client()
    with caplog.at_level("INFO", logger="scrapers.robots"):
        client.get(base + "/public?key=SECRET", kind="html", html=True)
        with pytest.raises(RobotsDisallowed):
            client.get(base + "/private/x", kind="html", html=True)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("robots.txt")]
    assert lines == [f"robots.txt allows {base}/public?key=REDACTED",
                     f"robots.txt disallows {base}/private/x"]


@pytest.fixture(scope="module")
def faulty_sandbox():
    with SandboxServer(creators=60, seed=4, rate_limit=None, faults=["transient"],
                       fault_rate=0.9, fault_stall=1.0) as sb:
        yield sb


@pytest.mark.parametrize(("kind", "seen_as"), [("timeout", "ReadTimeout"),
                                               ("reset", "ConnectionError"),
                                               ("truncate", "ChunkedEncodingError")])
def test_transport_faults_are_transient_then_fetch_failed(faulty_sandbox, kind, seen_as):
    """A stall, an RST and a body cut short are retried like a 503; out of retries, FetchFailed."""
    handles = [c.handle for c in faulty_sandbox.universe.creators if c.platform == "bluesky"]
    path = next(p for h in handles
                if transient_kind(faulty_sandbox.faults.plan.seed, 0.9, "GET",
                                  p := f"/xrpc/app.bsky.actor.getProfile?actor={h}", 0) == kind)
    client = HttpClient("bluesky", rate_per_second=1000, burst=100, max_retries=0,
                        timeout=(2.0, 0.5))
    with pytest.raises(FetchFailed, match=f"gave up after 1 attempts \\({seen_as}"):
        client.get(faulty_sandbox.base_url + path, kind="profile")
    assert faulty_sandbox.stats["faults"][kind] >= 1


# ---------------------------------------------------------------------------- origins


class Hops(JsonStub):
    """A loopback server that redirects the paths in ``redirects`` and records every request
    with its headers: (path, query, headers)."""

    def __init__(self) -> None:
        super().__init__()
        self.redirects: dict[str, str] = {}

    def record(self, path, query, headers, body):
        return path, query, dict(headers)

    def route(self, path, query, headers, body):
        if path in self.redirects:
            return 302, {}, {"Location": self.redirects[path]}
        return 200, {"ok": True}


@pytest.fixture
def two_origins():
    """Two loopback servers: same host, different ports, so different origins."""
    with Hops() as home, Hops() as away:
        yield home, away


def test_a_redirect_to_another_origin_carries_no_credential(two_origins):
    home, away = two_origins
    key, token = "AIzaKEY-3f9d1c2b7a", "EAAGTOKEN-8e7d6c5b4a"
    home.redirects["/to-away"] = f"{away.base_url}/landing?access_token={token}&key={key}&page=2"
    home.redirects["/stay"] = "/landing"
    creds = {"X-goog-api-key": key, "Authorization": f"Bearer {token}"}
    client, _ = make_client()

    raw = client.get(home.base_url + "/to-away", params={"access_token": token}, headers=creds, kind="t")
    assert raw.status == 200 and raw.url.startswith(away.base_url + "/landing")
    (first,) = home.requests
    assert first[2]["X-goog-api-key"] == key and first[2]["Authorization"] == f"Bearer {token}"
    (landed,) = away.requests
    assert landed[0] == "/landing" and landed[1] == {"page": ["2"]}  # credential params dropped
    assert not [v for v in landed[2].values() if key in v or token in v]
    assert {"x-goog-api-key", "authorization"}.isdisjoint(h.lower() for h in landed[2])

    client.get(home.base_url + "/stay", headers=creds, kind="t")  # same origin: the key stays
    assert home.requests[-1][0] == "/landing" and home.requests[-1][2]["X-goog-api-key"] == key


def test_a_guarded_request_refuses_another_origin_before_sending(two_origins):
    home, away = two_origins
    home.redirects["/away"] = away.base_url + "/landing"
    client, _ = make_client()
    stay = same_origin(home.base_url)

    raw = client.get(home.base_url + "/away", kind="statuses", request_key="1000", guard=stay)
    assert (raw.kind, raw.status, raw.request_key) == (REFUSED_KIND, 0, "1000")
    assert away.base_url in raw.body and raw.headers == {}
    ahead = client.get(away.base_url + "/next-page", kind="statuses", request_key="1000", guard=stay)
    assert ahead.kind == REFUSED_KIND and client.raw_responses[-2:] == [raw, ahead]
    (error,) = MASTODON.parse(raw).errors
    assert error.handle == "1000" and error.reason.startswith("not fetched: redirect from")
    with pytest.raises(RefusedUrl):
        client.get_bytes(home.base_url + "/away", kind="avatar", guard=stay)
    assert away.requests == []  # nothing ever reached the other origin
    assert [p for p, *_ in home.requests] == ["/away", "/away"]


PUBLIC_BASE = "https://1.1.1.1"  # a public address as a literal: nothing to resolve offline


@pytest.mark.parametrize("host", ["169.254.169.254", "10.0.0.1", "127.0.0.1"])
def test_avatars_on_private_addresses_only_when_the_platform_is_on_one(host, two_origins, tmp_path):
    home, _ = two_origins
    url = (home.base_url if host == "127.0.0.1" else f"http://{host}") + "/avatar.jpg"
    client = HttpClient("mastodon", rate_per_second=1000, burst=100, max_retries=0, timeout=(0.3, 0.3))

    assert fetch_avatars(client, [url], tmp_path / "public", base_url=PUBLIC_BASE) == [None]
    assert client.stats["requests"] == 0 and home.requests == []  # refused, never requested

    images = fetch_avatars(client, [url], tmp_path / "sandbox", base_url=home.base_url)
    assert client.stats["requests"] >= 1  # allowed: the platform itself is on loopback
    if host == "127.0.0.1":
        assert images == [b'{"ok": true}'] and [p for p, *_ in home.requests] == ["/avatar.jpg"]


@pytest.mark.parametrize(("url", "reason"), [
    ("closed port", "connection refused"),
    ("http://nonexistent.invalid/x", "name not resolved"),
])
def test_a_refused_or_unresolvable_host_is_not_retried(url, reason):
    if url == "closed port":  # chosen when the test runs, so the id is stable and the port still free
        url = f"http://127.0.0.1:{closed_port()}/x"
    client, sleeps = make_client(max_retries=5)
    with pytest.raises(HostUnreachable) as info:
        client.get(url, kind="t", request_key="k")
    assert f"cannot reach {url.rsplit('/', 1)[0]} ({reason})" == str(info.value)
    assert client.stats["requests"] == 1 and client.stats["retries"] == 0 and sleeps == []


def test_check_reachable_names_the_host_in_one_line():
    port = closed_port()
    with pytest.raises(HostUnreachable) as info:
        check_reachable(f"http://127.0.0.1:{port}/v21.0")
    assert str(info.value) == f"cannot reach http://127.0.0.1:{port} (connection refused); check --instance"
    with pytest.raises(HostUnreachable, match=r"nonexistent\.invalid \(name not resolved\)"):
        check_reachable("https://nonexistent.invalid")


def test_after_an_interrupt_no_request_is_sent_and_nothing_retries(server):
    """Ctrl-C (``stop_requests``): a fetch thread still running stops at its next request
    instead of finishing its batch at the platform's pace."""
    script, base = server
    script.routes["/x"] = [(200, {}, "{}")] * 3
    client, sleeps = make_client(max_retries=5)
    assert client.get(f"{base}/x", kind="t", request_key="k").status == 200
    stop_requests()
    try:
        with pytest.raises(RequestsStopped, match="the run was interrupted"):
            client.get(f"{base}/x", kind="t", request_key="k")
    finally:
        stop_requests(False)
    assert client.stats["requests"] == 1 and client.stats["retries"] == 0 and sleeps == []
    assert client.get(f"{base}/x", kind="t", request_key="k").status == 200
