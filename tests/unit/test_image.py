"""Chart images made on the server: what the SVG says, PNG sizes, and the missing-Chromium error."""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.crosstab import CrossTab
from barometer_dash.domain.query import Query
from barometer_dash.i18n import number
from barometer_dash.render.image import SIZES, ImageUnavailable, figure_image, stop_server
from barometer_dash.render.print_layout import largest_margin, print_figure
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[2] / "data"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LINK = "https://barometer.example/?q=trust_police&by=age_group&country=XK&year=2022"


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    yield Service(Store(DATA))
    stop_server()


@pytest.fixture(scope="module")
def police(service: Service) -> CrossTab:
    q = Query("demo", "trust_police", "age_group", filters=(("country", (2,)), ("year", (2022,))))
    return service.crosstab(q, "en")


def svg_text(svg: bytes) -> str:
    """The words of an SVG as a reader sees them (tags removed, entities decoded)."""
    words = html.unescape(re.sub(r"<[^>]+>", " ", svg.decode("utf-8")))
    return re.sub(r"[ \t\r\n]+", " ", words)  # not str.split: it would eat the narrow no-break space


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_svg_carries_wording_bases_margin_source_and_notice(police: CrossTab) -> None:
    size = SIZES["phone"]
    svg = figure_image(print_figure(police, "phone", LINK), "svg", size.width, size.height)
    text = svg_text(svg)
    assert police.question in text
    for j, base in enumerate(police.bases):
        assert f"{police.cols[j].label} (n={number(base.n, 'en', 0)})" in text
    moe = largest_margin(police)
    assert moe is not None and f"±{number(moe, 'en', 1)} points" in text
    assert f"data version {police.version}" in text and police.dataset_title in text
    assert "Synthetic demonstration data, not survey results." in text
    assert "Country: Kosovo; Survey year: 2022" in text or "Country: Kosovo; Year: 2022" in text
    assert "“Don't know” and refusals excluded" in text
    assert LINK in text


def test_largest_margin_is_the_widest_interval_of_any_shown_column(police: CrossTab) -> None:
    halves = [(c.ci_high - c.ci_low) / 2 for c in police.cells if c.ci_low is not None and c.ci_high is not None]
    assert largest_margin(police) == pytest.approx(max(halves))
    total_only = [(police.cell(i, 0).ci_high - police.cell(i, 0).ci_low) / 2 for i in range(len(police.rows))]
    assert largest_margin(police) > max(total_only)  # the smallest age group, not the total


def test_png_has_the_size_asked_for(police: CrossTab) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in SIZES.items():
        png = figure_image(print_figure(police, name, LINK), "png", size.width, size.height)
        assert png_size(png) == (size.width, size.height)
        (ARTIFACTS / f"image_police_age_{name}.png").write_bytes(png)


def test_text_is_in_the_views_language(service: Service) -> None:
    q = Query("demo", "threats", "country")
    xt = service.crosstab(q, "sq")
    svg = figure_image(print_figure(xt, "square", "https://x.example/"), "svg", 1080, 1080)
    text = svg_text(svg)
    assert xt.question in text and "Burimi:" in text and "versioni i të dhënave" in text
    assert "Të dhëna sintetike" in text
    # Multiple response: each column's base goes beside its name in the legend.
    assert f"Kosova (n={number(xt.bases[2].n, 'sq', 0)})" in text


def test_layout_is_legible_at_phone_width_and_keeps_the_legend_above(police: CrossTab) -> None:
    for name in SIZES:
        fig = print_figure(police, name, LINK)
        title, _, footer = fig["layout"]["annotations"]
        assert police.question in title["text"] and title["font"]["size"] >= 30
        assert footer["y"] == 0 and footer["yshift"] < 0 and "Source" in footer["text"]
        legend = fig["layout"]["legend"]
        assert legend["yref"] == "paper" and legend["y"] > 1  # above the bars, far from the source line
        assert fig["layout"]["yaxis"]["tickfont"]["size"] >= 14


def test_unknown_size_or_format_is_refused(police: CrossTab) -> None:
    with pytest.raises(ValueError, match="size must be one of article, social, square, phone"):
        print_figure(police, "poster")
    with pytest.raises(ValueError, match="image format must be one of png, svg"):
        figure_image({"data": [], "layout": {}}, "gif", 100, 100)  # type: ignore[arg-type]


def test_missing_chromium_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ImageUnavailable) as exc:
        figure_image({"data": [], "layout": {}}, "png", 100, 100)
    assert "install the Debian package 'chromium'" in str(exc.value)
    assert "/nonexistent/chromium" in str(exc.value)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(ImageUnavailable, match="Chromium is not installed"):
        figure_image({"data": [], "layout": {}}, "svg", 100, 100)


def test_cartesian_bundle_is_plotly_pythons_plotly_js_version() -> None:
    """The images' plotly.js (a partial bundle, faster to reload) must match the page's version."""
    import plotly

    from barometer_dash.render.image import PLOTLY_JS

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = re.compile(rb"plotly\.js(?: \(cartesian - minified\))? (v\d+\.\d+\.\d+)")
    ours, theirs = version.search(PLOTLY_JS.read_bytes()[:300]), version.search(full.read_bytes()[:300])
    assert ours is not None and theirs is not None and ours.group(1) == theirs.group(1)


def test_non_cartesian_figure_is_refused() -> None:
    with pytest.raises(ValueError, match="cartesian traces only; this figure has choropleth"):
        figure_image({"data": [{"type": "choropleth"}], "layout": {}}, "png", 100, 100)


def test_file_name_carries_the_view(police: CrossTab, service: Service) -> None:
    from barometer_dash.render.print_layout import image_filename

    assert image_filename(police, "phone", "png") == "demo_trust_police_by_age_group_country-2_year-2022_phone.png"
    cb = service.store.get("demo").codebook
    social = "demo_trust_police_by_age_group_country-XK_year-2022_social.svg"
    assert image_filename(police, "social", "svg", cb) == social


def test_row_percentages_keep_the_answers_on_the_axis_and_bases_in_the_legend(service: Service) -> None:
    """A bar per answer: the answers label the axis, each column's base goes into the legend."""
    xt = service.crosstab(Query("demo", "trust_police", "country", percent="row"), "en")
    fig = print_figure(xt, "article", LINK)
    answers = [r.label for r in xt.rows if not r.net]
    assert fig["layout"]["yaxis"]["tickvals"] == answers == fig["data"][0]["y"]
    assert [t["name"] for t in fig["data"]] == [f"{c.label} (n={number(b.n, 'en', 0)})"
                                               for c, b in zip(xt.cols[1:], xt.bases[1:], strict=True)]
    text = svg_text(figure_image(fig, "svg", 1200, 800))
    assert all(a in text for a in answers)
