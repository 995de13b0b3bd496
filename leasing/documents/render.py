"""Contract PDFs: a locked-down Jinja environment over ``contracts/`` and WeasyPrint.

* Templates come from ``contracts/`` only (plus ``CONTRACTS_EXTRA_PATH`` in tests), autoescaped,
  with StrictUndefined: a missing term fails loudly instead of printing an empty line.
* Numbers, money and dates are formatted in the *document's* language with the Finnish regional
  locales (fi_FI, sv_FI, en_FI) through Babel directly, whatever the reader's own language.
* WeasyPrint reads nothing but our own files: :class:`ContractURLFetcher` serves ``file:`` URLs
  under the static folder and ``contracts/`` and refuses everything else (other paths, http(s),
  data:, …). WeasyPrint logs the refusal and skips the resource, so a link or image typed by a
  user can never pull a server file into a contract.
* The PDF is PDF/A-3a: tagged (structure tree, /MarkInfo, /Lang) for accessibility law, archival,
  with every font embedded; its /ID is a hash of the content, and its dates come from ``created``,
  so the same input gives byte-identical output.
* WeasyPrint is imported lazily, once per process (it costs ~0.6 s); one FontConfiguration and
  the parsed ``contract.css`` are reused.
"""

import hashlib
import os
import threading
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import jinja2.meta
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_app_context

import config as config_module

CONTRACTS_DIR = config_module.BASE_DIR / "contracts"
STATIC_DIR = config_module.BASE_DIR / "static"
STYLESHEET = "contract.css"
#: Shared files every contract is rendered with, beside its own template and what it includes.
SHARED_FILES = ("_base.html", "_signature_page.html", "_macros.html", STYLESHEET)
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}
HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT_AUTHOR = "Oulun kaupunki, Tilakeskus"
#: PDF/A-3a: tagged with /Lang (accessibility) and archival; pdf/ua-1 would tag too but sets no /ID.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3a"}

_lock = threading.Lock()


class DocumentLanguageError(ValueError):
    """A document language we do not format."""


# --- formatting filters --------------------------------------------------------------------------


def _locale(ctx):
    return LOCALES[ctx["language"]]


@jinja2.pass_context
def money_filter(ctx, amount):
    """Euros in the document's language: ``1 234,50 €`` (fi, sv and en in Finland alike)."""
    if amount is None:
        return ""
    return babel_numbers.format_currency(Decimal(amount), "EUR", locale=_locale(ctx))


@jinja2.pass_context
def number_filter(ctx, value, digits=None):
    """A number with the document language's separators; ``digits`` fixes the decimals."""
    if value is None:
        return ""
    pattern = None if digits is None else ("#,##0." + "0" * digits if digits else "#,##0")
    return babel_numbers.format_decimal(value, format=pattern, locale=_locale(ctx))


@jinja2.pass_context
def date_filter(ctx, value, format="short"):
    """A date (or an instant's Helsinki date): 28.11.2026 in fi/sv, 28/11/2026 in en."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return babel_dates.format_date(value, format=format, locale=_locale(ctx))


@jinja2.pass_context
def datetime_filter(ctx, value, format="short"):
    """An instant in Europe/Helsinki: 28.11.2026 18.00 in Finnish."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format=format, tzinfo=HELSINKI, locale=_locale(ctx))


