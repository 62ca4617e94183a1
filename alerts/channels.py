"""Channels are Apprise URLs (https://github.com/caronc/apprise: e-mail over SMTP, Slack, Teams,
Telegram, ntfy, Matrix, a generic JSON webhook, …). An alert keeps each URL as given, so secrets
stay out of the index: `${VAR}` is filled from the environment at send time, and a bare NAME is
the config file's `channels: {NAME: URL}` entry. Whatever is shown or logged is redacted with
Apprise's own privacy rendering (passwords and tokens as ****)."""
from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

import apprise

from common.errors import BadUsage

logger = logging.getLogger(__name__)

_APPRISE_LOGGER = "apprise"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
EMAIL = ("mailto", "mailtos")
WEBHOOK = ("json", "jsons")


class ChannelError(BadUsage):
    """A channel URL Apprise cannot use, a missing ${VAR}, an unknown named channel (exit 2)."""


@dataclass(frozen=True)
class Secrets:
    """What channel URLs are filled from: the environment and the config file's named channels,
    handed down from the CLI's edge."""
    environ: Mapping[str, str]
    named: Mapping[str, str]


def expand(url: str, secrets: Secrets) -> str:
    """The URL Apprise gets: a named channel looked up, each ${VAR} filled in."""
    if "://" not in url:
        if url not in secrets.named:
            known = ", ".join(sorted(secrets.named)) or "none in the config file"
            raise ChannelError(f"unknown channel '{url}': give an Apprise URL or a name from the config "
                               f"file's channels ({known})")
        url = secrets.named[url]

    def fill(match: re.Match) -> str:
        if match[1] not in secrets.environ:
            raise ChannelError(f"channel URL needs ${{{match[1]}}}, which is not set in the environment")
        return secrets.environ[match[1]]
    return _VAR.sub(fill, url)


def _secret_values(url: str, secrets: Secrets) -> list[str]:
    """The parts of a URL that must never be shown: filled-in variables and the password."""
    found = [secrets.environ.get(m[1], "") for m in _VAR.finditer(secrets.named.get(url, url))]
    try:
        password = urlsplit(expand(url, secrets)).password
    except (ChannelError, ValueError):
        password = None
    return [s for s in found + [password or ""] if len(s) >= 3]


def instantiate(url: str):
    """Apprise's plugin for a URL, or ChannelError."""
    with _apprise_logs():                # its complaint would name the secret
        plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise ChannelError(f"bad channel URL '{_masked(url)}': Apprise does not know this scheme or "
                           "cannot read the URL (see https://github.com/caronc/apprise/wiki)")
    return plugin


def check(url: str, secrets: Secrets) -> None:
    """ChannelError unless the channel could be sent to now (every ${VAR} set, a URL Apprise reads)."""
    instantiate(expand(url, secrets))


def _masked(url: str) -> str:
    """A URL Apprise cannot read, with whatever could be a secret starred out."""
    url = _VAR.sub(lambda m: m[0], url)
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1****@", url.split("?")[0])


def redact(url: str, secrets: Secrets) -> str:
    """How a channel is shown: Apprise's privacy URL (no options); a named channel by its name."""
    if "://" not in url:
        return f"{url} (named channel)"
    shown = _VAR.sub(lambda m: "****", url) if any(m[1] not in secrets.environ for m in _VAR.finditer(url)) \
        else expand(url, secrets)
    with _apprise_logs():
        plugin = apprise.Apprise.instantiate(shown) if "://" in shown else None
        text = plugin.url(privacy=True) if plugin else _masked(shown)
    return text.split("?")[0]


@contextmanager
def _apprise_logs():
    """Apprise's log lines, kept from the application's logs (they can name a URL's user or part of
    a token): yields Apprise's LogCapture, whose text is read and redacted before anything is said."""
    source = logging.getLogger(_APPRISE_LOGGER)
    propagate, source.propagate = source.propagate, False
    try:
        with apprise.LogCapture(level=logging.WARNING) as captured:
            yield captured
    finally:
        source.propagate = propagate


def send(url: str, secrets: Secrets, title: str, text: str, html: str, payload: dict) -> str | None:
    """Deliver one message to one channel: None once the channel accepted it, else why not
    (one line, redacted). E-mail gets the HTML (Apprise adds a plain-text part derived from it);
    a JSON webhook gets the payload as its `message`; any other channel the plain text."""
    try:
        plugin = instantiate(expand(url, secrets))
    except ChannelError as exc:
        return str(exc)
    scheme = urlsplit(expand(url, secrets)).scheme.lower()
    if scheme in EMAIL:
        body, form = html, apprise.NotifyFormat.HTML
    elif scheme in WEBHOOK:
        body, form = json.dumps(payload, ensure_ascii=False), apprise.NotifyFormat.TEXT
    else:
        body, form = text, apprise.NotifyFormat.TEXT
    with _apprise_logs() as captured:
        ok = plugin.notify(body=body, title=title, body_format=form)
    if ok:
        return None
    # Apprise's lines read "DATE - LEVEL - message": the last message says why
    lines = [line.split(" - ", 2)[-1].strip() for line in captured.getvalue().splitlines() if line.strip()]
    reason = lines[-1] if lines else "the channel did not accept the message"
    for value in _secret_values(url, secrets):
        reason = reason.replace(value, "****")
    return reason[:300]
