"""Helpers of the sweep for unmasked numbers (issue 9, tests/test_sweep.py).

The needles are every full ID number (18 characters, checksum-valid: GB 11643) and every
mobile number (1[3-9] and 9 digits) stored anywhere in Pinzhi's tables, read from the
database itself, not from a list kept by hand: a new table holding a number joins the
sweep without anyone remembering it. The haystacks are what a user gets: pages found by
following links, API answers, export files, log records.
"""

import datetime as dt
import html
import io
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urldefrag, urljoin, urlsplit

from django.apps import apps
from django.db import models

from pinzhi.core.masking import id_number_checksum_ok

ID_SHAPE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE_SHAPE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# Fields that hold secrets or digests, never a person's number (a hex digest may hold
# an 11-digit run by chance).
NOT_SCANNED = {"password", "digest", "key", "session_key", "session_data", "secret"}


def check_character(first17: str) -> str:
    """The 18th character of an ID number (ISO 7064 MOD 11-2), to build valid ones."""
    for c in "0123456789X":
        if id_number_checksum_ok(first17 + c):
            return c
    raise ValueError(first17)


def valid_id(first17: str) -> str:
    return first17 + check_character(first17)


def numbers_in(text: str) -> set[str]:
    """The full ID numbers (checksum-valid) and mobile numbers written in `text`."""
    ids = {m.upper() for m in ID_SHAPE.findall(text) if id_number_checksum_ok(m)}
    return ids | set(MOBILE_SHAPE.findall(text))


def _text_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f.name not in NOT_SCANNED]


def stored_numbers() -> set[str]:
    """Every full number stored in a text or JSON column of Pinzhi's own tables (the
    users' table included), in any row, voided or not."""
    found = set()
    for model in apps.get_models():
        if not (model.__module__.startswith("pinzhi.")):
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields).iterator():
            for value in row:
                if value:
                    found |= numbers_in(str(value))
    return found


def numbers_at_rest() -> dict[str, set[str]]:
    """{table: full numbers} written in the clear in any column of any table of the
    database (Django's and the libraries' too), read with raw SQL as a stolen copy of the
    database would be read: what the ORM unseals does not count."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = {n for row in cursor.fetchall() for v in row
                     if isinstance(v, str | bytes | memoryview | dict | list)
                     for n in numbers_in(v if isinstance(v, str) else str(bytes(v))
                                         if isinstance(v, bytes | memoryview) else str(v))}
            if names:
                found[table] = names
    return found


def leaks(text: str, needles: set[str]) -> set[str]:
    """The needles written in `text` (HTML entities decoded), whatever surrounds them."""
    text = html.unescape(text)
    return {n for n in needles if n in text}


# -- reading an answer as text ---------------------------------------------------------


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join("\t".join("" if v is None else str(v) for v in row)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def pdf_text(content: bytes) -> str | None:
    """A PDF's text by poppler's pdftotext (installed by .ci/run); None without it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run([tool, "-q", "-", "-"], input=content, capture_output=True,
                          timeout=60, check=False)
    return done.stdout.decode("utf-8", errors="replace")


def body_text(response) -> str | None:
    """An answer's body as text (a PDF's by pdftotext); None for a body that is not text
    (images), or a PDF where pdftotext is missing."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        return xlsx_text(content)
    if kind.startswith("application/pdf"):
        return pdf_text(content)
    if kind.startswith(("text/", "application/json", "application/vnd.oai")) or not kind:
        return content.decode("utf-8-sig", errors="replace")
    if "csv" in kind:
        return content.decode("utf-8-sig", errors="replace")
    return None


# -- walking the site ------------------------------------------------------------------

LINK = re.compile(r'(?:href|hx-get)\s*=\s*"([^"]+)"')


@dataclass
class Visit:
    url: str
    status: int
    text: str | None  # None: not text (a PDF), not read


def links_in(page_url: str, text: str) -> Iterator[str]:
    for raw in LINK.findall(text):
        url = urldefrag(urljoin(page_url, html.unescape(raw))).url
        parts = urlsplit(url)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, *, start=("/",), limit: int, skip) -> list[Visit]:
    """Breadth-first GET of every same-site link (href, hx-get) from `start`, redirects
    followed within the site, each URL once, at most `limit` URLs; `skip(path)` says
    which not to ask for (sign-out, the reveal URLs)."""
    queue, seen, visits = deque(start), set(start), []
    while queue and len(visits) < limit:
        url = queue.popleft()
        response = client.get(url)
        text = body_text(response)
        visits.append(Visit(url, response.status_code, text))
        found = []
        if response.status_code in (301, 302, 303, 307, 308):
            found = [urlsplit(response["Location"]).path]
        elif text is not None and "html" in response.get("Content-Type", ""):
            found = links_in(url, text)
        for link in found:
            if link not in seen and not skip(link):
                seen.add(link)
                queue.append(link)
    return visits


# -- the API ---------------------------------------------------------------------------

API = "/api/v1/"


def _key(obj, lookup: str) -> str:
    value = attrgetter(lookup.replace("__", "."))(obj)
    return f"{value:%Y-%m}" if isinstance(value, dt.date) else str(value)  # a month


def api_urls(per_resource: int = 60) -> list[str]:
    """Every list of the router (`page_size` at its most), the detail of every row of
    its model (at most `per_resource`, voided ones too: a 404 is an answer as well), the
    GET actions (never `unmask`), and the paths areas add after the router's, filled
    with every policy's and agent's key."""
    from pinzhi.api.urls import router
    from pinzhi.org.models import Agent
    from pinzhi.policies.models import Policy

    urls = [API]
    for prefix, viewset, _basename in router.registry:
        urls += [f"{API}{prefix}/?page_size=500", f"{API}{prefix}/?page_size=500"
                 "&include_voided=1", f"{API}{prefix}/?page_size=500&period=2026H1"]
        lookup = getattr(viewset, "lookup_field", "pk")
        actions = [a for a in viewset.get_extra_actions()
                   if "get" in a.mapping and a.url_path != "unmask"]
        for action in actions:
            if not action.detail:
                urls.append(f"{API}{prefix}/{action.url_path}/")
        if viewset.queryset is None:  # not a model's rows (scores): lists only
            continue
        model = viewset.queryset.model
        for obj in model._base_manager.order_by("pk")[:per_resource]:
            key = _key(obj, lookup)
            urls.append(f"{API}{prefix}/{key}/")
            urls += [f"{API}{prefix}/{key}/{a.url_path}/?page_size=500"
                     for a in actions if a.detail]
    for policy in Policy.objects.order_by("policy_no"):
        urls += [f"{API}policies/{policy.policy_no}/callback/",
                 f"{API}policies/{policy.policy_no}/callback/attempts/"]
    for agent in Agent.objects.order_by("code"):
        urls += [f"{API}statements/{agent.code}/forecast/",
                 *(f"{API}statements/{agent.code}/{month}/" for month in ("2026-03", "2026-04")),
                 f"{API}indicators/?agent={agent.code}"]
    urls += [f"{API}indicators/", f"{API}promotion/?period=2026H1&page_size=500",
             f"{API}promotion/"]
    return list(dict.fromkeys(urls))