def _w3c(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the environment -----------------------------------------------------------------------------


def _search_path():
    extra = current_app.config.get("CONTRACTS_EXTRA_PATH") if has_app_context() else None
    return (str(CONTRACTS_DIR), *([str(extra)] if extra else []))


@cache
def _environment_for(search_path):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters.update(money=money_filter, number=number_filter, date=date_filter, datetime=datetime_filter)
    env.globals.update(w3c=_w3c)
    return env


def environment():
    """The contracts' Jinja environment (one per search path, cached)."""
    return _environment_for(_search_path())


def template_files(template):
    """Paths of every file that renders ``template``: itself, what it extends or includes, and the shared files."""
    env = environment()
    seen, todo, paths = set(), [template, *SHARED_FILES[:-1]], []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source, filename, _ = env.loader.get_source(env, name)
        paths.append(Path(filename))
        todo.extend(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n)
    paths.append(CONTRACTS_DIR / STYLESHEET)
    return sorted(paths, key=lambda p: (p.name != template, str(p)))


def template_version(template):
    """SHA-256 over the bytes of every file that renders ``template`` (its version, stored with the PDF)."""
    digest = hashlib.sha256()
    for path in template_files(template):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def render_html(template, context, *, language, title, subject, created, author=DEFAULT_AUTHOR):
    """The contract's HTML: ``template`` from ``contracts/`` with ``context`` and the document's metadata."""
    if language not in LOCALES:
        raise DocumentLanguageError(f"unsupported document language {language!r}")
    if created.tzinfo is None:
        raise ValueError("created must be an aware datetime")
    values = {**context, "language": language, "title": title, "subject": subject, "created": created}
    values["author"] = author
    values.setdefault("document_number", None)
    values.setdefault("document_version", None)
    values.setdefault("signers", [])
    values.setdefault("seal", None)
    return environment().get_template(template).render(values)


# --- WeasyPrint ----------------------------------------------------------------------------------


@cache
def _weasyprint():
    """Import WeasyPrint once, lazily (the app starts fast; a render pays the import once)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration()


def _allowed_roots():
    roots = [STATIC_DIR, CONTRACTS_DIR]
    if has_app_context() and current_app.static_folder:
        roots.append(Path(current_app.static_folder))
    return [Path(os.path.realpath(r)) for r in roots]


def url_fetcher():
    """A fetcher that serves only our static files and contracts/ (see :class:`ContractURLFetcher`)."""
    weasyprint, _ = _weasyprint()
    return _fetcher_class(weasyprint.URLFetcher)(roots=_allowed_roots())


@cache
def _fetcher_class(base):
    class ContractURLFetcher(base):
        """Serves ``file:`` URLs under ``roots``; raises for anything else (WeasyPrint logs and skips it)."""

        def __init__(self, roots):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
            self.roots = roots

        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlsplit

            from weasyprint.urls import URLFetcherResponse

            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"contract resources must be our own files, not {url}")
            path = Path(os.path.realpath(unquote(parts.path)))
            if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
                raise ValueError(f"contract resources must be our own files, not {url}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ContractURLFetcher


_css_cache = {}


def _stylesheet(fetcher):
    """``contract.css`` parsed once (again only when the file changes)."""
    weasyprint, font_config = _weasyprint()
    path = CONTRACTS_DIR / STYLESHEET
    key = path.stat().st_mtime_ns
    with _lock:
        if _css_cache.get("key") != key:
            css = weasyprint.CSS(filename=str(path), font_config=font_config, url_fetcher=fetcher)
            _css_cache.update(key=key, css=css)
        return _css_cache["css"]


def render_pdf(
    template, context, *, language, title, subject, created, author=DEFAULT_AUTHOR, identifier=None
) -> bytes:
    """Render ``contracts/<template>`` with ``context`` to a tagged PDF/A-3a (same input → same bytes).

    ``language`` is "fi", "en" or "sv"; ``created`` (aware) is the PDF's creation and modification date.
    ``identifier`` (optional) becomes the first part of the PDF's /ID, so that two register entries with
    the same text and date still differ; without it the /ID is a hash of the content.
    """
    html = render_html(
        template, context, language=language, title=title, subject=subject, created=created, author=author
    )
    return html_to_pdf(html, identifier=identifier)


#: When a dict, PDFs are remembered by their exact input (the HTML, the identifier and the
#: stylesheet's version): the test suite sets it, because rendering is deterministic (a test proves
#: it with the memo off) and many tests render the very same contract. Production leaves it None.
memo = None


def html_to_pdf(html, identifier=None):
    """WeasyPrint with our fetcher, fonts and stylesheet; resources resolve against ``contracts/``."""
    if memo is None:
        return _html_to_pdf(html, identifier)
    key = hashlib.sha256(f"{(CONTRACTS_DIR / STYLESHEET).stat().st_mtime_ns}\0{identifier}\0{html}".encode()).digest()
    if key not in memo:
        memo[key] = _html_to_pdf(html, identifier)
    return memo[key]


def _html_to_pdf(html, identifier):
    weasyprint, font_config = _weasyprint()
    fetcher = url_fetcher()
    stylesheet = _stylesheet(fetcher)
    document = weasyprint.HTML(string=html, base_url=CONTRACTS_DIR.as_uri() + "/", url_fetcher=fetcher)
    options = dict(PDF_OPTIONS)
    if identifier:
        options["pdf_identifier"] = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **options)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()
