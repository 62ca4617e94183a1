"""`policywatch serve`: the web UI and JSON API."""
from __future__ import annotations

from core.config import Config, DEFAULT_STATE

from .flags import _bounded, _gazetteer_flag, _index_flags, _sources_flag


def cmd_serve(args, cfg: Config) -> int:
    # The composition root: the one place the CLI reaches into web/ (lazily, so other commands never
    # load FastAPI). Both stand on core/; nothing else in policywatch/ imports web/.
    from web.app import serve
    serve(cfg, host=args.host, port=args.port, token=cfg.token, state=args.state)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="the web UI and JSON API")
    _index_flags(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_bounded(1, 65535), default=8000)
    p.add_argument("--token", help="require this token to save or delete searches; env POLICYWATCH_TOKEN")
    p.add_argument("--state", default=DEFAULT_STATE, metavar="FILE", help="where saved searches live")
    _gazetteer_flag(p)
    _sources_flag(p)
    p.set_defaults(func=cmd_serve)
