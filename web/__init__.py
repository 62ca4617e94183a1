"""The web stage: a FastAPI app with server-rendered pages and a JSON API over the index interface.
May import everything but policywatch/ (alerts/ included, for the alert pages).

`create_app(cfg)` builds the app (routes in `app.py`); the modules beside it do the work:
`search` (URL state → SearchRequest), `articles`, `entities` (timelines, co-mentions),
`charts` (SVG geometry), `saved` (saved searches in a small SQLite file), `feeds` (Atom),
`exports` (streamed CSV/JSON lines); `services` holds the index, gazetteer and token,
`urls` and `templating` serve the Jinja2 templates in `templates/`.
"""
