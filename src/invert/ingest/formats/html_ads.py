"""Saved web pages of online ads: one ``.html`` page, or a ZIP archive of pages.

Investigators and scrapers keep what they saw as the page itself ("save page as", a crawler's
dump), so INVERT reads the page, not a scraper's idea of it:

* the schema.org ``JobPosting`` that most job boards embed as JSON-LD for search engines gives
  the title, text, posting date, employer, place and pay as the platform itself stated them;
* otherwise the page's main text is taken with trafilatura, which drops menus, footers and
  cookie banners, and the page's metadata (canonical URL, site name, date) with it;
* ``tel:``, ``mailto:`` and messaging-app links give the contacts the page offered as buttons.

One row per page; ``source_row`` is the page's place in the archive (members sorted by name),
and ``page`` names the member, so a prosecutor can open the very page a fact came from. Times
given with an offset are kept as UTC. A page
with no text is rejected with the reason, never dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import trafilatura
from lxml import html as lxml_html

from invert.errors import InvalidData
from invert.ingest.formats import Parsed, Reject, rows_to_table

COLUMNS = [
    "page",
    "platform",
    "url",
    "title",
    "body",
    "language",
    "posted_at",
    "location",
    "country",
    "pay_amount",
    "pay_period",
    "currency",
    "employer_name",
    "phone",
    "email",
    "handle",
]
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
# schema.org unitText of a salary → the period words of the Ad model.
PERIODS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
BLOCKS = ("p", "br", "li", "div", "h1", "h2", "h3", "h4", "tr")
# Fewer words than this is a page without an ad on it (a login wall, a cookie page).
MIN_WORDS = 5
# Messaging-app links and the handle they stand for.
APP_LINKS = [
    (re.compile(r"(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?(\d{6,15})"), "whatsapp:+{}"),
    (re.compile(r"t\.me/([A-Za-z0-9_]{4,32})"), "telegram:@{}"),
    (re.compile(r"viber://chat\?number=%?2?B?\+?(\d{6,15})"), "viber:+{}"),
]


def is_page_archive(path: Path) -> bool:
    """A ZIP whose members are mostly web pages (an .xlsx is a ZIP too, of XML parts)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    pages = [n for n in names if n.lower().endswith(PAGE_SUFFIXES)]
    return bool(pages) and len(pages) * 2 >= len(names)


def parse(path: Path) -> Parsed:
    rows: list[dict[str, str | int | None]] = []
    rejects: list[Reject] = []
    for number, (name, content) in enumerate(_pages(path), start=1):
        try:
            row = read_page(content)
        except ValueError as exc:
            rejects.append((number, "body", f"page {name}: {exc}", name))
            continue
        rows.append({"source_row": number, "page": name, **row})
    return Parsed(rows_to_table(COLUMNS, rows), rejects)


def _pages(path: Path) -> list[tuple[str, bytes]]:
    if path.suffix.lower() in PAGE_SUFFIXES:
        return [(path.name, path.read_bytes())]
    try:
        with zipfile.ZipFile(path) as zf:
            names = sorted(n for n in zf.namelist() if n.lower().endswith(PAGE_SUFFIXES))
            return [(n, zf.read(n)) for n in names]
    except zipfile.BadZipFile as exc:
        raise InvalidData(
            f"{path.name}: not a readable ZIP of saved pages ({exc}); "
            "zip the folder of .html files again, or ingest the pages one by one"
        ) from exc


