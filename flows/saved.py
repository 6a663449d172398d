"""Saved pages and exports: ``scout parse`` (one body -> canonical JSON) and ``scout import``.

This is how a marketer's saved Instagram and TikTok pages become candidates without the tool
ever fetching those sites: the user saves the page, we parse it, the same transforms score it
and the same single writer loads it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from core.errors import InputError
from core.records import (
    ParseResult,
    Post,
    Profile,
    RawResponse,
    ScrapeError,
    storable,
    storable_raw,
    utcnow,
)
from core.settings import Settings
from flows.discover import score
from flows.fetching import in_batches
from flows.lineage import import_lineage
from flows.params import validate_platform, validate_threshold, validate_tier_scheme
from flows.progress import ProgressMeter
from scrapers.errors import InvalidInput
from scrapers.registry import get_platform
from transforms.authenticity import AuthenticityContext, rescore_ad_network
from transforms.authenticity.ad_network import NETWORK_POSTS
from transforms.frames import errors_frame, raw_frame
from transforms.quarantine import without_profile
from warehouse.forget import tombstones
from warehouse.load import load_run
from warehouse.tombstones import skip_forgotten
from warehouse.warehouse import Warehouse

PROFILE_FIELDS = ("platform", "creator_id", "handle", "display_name", "bio", "followers",
                  "following", "posts_count", "verified", "avatar_url", "external_url",
                  "profile_url")
POST_FIELDS = ("platform", "post_id", "creator_id", "published_at", "text", "likes", "comments",
               "shares", "views", "is_repost", "is_sponsored")
SAVED_SUFFIXES = {".html", ".htm", ".json", ".txt", ".mhtml", ".xml"}
MAX_SAVED_BYTES = 50 * 1024 * 1024  # a saved profile page is a few MB at most
FILES_PER_BATCH = 25  # a progress line per so many files parsed
NO_PROFILE = ("posts without a profile: held back (import the creator's profile page or body "
              "together with them)")


class SavedInputError(InputError):
    """A path or file that cannot be imported; the message says which and why."""


def _profile_json(profile: Profile) -> dict[str, Any]:
    values = asdict(profile)
    return {name: values[name] for name in PROFILE_FIELDS}


def _post_json(post: Post) -> dict[str, Any]:
    values = asdict(post)
    out = {name: values[name] for name in POST_FIELDS}
    if post.published_at is not None:
        out["published_at"] = post.published_at.isoformat().replace("+00:00", "Z")
    return out


def canonical(result: ParseResult) -> dict[str, Any]:
    """``{"profile": {...} | null, "posts": [...]}``; unknown values stay null, never 0.

    A body with several profiles (a getProfiles answer, a directory page) lists the rest
    under ``"more_profiles"``.
    """
    out: dict[str, Any] = {
        "profile": _profile_json(result.profiles[0]) if result.profiles else None,
        "posts": [_post_json(p) for p in result.posts],
    }
    if len(result.profiles) > 1:
        out["more_profiles"] = [_profile_json(p) for p in result.profiles[1:]]
    return out


def read_saved(path: Path) -> str:
    """A saved body as text (invalid UTF-8 replaced, so a bad byte never loses the page)."""
    if not path.is_file():
        raise SavedInputError(f"{path} does not exist or is not a file")
    if path.stat().st_size > MAX_SAVED_BYTES:
        raise SavedInputError(f"{path} is over {MAX_SAVED_BYTES // 2**20} MB; not a saved profile page")
    return path.read_bytes().decode("utf-8", errors="replace")


def parse_file(platform: str, path: Path) -> ParseResult:
    return get_platform(platform).parse_saved(read_saved(path), source=path.resolve().as_uri())


def unrecognised_files(platform: str, files: list[Path]) -> dict[Path, str]:
    """The files that are not this platform's saved bodies at all, with why: refused before an
    import writes anything (a recognised body with nothing in it, a login wall, is imported and
    explained in ``scrape_errors``)."""
    found = {}
    for path in files:
        result = parse_file(platform, path)
        if result.unrecognised:
            found[path] = "; ".join(dict.fromkeys(e.reason for e in result.errors))
    return found


def saved_files(paths: list[Path]) -> list[Path]:
    """Files as given, and the saved pages inside folders (recursively), sorted, deduplicated."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SAVED_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise SavedInputError(f"{path} does not exist")
    return list(dict.fromkeys(p.resolve() for p in found))


