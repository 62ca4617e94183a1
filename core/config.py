"""Configuration, read once at the edge (the CLI and `policywatch serve` call from_args), each
value from the first of: command-line flag → environment → the user's config file → package
default. The user file is YAML at $POLICYWATCH_CONFIG, else $XDG_CONFIG_HOME/policywatch/config.yaml
(~/.config/policywatch/config.yaml); a team puts its index URL, API key and gazetteers there once."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from datetime import datetime, timedelta, timezone

import yaml

from common.dates import parse_iso
from common.errors import BadUsage
from archive.warc import default_dir
from index import DEFAULT_INDEX

ENV_INDEX = "POLICYWATCH_INDEX"
ENV_ES_API_KEY = "POLICYWATCH_ES_API_KEY"
ENV_ES_CA_CERTS = "POLICYWATCH_ES_CA_CERTS"
ENV_GAZETTEER = "POLICYWATCH_GAZETTEER"      # extra gazetteer files, separated by os.pathsep
ENV_LOCK_DIR = "POLICYWATCH_LOCK_DIR"        # where per-source crawl locks live (default data/locks)
ENV_TOKEN = "POLICYWATCH_TOKEN"              # protects saving and deleting searches in the web UI
ENV_CONFIG = "POLICYWATCH_CONFIG"            # the user's config file (default below)
ENV_BASE_URL = "POLICYWATCH_BASE_URL"        # the web UI's address, for links in alert messages

# what the user file may set: its key → (type, what it holds)
FILE_KEYS = {"index": (str, "index URL"), "es_api_key": (str, "Elasticsearch API key"),
             "es_ca_certs": (str, "CA certificate file"), "gazetteers": (list, "extra gazetteer files"),
             "lock_dir": (str, "crawl lock folder"), "token": (str, "web UI write token"),
             "archive": (str, "WARC archive folder"), "sources": (str, "sources file"),
             "channels": (dict, "named alert channels (NAME: Apprise URL)"),
             "base_url": (str, "web UI address for alert links"),
             "alert_settle": ((int, float), "seconds alerts leave to writes in flight")}
_KIND_TEXT = {list: "a list of paths", dict: "a mapping of names to texts", (int, float): "a number of seconds"}

DEFAULT_STATE = "data/web.db"                # the web UI's saved searches (serve --state)
DEFAULT_LOCK_DIR = "data/locks"


@dataclass
class Config:
    index_url: str
    index_options: dict = field(default_factory=dict)
    gazetteers: list[str] = field(default_factory=list)
    lock_dir: str = DEFAULT_LOCK_DIR
    token: str | None = None
    archive_dir: str = "data/archive"        # the crawl's WARC files (--archive; derived from the index)
    sources: str | None = None          # the sources file collections come from (None: the shipped one)
    sources_text: str | None = None     # its contents as the index's last crawl recorded them (adopt_sources)
    channels: dict = field(default_factory=dict)    # named alert channels: NAME -> Apprise URL (may hold secrets)
    base_url: str | None = None         # the web UI's address, for links in alert messages
    alert_settle: float | None = None   # alerts/run.py's SETTLE, when the user file sets it


def user_file(environ=os.environ) -> Path:
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    base = environ.get("XDG_CONFIG_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".config"
    return Path(base) / "policywatch" / "config.yaml"


def read_user_file(path: Path, required: bool = False) -> dict:
    """The user file's settings; {} when there is none. A file that cannot be used is bad usage,
    named with the key at fault, never silently ignored."""
    if not path.is_file():
        if required:
            raise BadUsage(f"config file {path} (from {ENV_CONFIG}) does not exist")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadUsage(f"config file {path} cannot be read: {str(exc).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadUsage(f"config file {path}: expected 'key: value' lines ({', '.join(FILE_KEYS)})")
    for key, value in data.items():
        if key not in FILE_KEYS:
            raise BadUsage(f"config file {path}: unknown key '{key}' (known: {', '.join(FILE_KEYS)})")
        kind, what = FILE_KEYS[key]
        if not isinstance(value, kind) or isinstance(value, bool) \
                or (kind is list and not all(isinstance(v, str) for v in value)) \
                or (kind is dict and not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
            shown = "…" if key == "channels" else repr(value)       # channel URLs may hold passwords
            raise BadUsage(f"config file {path}: '{key}' is the {what}: {_KIND_TEXT.get(kind, 'a text')}, "
                           f"not {shown}")
    return data


def from_args(args, environ=os.environ) -> Config:
    """Flag → environment → user file → package default, for every value."""
    user = read_user_file(user_file(environ), required=bool(environ.get(ENV_CONFIG)))
    options = {}
    api_key = getattr(args, "es_api_key", None) or environ.get(ENV_ES_API_KEY) or user.get("es_api_key")
    ca_certs = getattr(args, "es_ca_certs", None) or environ.get(ENV_ES_CA_CERTS) or user.get("es_ca_certs")
    if api_key:
        options["api_key"] = api_key
    if ca_certs:
        options["ca_certs"] = ca_certs
    gazetteers = list(getattr(args, "gazetteer", None) or [])
    if not gazetteers and environ.get(ENV_GAZETTEER):
        gazetteers = [p for p in environ[ENV_GAZETTEER].split(os.pathsep) if p]
    gazetteers = gazetteers or list(user.get("gazetteers") or [])
    index_url = getattr(args, "index", None) or environ.get(ENV_INDEX) or user.get("index") or DEFAULT_INDEX
    return Config(index_url=index_url, index_options=options, gazetteers=gazetteers,
                  lock_dir=environ.get(ENV_LOCK_DIR) or user.get("lock_dir") or DEFAULT_LOCK_DIR,
                  token=getattr(args, "token", None) or environ.get(ENV_TOKEN) or user.get("token"),
                  archive_dir=(getattr(args, "archive", None) or user.get("archive")
                               or str(default_dir(index_url))),
                  sources=getattr(args, "sources", None) or user.get("sources"),
                  channels=dict(user.get("channels") or {}),
                  base_url=getattr(args, "base_url", None) or environ.get(ENV_BASE_URL) or user.get("base_url"),
                  alert_settle=user.get("alert_settle"))


# Dates a search may ask for: wide enough for any news archive, narrow enough that a day added to
# the end (or a time zone applied) can never overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_date(value: str | None, end: bool = False) -> datetime | None:
    """YYYY-MM-DD (a whole UTC day; as --to, the day is included) or an ISO date-time."""
    if not value:
        return None
    moment = parse_iso(value)        # YYYY-MM-DD reads as that day's UTC midnight
    if moment is None:
        raise BadUsage(f"bad date '{value}': use YYYY-MM-DD or an ISO 8601 date-time")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadUsage(f"bad date '{value}': use a date from {FIRST_YEAR} to {LAST_YEAR}")
    if len(value) == 10:
        return moment + timedelta(days=1) if end else moment
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_range(date_from: str | None, date_to: str | None) -> tuple[datetime | None, datetime | None]:
    """--from and --to together; a window that ends before it starts is bad usage, not an empty answer."""
    start, end = parse_date(date_from), parse_date(date_to, end=True)
    if start and end and start >= end:
        raise BadUsage(f"reversed range: the start ({date_from}) is after the end ({date_to})")
    return start, end
