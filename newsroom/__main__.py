"""`python -m newsroom`: serve the sample newsroom until Ctrl-C or SIGTERM."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from .catalog import OUTLETS
from .server import DEFAULT_PORT, NewsroomError, start
from .sources import sources_yaml


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m newsroom", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="first port: yonhap, dmr and faults get this one and the next two "
                             f"(default {DEFAULT_PORT}; 0 picks free ports)")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="add N synthetic articles to yonhap and to dmr (default 0)")
    parser.add_argument("--write-sources", type=Path, metavar="FILE",
                        help="write a PolicyWatch sources YAML file for the running outlets")
    parser.add_argument("--slow-seconds", type=float, default=30.0,
                        help="how long the faults outlet's slow and drip pages take (default 30)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        newsroom = start(args.host, args.port, args.scale, outlets=OUTLETS, slow_seconds=args.slow_seconds,
                         drip_seconds=args.slow_seconds)
    except NewsroomError as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return 1
    for name, url in newsroom.urls.items():
        print(f"{name:8} {url}/", flush=True)
    if args.write_sources:
        args.write_sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
        print(f"sources written to {args.write_sources}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        newsroom.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
