"""What every route needs, built once per app: the index, the gazetteer, the saved-search store
and the token. Routes reach it as `request.app.state.services`."""
from __future__ import annotations

import hmac
import logging
import threading

from index import Index, open_index, parse
from index.query import Node
from core import notes
from core.config import DEFAULT_STATE, Config

from .errors import Forbidden
from .saved import SavedSearches
from .search import OutletList

logger = logging.getLogger(__name__)


class _NoGazetteer:
    """Stands in when the nlp package cannot be imported: names are taken as written."""

    def resolve(self, name: str):
        return None

    def aliases(self, canonical: str) -> list[str]:
        return []


class Services:
    def __init__(self, cfg: Config, token: str | None = None, state: str = DEFAULT_STATE,
                 environ: dict | None = None):
        self.cfg = cfg
        self.environ = environ or {}      # for ${VAR} in alert channel URLs (web/alerts.py)
        self.token = token or None
        self.saved = SavedSearches(state)
        self._index: Index | None = None
        self._gazetteer = None
        self._collections: dict[str, list[str]] | None = None
        self._lock = threading.Lock()
        self._outlets = OutletList()

    # -- the index and the gazetteer, opened on first use -------------------------------------
    @property
    def index(self) -> Index:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    # never create one: a typo'd path would serve an empty index in place of the user's
                    self._index = open_index(self.cfg.index_url, create=False, **self.cfg.index_options)
        return self._index

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            with self._lock:
                if self._gazetteer is None:
                    self._gazetteer = _load_gazetteer(self.cfg.gazetteers)
        return self._gazetteer

    def collections(self) -> dict[str, list[str]]:
        """{collection: [outlets]} from the sources file (`serve --sources`), read once."""
        if self._collections is None:
            from core.sources import outlets
            from ingest.sources import collections
            self._collections = collections(outlets(self.cfg))
        return self._collections

    def warm(self) -> None:
        """Open the index, load the gazetteer and the sources file's collections now, so a bad
        setting fails before serving."""
        self.index
        self.gazetteer
        self.collections()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def outlets(self) -> list[str]:
        """Every outlet in the index (cached for a few minutes)."""
        return self._outlets.get(self.index)

    # -- names and queries -----------------------------------------------------------------------
    def resolve(self, name: str) -> tuple[str, str] | None:
        """(canonical name, type) for a canonical name or alias the gazetteer knows."""
        return self.gazetteer.resolve(name)

    def canonical(self, name: str) -> str:
        found = self.resolve(name)
        return found[0] if found else name

    def aliases(self, canonical: str) -> list[str]:
        return list(self.gazetteer.aliases(canonical))

    def parse_query(self, text: str | None) -> Node:
        """The CLI's query language; entity: filters accept aliases. Raises QueryError."""
        def resolve(name: str) -> str | None:
            found = self.resolve(name)
            return found[0] if found else None
        return parse(text or "", resolve_entity=resolve,
                     resolve_collection=lambda name: notes.members(self.collections(), name))

    # -- the token ---------------------------------------------------------------------------------
    @property
    def token_required(self) -> bool:
        return self.token is not None

    def check_token(self, supplied: str | None) -> None:
        if self.token is None:
            return
        if not supplied or not hmac.compare_digest(supplied.encode(), self.token.encode()):
            raise Forbidden("saving or deleting a search needs the server's token")


def _load_gazetteer(paths: list[str]):
    try:
        from nlp import Gazetteer
    except ImportError as exc:
        logger.warning("the nlp package is unavailable (%s): entity names are used as written", exc)
        return _NoGazetteer()
    return Gazetteer.load(paths or None)
