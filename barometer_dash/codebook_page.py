"""The codebook page (/codebook?ds=ID) and its JSON (/api/v1/datasets/<id>/codebook).

Server-rendered, accessible HTML: topics, each question's wording in every language, codes
and labels, missing codes, where it was asked, wording notes and overall frequencies;
searchable with a plain GET form (?q=), one anchor per question (#q-NAME).  No script and
no inline style, so a strict Content-Security-Policy holds.  Every text is escaped by the
template engine: a hostile label renders as text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request
from jinja2 import Environment

from .codebook_data import codebook_data, matches
from .domain.errors import CodebookError, DatasetNotFound
from .i18n import LANGUAGES, number, translate
from .service import Service
from .settings import Config

MAX_QUERY = 200
_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_PAGE = _ENV.from_string("""<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t("codebook.title", title=data.dataset.title) }}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<div class="page codebook">
<header class="site-header">
<div>
<h1>{{ t("codebook.title", title=data.dataset.title) }}</h1>
<p class="tagline">{{ t("codebook.intro") }}</p>
</div>
<nav aria-label="{{ t('codebook.languages') }}"><ul class="codebook-langs">
{% for code, name in languages.items() %}
<li><a href="{{ self_url(lang=code) }}" lang="{{ code }}"
{%- if code == lang %} aria-current="page"{% endif %}>{{ name }}</a></li>
{% endfor %}
</ul></nav>
</header>
{% if data.dataset.synthetic %}
<p class="synthetic-notice" role="note"><strong>{{ t("synthetic.title") }}</strong> {{ t("synthetic.body") }}</p>
{% endif %}
<p><a href="{{ dashboard }}">{{ t("codebook.back") }}</a> · <a href="{{ json_url }}">{{ t("codebook.json") }}</a></p>
<p>{{ design }}. {{ dataset_line }}</p>
<main id="main">
<form method="get" action="/codebook" role="search">
<input type="hidden" name="ds" value="{{ data.dataset.id }}">
<input type="hidden" name="lang" value="{{ lang }}">
<label for="codebook-q">{{ t("codebook.search") }}</label>
<input id="codebook-q" type="search" name="q" value="{{ q }}" maxlength="{{ max_query }}">
<button type="submit">{{ t("codebook.search_button") }}</button>
{% if q %}<a href="{{ self_url(q='') }}">{{ t("codebook.show_all") }}</a>{% endif %}
</form>
<p role="status">{{ t("codebook.results", n=shown, total=total) }}
{%- if not shown %} {{ t("codebook.no_match") }}{% endif %}</p>
{% if sections %}
<nav aria-labelledby="codebook-topics"><h2 id="codebook-topics">{{ t("codebook.topics") }}</h2><ul>
{% for s in sections %}<li><a href="#topic-{{ s.id }}">{{ s.label }}</a> ({{ s.variables|length }})</li>
{% endfor %}</ul></nav>
{% endif %}
{% for s in sections %}
<section aria-labelledby="topic-{{ s.id }}">
<h2 id="topic-{{ s.id }}">{{ s.label }}</h2>
{% for v in s.variables %}
<article id="q-{{ v.name }}" aria-labelledby="q-{{ v.name }}-title">
<h3 id="q-{{ v.name }}-title">{{ text(v.label) }} <code>{{ v.name }}</code></h3>
<dl>
<dt>{{ t("codebook.wording") }}</dt>
<dd><ul>{% for code, wording in v.label.items() %}
<li lang="{{ code }}">{{ languages.get(code, code) }}: {{ wording }}</li>{% endfor %}
</ul></dd>
<dt>{{ t("codebook.kind") }}</dt><dd>{{ v.kind }}</dd>
</dl>
<p>{{ v.asked_text }}</p>
{% if v.notes %}<p>{{ t("codebook.notes", notes=text(v.notes)) }}</p>{% endif %}
{% if v.missing %}<p>{{ t("codebook.missing", codes=v.missing|join(", ")) }}</p>{% endif %}
{% if v.columns %}<p>{{ t("codebook.items", items=v.columns|join(", ")) }}</p>{% endif %}
{% if v["values"] %}
<div class="table-scroll" role="region" aria-label="{{ t('table.scroll_label') }}" tabindex="0">
<table class="crosstab">
<caption>{% if v.suppressed %}{{ t("codebook.no_frequencies", min=data.min_base) }}
{%- else %}{{ t("codebook.frequencies") }} {{ t("table.base_sentence", n=fmt(v.base_n, 0)) }}{% endif %}</caption>
<thead><tr><th scope="col">{{ t("codebook.code") }}</th><th scope="col">{{ t("codebook.label") }}</th>
<th scope="col">{{ t("codebook.unweighted") }}</th><th scope="col">{{ t("codebook.weighted") }}</th>
<th scope="col">{{ t("codebook.percent") }}</th></tr></thead>
<tbody>
{% for val in v["values"] %}
<tr><td>{{ val.code }}</td><th scope="row">{{ text(val.label) or val.code }}
{%- if val.missing %} ({{ t("codebook.missing_code") }}){% endif %}</th>
<td>{{ fmt(val.n, 0) }}</td><td>{{ fmt(val.weighted, 1) }}</td><td>{{ fmt(val.percent, 1) }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
{% if v.kind != "demographic" %}<p><a href="{{ view_url(v.name) }}">{{ t("codebook.view") }}</a></p>{% endif %}
</article>
{% endfor %}
</section>
{% endfor %}
</main>
</div>
</body>
</html>
""")
_MISSING = _ENV.from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ message }}</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body><main class="page"><h1>{{ message }}</h1><p><a href="/">{{ back }}</a></p></main></body></html>
""")


