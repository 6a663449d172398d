"""Accounts per second of score_account_type, streaming in chunks as a 1M-row rescore would,
and of `scout classify` end to end (CSV in, CSV out) on the dev CSV's columns.

    .venv/bin/python bench/bench_classify.py                       # synthetic + dev CSV
    .venv/bin/python bench/bench_classify.py --rows 1000000 --chunk 50000
    .venv/bin/python bench/bench_classify.py --single-thread      # one core

Not a test: it prints timings and asserts nothing. Two inputs: synthetic profiles (pipeline
columns, with post shares and cadence) and the dev CSV's columns (label and source dropped)
repeated to --dev-rows rows. The dev CSV is read here at bench time only, from ../shared.
The model is loaded once before timing (that cost is printed separately).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import emit  # noqa: E402

from flows.classify import classify_csv  # noqa: E402
from transforms import account_type  # noqa: E402
from transforms.account_model import load_model  # noqa: E402
from transforms.account_type import score_account_type  # noqa: E402
from transforms.frames import STRING  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV_CSV = ROOT.parent / "shared" / "datasets" / "labeled_accounts_dev.csv"
NAMES = ["Maya Patel", "José García", "Daily Memes 😂", "Cute Animals 🐶", "BBC News",
         "Ana Silva", "Tom Baker", "Facts Daily", "Nike Store", "Jemma Fan Page", "Kenji Sato",
         "Chioma Obi", "The Repost Hub", "Lena Müller", "Priya Sharma", "Studio Nord", None]
BIOS = ["I bake sourdough, mum of 2 🍞 maya [at] gmail [dot] com",
        "Daily memes 😂 DM for promo", "Official store. Free shipping worldwide. shop.nike.com",
        "Breaking news and headlines, 24/7", "Runner, writer, coffee lover. she/her",
        "Did you know? Daily facts 🧠", "The cutest puppies and kittens",
        "Not affiliated. Fan page for Jemma 💜",
        "Photographer 📷 | https://ana.photo/portfolio",
        "We make furniture in Oslo since 1999", "PhD student. Views are my own.", None,
        "Credit to owners. DM for removal. Submit via linktr.ee/repost",
        "<p>Gärtnerin &amp; Imkerin aus Leipzig. Ich schreibe über Bienen.</p>"]


def _pick_arrow(rng: np.random.Generator, values: list, n: int) -> pa.Array:
    codes = pa.array(rng.integers(0, len(values), n, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(codes, pa.array(values, pa.string())).cast(pa.string())


def _series(arr: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr])), dtype=STRING)


def _pick(rng: np.random.Generator, values: list, n: int) -> pd.Series:
    return _series(_pick_arrow(rng, values, n))


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """Pipeline-shaped profiles: names, bios, unique handles, counts, post shares, cadence."""
    rng = np.random.default_rng(seed)
    handles = pc.binary_join_element_wise(
        _pick_arrow(rng, ["maya", "memes", "news", "jose", "shop", "priya_k", "cute.pets"], n),
        pa.array(np.arange(n)).cast(pa.string()), "")
    return pd.DataFrame({
        "platform": _pick(rng, ["bluesky", "mastodon"], n),
        "handle": _series(handles),
        "display_name": _pick(rng, NAMES, n),
        "bio": _pick(rng, BIOS, n),
        "followers": pd.array(rng.lognormal(8, 2, n).astype(np.int64), dtype="Int64"),
        "following": pd.array(rng.integers(0, 3000, n), dtype="Int64"),
        "posts_count": pd.array(rng.integers(0, 20000, n), dtype="Int64"),
        "is_bot": pd.array(rng.random(n) < 0.01, dtype="boolean"),
        "posts_per_week": rng.lognormal(1.5, 1.2, n),
        "repost_share": rng.random(n) * 0.6,
        "credit_share": np.where(rng.random(n) < 0.1, rng.random(n), 0.0),
        "first_person_post_share": rng.random(n),
    })


def dev_rows(path: Path, n: int) -> pd.DataFrame:
    """The dev CSV's input columns (no label, no source), repeated to n rows."""
    df = pd.read_csv(path, dtype={"handle": str, "display_name": str, "bio": str,
                                  "sample_post": str})
    df = df.drop(columns=[c for c in ("label", "source") if c in df.columns])
    reps = -(-n // len(df))
    return pd.concat([df] * reps, ignore_index=True).iloc[:n].reset_index(drop=True)


def run(name: str, df: pd.DataFrame, chunk: int) -> float:
    """Score df in chunks; print and return accounts per second."""
    t0 = time.perf_counter()
    persons = 0
    for start in range(0, len(df), chunk):
        out = score_account_type(df.iloc[start:start + chunk])
        persons += int((out["account_type"] == "person").sum())
    dt = time.perf_counter() - t0
    rate = len(df) / dt
    print(f"{name:<28} {len(df):>9,} rows  {dt:7.2f} s  {rate:>10,.0f} accounts/s  "
          f"({persons / max(len(df), 1):.0%} person)")
    emit(f"classify, {name}", rate, "/s")
    return rate


def run_csv(name: str, df: pd.DataFrame, chunk: int) -> float:
    """What `scout classify` does end to end (read the CSV in chunks, score, write the
    output CSV): the rate a user sees. Files live in a temp dir; writing the input is not
    timed."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        df.to_csv(src, index=False)
        t0 = time.perf_counter()
        summary = classify_csv(src, dst, chunk_rows=chunk)
        dt = time.perf_counter() - t0
    rate = summary.rows / dt
    print(f"{name:<28} {summary.rows:>9,} rows  {dt:7.2f} s  {rate:>10,.0f} accounts/s  "
          f"({summary.persons / max(summary.rows, 1):.0%} person)")
    emit(f"classify, {name}", rate, "/s")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000, help="synthetic rows")
    ap.add_argument("--dev-rows", type=int, default=200_000)
    ap.add_argument("--chunk", type=int, default=50_000)
    ap.add_argument("--dev", type=Path, default=DEV_CSV)
    ap.add_argument("--single-thread", action="store_true",
                    help="score each chunk in one thread (default: one block per core)")
    args = ap.parse_args()
    if args.single_thread:
        account_type._MAX_WORKERS = 1

    t0 = time.perf_counter()
    load_model()
    score_account_type(synthetic(100))  # warm caches (vocabularies as Arrow arrays)
    print(f"model load + warm-up: {time.perf_counter() - t0:.2f} s")
    run("synthetic", synthetic(args.rows), args.chunk)
    if args.dev.exists():
        dev = dev_rows(args.dev, args.dev_rows)
        run("dev CSV columns, repeated", dev, args.chunk)
        run_csv("same, scout classify (CSV)", dev, args.chunk)
    else:
        print(f"(no {args.dev}: skipped the dev CSV run)")


if __name__ == "__main__":
    main()