def by_time_saved(paths: list[Path]) -> list[Path]:
    """Oldest saved first (file modification time, then name): a creator on several pages is
    then stored and scored from the newest one, since later observations win (``latest_profiles``)."""
    return sorted(paths, key=lambda path: (path.stat().st_mtime_ns, str(path)))


@task(cache_policy=NO_CACHE)
def load(
    db_path: str,
    run_id: str,
    frames: dict[str, Any],
    raws: list[RawResponse],
    errors: list[ScrapeError],
    run: dict[str, Any],
    config: Settings | None = None,
) -> dict[str, int]:
    """The import's single writer: one transaction for the whole run, its lineage included."""
    return load_run(
        db_path,
        config=config,
        run_id=run_id,
        profiles=frames["profiles"],
        posts=frames["posts"],
        scores=frames["scores"],
        raw_responses=raw_frame(raws),
        errors=errors_frame(errors),
        run=run,
        lineage=frames.get("lineage"),
    )


@flow(name="import-saved", log_prints=True)
def import_saved(
    platform: str, paths: list[str], db_path: str = "data/scout.duckdb", tier_scheme: str = "default",
    person_threshold: float = 0.5,
) -> dict[str, Any]:
    """Parse saved pages or exports and load them like a discover run (one transaction).

    Creators forgotten with ``scout forget`` are dropped before the load, raw bodies included.
    """
    config = Settings.from_env(InvalidInput)  # once per run, passed down
    platform, tier_scheme = validate_platform(platform), validate_tier_scheme(tier_scheme)
    person_threshold = validate_threshold(person_threshold)
    started = utcnow()
    run_id = f"import-{uuid.uuid4()}"
    module = get_platform(platform)
    parsed, raws, by_file = ParseResult(), [], {}
    batches = in_batches(by_time_saved(saved_files([Path(p) for p in paths])), FILES_PER_BATCH)
    meter = ProgressMeter("import", [len(batch) for batch in batches], get_run_logger().info)
    for batch in batches:
        profiles_before = len(parsed.profiles)
        for path in batch:
            body = read_saved(path)
            html = path.suffix.lower() in {".html", ".htm"}
            raw = storable_raw(RawResponse(platform, "saved_file", path.name, path.as_uri(), 200, body,
                                           content_type="text/html" if html else None))
            result = storable(module.parse_saved(body, source=path.as_uri()), raw)
            for error in result.errors:
                error.raw_response_id = raw.response_id
            parsed.extend(result)
            raws.append(raw)
            by_file[path] = result
        meter.batch_done(len(parsed.profiles) - profiles_before)
    now = utcnow()
    warehouse = Warehouse(Path(db_path), config)
    context = AuthenticityContext(**warehouse.scoring_inputs(platform, now))
    frames = score(parsed, now, tier_scheme, person_threshold, context=quote(context))
    frames["posts"], orphans = without_profile(frames["profiles"], frames["posts"])
    frames["lineage"] = import_lineage(platform, by_file, frames["profiles"], started)
    parsed.errors += [ScrapeError(platform, creator, None, None, NO_PROFILE) for creator in orphans]
    files, gone = len(raws), tombstones(db_path, platform, read_only=False, config=config)
    frames, raws, parsed.errors, forgotten = skip_forgotten(platform, frames, raws, parsed.errors, gone)
    run = {"flow": "import-saved", "platform": platform,
           "params": {"paths": paths, "tier_scheme": tier_scheme, "person_threshold": person_threshold},
           "started_at": started, "finished_at": utcnow(), "status": "completed"}
    loaded = load(db_path, run_id, frames, raws, parsed.errors, run, config)
    warehouse.rescore_latest(rescore_ad_network, **NETWORK_POSTS)  # the imported creators meet every other
    summary = {"run_id": run_id, "platform": platform, "files": files,
               "creators": len(frames["scores"]), "posts": len(frames["posts"]),
               "errors": len(parsed.errors), "forgotten": forgotten, "loaded": loaded,
               "without_profile": sum(e.reason == NO_PROFILE for e in parsed.errors)}
    print(f"import {platform}: {summary['files']} files, {summary['creators']} creators, "
          f"{summary['posts']} posts, {summary['errors']} errors, {forgotten} forgotten skipped")
    return summary