def read_page(content: bytes) -> dict[str, Any]:
    """The ad on one saved page, as the columns of the ``html_ads`` mapping."""
    try:
        tree = lxml_html.fromstring(content)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ValueError(f"not an HTML page ({exc})") from exc
    posting = _job_posting(tree)
    meta = trafilatura.bare_extraction(content, with_metadata=True, favor_recall=True)
    row: dict[str, Any] = {
        "url": _first(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
        or (meta.url if meta else None),
        "platform": _first(tree, "//meta[@property='og:site_name']/@content")
        or (meta.sitename if meta else None),
        "language": (tree.get("lang") or "").split("-")[0].lower() or None,
        "title": _first(tree, "//meta[@property='og:title']/@content")
        or (meta.title if meta else None),
        "posted_at": _first(tree, "//meta[@property='article:published_time']/@content")
        or (meta.date if meta else None),
        "body": meta.text if meta else None,
    }
    if posting:
        row.update({k: v for k, v in _from_posting(posting).items() if v not in (None, "")})
    row["posted_at"] = _utc(row["posted_at"])
    if row["url"] and not row["platform"]:
        row["platform"] = urlparse(row["url"]).hostname
    row.update(_contacts(tree))
    if len((row.get("body") or "").split()) < MIN_WORDS:
        raise ValueError(
            "no ad text found in the page (a listing page, a login wall or a page saved "
            "before it loaded?); save the ad's own page"
        )
    return row


def _utc(stamp: Any) -> str | None:
    """An ISO time with an offset as UTC wall time (the workspace stores times without zone);
    anything else unchanged, for the datetime type to accept or quarantine."""
    try:
        parsed = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return None if stamp is None else str(stamp)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.isoformat()


def _first(tree: Any, *xpaths: str) -> str | None:
    for xp in xpaths:
        found = [str(v).strip() for v in tree.xpath(xp) if str(v).strip()]
        if found:
            return found[0]
    return None


def _job_posting(tree: Any) -> dict[str, Any] | None:
    """The first schema.org JobPosting in the page's JSON-LD blocks (also inside @graph)."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type")
            if kinds == "JobPosting" or (isinstance(kinds, list) and "JobPosting" in kinds):
                return item
            stack.extend(item.get("@graph", []))
    return None


def _from_posting(p: dict[str, Any]) -> dict[str, Any]:
    org = p.get("hiringOrganization")
    place = p.get("jobLocation")
    place = place[0] if isinstance(place, list) and place else place
    address = place.get("address", {}) if isinstance(place, dict) else {}
    address = address if isinstance(address, dict) else {"addressLocality": str(address)}
    country = address.get("addressCountry")
    salary = p.get("baseSalary") if isinstance(p.get("baseSalary"), dict) else {}
    value = salary.get("value", {})
    value = value if isinstance(value, dict) else {"value": value}
    amount = value.get("value", value.get("minValue"))
    description = p.get("description")
    if description and "<" in description:
        description = _text_of(description)
    return {
        "title": p.get("title"),
        "body": description,
        "posted_at": p.get("datePosted"),
        "employer_name": org.get("name") if isinstance(org, dict) else org,
        "location": address.get("addressLocality"),
        "country": country.get("name") if isinstance(country, dict) else country,
        "pay_amount": amount,
        "currency": salary.get("currency"),
        "pay_period": PERIODS.get(str(value.get("unitText", "")).upper()),
    }


def _text_of(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per paragraph, list item or line break."""
    root = lxml_html.fromstring(f"<div>{fragment}</div>")
    for el in root.iter(*BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return re.sub(r"\n\s*\n+", "\n", root.text_content()).strip()


def _contacts(tree: Any) -> dict[str, str | None]:
    """The page's contact buttons: the first tel:, mailto: and messaging-app link."""
    hrefs = [str(h).strip() for h in tree.xpath("//a/@href")]
    phone = next((unquote(h[4:]) for h in hrefs if h.lower().startswith("tel:")), None)
    email = next(
        (unquote(h[7:]).split("?")[0] for h in hrefs if h.lower().startswith("mailto:")), None
    )
    handle = None
    for h in hrefs:
        for pattern, form in APP_LINKS:
            if m := pattern.search(h):
                handle = form.format(m.group(1))
                break
        if handle:
            break
    return {"phone": phone, "email": email, "handle": handle}