def codebook_url(dataset: str, lang: str = "en", question: str | None = None, q: str = "") -> str:
    """Link to the codebook page; with `question`, to that question's entry ("about this question")."""
    params = {"ds": dataset, "lang": lang} | ({"q": q} if q else {})
    return f"/codebook?{urlencode(params)}" + (f"#q-{question}" if question else "")


def _sections(data: dict[str, Any], q: str, lang: str) -> list[dict[str, Any]]:
    shown = [v for v in data["variables"] if matches(v, q)]
    sections = [{"id": t["id"], "label": t["label"], "variables": [v for v in shown if v["topic"] == t["id"]]}
                for t in data["topics"]]
    known = {t["id"] for t in data["topics"]}
    for topic in dict.fromkeys(v["topic"] for v in shown if v["topic"] and v["topic"] not in known):
        sections.append({"id": topic, "label": topic, "variables": [v for v in shown if v["topic"] == topic]})
    others = [v for v in shown if not v["topic"]]
    if others:
        sections.append({"id": "other", "label": translate("codebook.other", lang), "variables": others})
    return [s for s in sections if s["variables"]]


def render_codebook(data: dict[str, Any], q: str, default_dataset: str) -> str:
    lang = data["lang"]
    ds = data["dataset"]
    sections = _sections(data, q, lang)
    none = translate("tabbook.none", lang)

    def self_url(**change: str) -> str:
        chosen = {"lang": lang, "q": q} | change
        return codebook_url(ds["id"], chosen["lang"], q=chosen["q"])

    def view_url(name: str) -> str:
        params = ({} if ds["id"] == default_dataset else {"ds": ds["id"]}) | {"q": name, "lang": lang}
        return "/?" + urlencode(params)

    return _PAGE.render(
        data=data, lang=lang, q=q, max_query=MAX_QUERY, sections=sections, languages=LANGUAGES,
        shown=sum(len(s["variables"]) for s in sections), total=len(data["variables"]),
        t=lambda key, **values: translate(key, lang, **values),
        text=lambda by_lang: by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()), ""),
        fmt=lambda x, digits: "\u2013" if x is None else number(x, lang, digits),
        self_url=self_url, view_url=view_url,
        dashboard="/" + ("" if ds["id"] == default_dataset else "?" + urlencode({"ds": ds["id"]})),
        json_url=f"/api/v1/datasets/{ds['id']}/codebook?" + urlencode({"lang": lang}),
        design=translate("tabbook.design", lang, weight=ds["weight"] or none, strata=ds["strata"] or none,
                         psu=ds["psu"] or none),
        dataset_line=translate("tabbook.dataset", lang, title=ds["title"], id=ds["id"], version=ds["version"]),
    )


def make_codebook_blueprint(service: Service, config: Config) -> Blueprint:
    bp = Blueprint("codebook", __name__)

    def cached(dataset: str, lang: str) -> dict[str, Any]:
        ds = service.store.get(dataset)
        key = f"codebook:{ds.id}:{ds.version}:{lang}:{service.rules!r}"
        return service.cache.get_or_compute(key, lambda: codebook_data(service, dataset, lang))

    @bp.get("/codebook")
    def page() -> Any:
        lang = request.args.get("lang", config.default_lang)
        if lang not in LANGUAGES:
            lang = config.default_lang
        dataset = request.args.get("ds") or config.default_dataset
        q = request.args.get("q", "")[:MAX_QUERY]
        try:
            data = cached(dataset, lang)
        except (DatasetNotFound, CodebookError):
            message = str(DatasetNotFound(dataset))
            body = _MISSING.render(lang=lang, message=message, back=translate("codebook.back", lang))
            return Response(body, status=404, content_type="text/html; charset=utf-8")
        return Response(render_codebook(data, q, config.default_dataset), content_type="text/html; charset=utf-8")

    @bp.get("/api/v1/datasets/<dataset_id>/codebook")
    def as_json(dataset_id: str) -> Any:
        unknown = sorted(set(request.args) - {"lang"})
        if unknown:
            return _error(400, unknown[0], "unknown parameter; this endpoint takes lang")
        lang = request.args.get("lang", "en")
        if lang not in LANGUAGES or len(request.args.getlist("lang")) > 1:
            return _error(400, "lang", f"use one of {', '.join(LANGUAGES)}, once")
        try:
            return jsonify(cached(dataset_id, lang))
        except (DatasetNotFound, CodebookError):
            return _error(404, "id", f"no dataset '{dataset_id}'")

    return bp


def _error(status: int, parameter: str | None, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"parameter": parameter, "message": message}}), status
