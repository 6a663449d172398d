"""Allocator settings for a process that makes and frees large arrays over and over (a rescore's
scoring process, chunk after chunk).

By default glibc hands every freed array above its mmap threshold (at most 32 MiB) back to the
kernel, and pyarrow's mimalloc purges freed pages after 10 ms, so each chunk faulted its working
set in afresh: at 1M creators the scoring processes spent 36 s in the kernel. Kept, the same pages
serve the next chunk (5 s). The price: the process's resident size stays at its high-water mark
until it exits, which is why only processes that live for one job call this.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import pyarrow as pa

_M_TRIM_THRESHOLD = -1  # mallopt parameters (glibc's malloc.h)
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
KEEP_BYTES = 1 << 30  # freed memory a process keeps instead of returning it to the kernel
TOP_PAD_BYTES = 64 << 20  # grow the heap this much at a time


def keep_freed_memory() -> bool:
    """Serve large arrays from the heap and keep up to KEEP_BYTES of freed memory there, and
    allocate Arrow's buffers through the same heap. False, and nothing changed, where the C
    library is not glibc (macOS, musl): those allocators keep their own defaults."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    settings = ((_M_MMAP_THRESHOLD, KEEP_BYTES), (_M_TRIM_THRESHOLD, KEEP_BYTES), (_M_TOP_PAD, TOP_PAD_BYTES))
    if not all(mallopt(option, value) == 1 for option, value in settings):
        return False
    pa.set_memory_pool(pa.system_memory_pool())
    return True
