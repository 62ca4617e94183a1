"""`policywatch history`: an article's revisions, as a diff."""
from __future__ import annotations

import sys

from core.config import Config

from .flags import _index_flags
from .shared import _opened


def cmd_history(args, cfg: Config) -> int:
    import difflib
    with _opened(cfg) as index:
        versions = index.history(args.id)
    if not versions:
        print(f"policywatch: no article with id {args.id}", file=sys.stderr)
        return 1
    print(f"{len(versions)} version(s) of {args.id}; {len(versions) - 1} revision(s)")
    for older, newer in zip(versions, versions[1:]):
        a = [older.title, ""] + older.body
        b = [newer.title, ""] + newer.body
        sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(
            a, b, fromfile=f"fetched {older.fetched}", tofile=f"fetched {newer.fetched}", lineterm=""))
    if len(versions) == 1:
        print(f"fetched {versions[0].fetched}: unchanged since")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("history", help="an article's revisions, as a diff")
    p.add_argument("id", metavar="ID")
    _index_flags(p)
    p.set_defaults(func=cmd_history)
