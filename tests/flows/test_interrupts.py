"""A Ctrl-C that library code catches and drops is still honoured at the run's next step."""

from __future__ import annotations

import os
import signal

import pytest

from flows.interrupts import raise_if_interrupted, remembered_interrupts
from scrapers.http import stop_requests


def test_a_swallowed_interrupt_is_raised_again_at_the_next_step():
    before = signal.getsignal(signal.SIGINT)
    try:
        with remembered_interrupts():
            raise_if_interrupted()  # nothing yet
            try:
                os.kill(os.getpid(), signal.SIGINT)
            except KeyboardInterrupt:
                pass  # what a library that catches BaseException does
            with pytest.raises(KeyboardInterrupt):
                raise_if_interrupted()
        assert signal.getsignal(signal.SIGINT) is before
    finally:
        stop_requests(False)


def test_a_new_block_forgets_an_earlier_interrupt():
    try:
        with remembered_interrupts():
            with pytest.raises(KeyboardInterrupt):
                os.kill(os.getpid(), signal.SIGINT)
                raise_if_interrupted()
        with remembered_interrupts():
            raise_if_interrupted()  # a new run starts clean
    finally:
        stop_requests(False)
