"""The progress a batched flow reports: one line per batch, its pace and ETA, to the log and listeners."""

from __future__ import annotations

from flows.progress import BatchProgress, ProgressMeter, listening


class Clock:
    """Seconds a test sets by hand, so the pace and ETA are exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_each_batch_is_one_line_with_the_creators_so_far_their_pace_and_an_eta() -> None:
    clock, logged, heard = Clock(), [], []
    meter = ProgressMeter("discover", [25, 25, 10], logged.append, clock)
    with listening(heard.append):
        clock.now += 5
        meter.batch_done(25)
        clock.now += 5
        meter.batch_done(25)
    clock.now += 2
    meter.batch_done(10)  # nobody listens any more: the log still has it
    assert logged == [
        "batch 1/3: 25 creators, 5.0 creators/s, ETA 0:00:07",
        "batch 2/3: 50 creators, 5.0 creators/s, ETA 0:00:02",
        "batch 3/3: 60 creators, 5.0 creators/s, ETA 0:00:00",
    ]
    assert [p.line for p in heard] == logged[:2]
    assert heard[0] == BatchProgress("discover", 1, 3, 25, 5.0, 7.0)


def test_batches_reused_from_an_earlier_attempt_do_not_count_toward_the_pace() -> None:
    clock, logged = Clock(), []
    meter = ProgressMeter("discover", [25, 25, 25, 25], logged.append, clock)
    meter.batch_done(25, reused=True)
    meter.batch_done(25, reused=True)
    clock.now += 10
    meter.batch_done(25)
    assert logged == [
        "batch 1/4: 25 creators, 0.0 creators/s, ETA ?",
        "batch 2/4: 50 creators, 0.0 creators/s, ETA ?",
        "batch 3/4: 75 creators, 2.5 creators/s, ETA 0:00:10",
    ]
