"""A digest as people and programs read it: plain text (chat channels, the demo, `alert test
--dry-run`), HTML (e-mail; Apprise's e-mail sends it as multipart/alternative with a plain-text
part it derives from this HTML), and the JSON payload webhooks get (documented in docs/alerts.md)."""
from __future__ import annotations

from html import escape

from .digest import Digest, Item

PAYLOAD_VERSION = 1


def title(digest: Digest) -> str:
    if digest.empty:
        return f"PolicyWatch alert '{digest.alert}': nothing new"
    return f"PolicyWatch alert '{digest.alert}': {digest.stories} new stor{'y' if digest.stories == 1 else 'ies'}"


def _period(digest: Digest) -> str:
    return f"indexed {'since ' + digest.start if digest.start else 'so far'}, up to {digest.end}"


def _meta(item: Item) -> str:
    parts = [item.source, (item.published or "undated")[:10], item.language or "?"]
    line = " · ".join(parts)
    if item.more:
        line += f" · and {item.more} more outlet{'s' if item.more > 1 else ''}"
    return line


def _action(a: dict) -> str:
    """'action investigation', or for a case alert 'new stage charge (Paris prosecutor's office)'."""
    if a.get("news"):
        return f"{a['news']} {a['action']}" + (f" ({a['authority']})" if a.get("authority") else "")
    return f"action {a['action']}"


def text(digest: Digest) -> str:
    lines = [title(digest), f"Query: {digest.query} ({digest.every}; {_period(digest)})",
             f"Coverage: {digest.coverage.summary()}", ""]
    if digest.empty:
        lines.append("Nothing new matched in this period.")
    for n, item in enumerate(digest.items, 1):
        lines.append(f"{n}. {item.title}")
        lines.append(f"   {_meta(item)}")
        if item.snippet:
            lines.append(f"   {item.snippet}")
        for e in item.entities:
            lines.append(f"   - {e['name']} ({e['type']})" + (f": {e['sentence']}" if e["sentence"] else ""))
        for a in item.actions:
            lines.append(f"   - {_action(a)}: {a['sentence']}")
        lines.append(f"   original: {item.url}")
        if item.link:
            lines.append(f"   in PolicyWatch: {item.link}")
        lines.append("")
    if digest.stories > len(digest.items):
        lines.append(f"… and {digest.stories - len(digest.items)} more stories"
                     + (f": {digest.search_link}" if digest.search_link else ""))
    return "\n".join(lines).rstrip() + "\n"


def html(digest: Digest) -> str:
    e = escape
    out = [f"<h2>{e(title(digest))}</h2>",
           f"<p>Query: <code>{e(digest.query)}</code> ({e(digest.every)}; {e(_period(digest))})</p>",
           f"<p><strong>Coverage:</strong> {e(digest.coverage.summary())}</p>"]
    if digest.empty:
        out.append("<p>Nothing new matched in this period.</p>")
    else:
        out.append("<ol>")
        for item in digest.items:
            links = f'<a href="{e(item.url)}">original</a>'
            if item.link:
                links += f' · <a href="{e(item.link)}">in PolicyWatch</a>'
            facts = "".join(f"<li>{e(x['name'])} ({e(x['type'])}){': ' + e(x['sentence']) if x['sentence'] else ''}</li>"
                            for x in item.entities)
            facts += "".join(f"<li>{e(_action(x))}: {e(x['sentence'])}</li>" for x in item.actions)
            out.append(f"<li><p><strong>{e(item.title)}</strong><br><small>{e(_meta(item))}</small></p>"
                       f"<p>{e(item.snippet)}</p>" + (f"<ul>{facts}</ul>" if facts else "") + f"<p>{links}</p></li>")
        out.append("</ol>")
    if digest.stories > len(digest.items):
        more = f"… and {digest.stories - len(digest.items)} more stories"
        out.append(f'<p><a href="{e(digest.search_link)}">{e(more)}</a></p>' if digest.search_link
                   else f"<p>{e(more)}</p>")
    return "\n".join(out) + "\n"


def payload(digest: Digest) -> dict:
    """The webhook's JSON (docs/alerts.md): versioned, one object per story."""
    return {"version": PAYLOAD_VERSION, "title": title(digest), **digest.record()}
