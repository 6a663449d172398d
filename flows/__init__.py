"""Prefect flows: the entry points that build settings and drive scrapers, transforms and the
warehouse. Importing this package plugs Prefect's Secret blocks into the scrapers' secret store."""

from flows.secrets import read_secret_block
from scrapers.settings import use_secret_store

use_secret_store(read_secret_block)
