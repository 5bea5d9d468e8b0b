"""The `barometer` command: serve the app, rebuild the demo data, ingest and check datasets."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .domain.errors import BarometerError
from .i18n import LANGUAGES
from .settings import SETTINGS, load_config

if TYPE_CHECKING:
    from .ingest import Options


def _serve(args: argparse.Namespace) -> int:
    if args.data_dir:
        os.environ["BAROMETER_DATA_DIR"] = str(Path(args.data_dir).resolve())
    from .app_factory import create_app

    app = create_app()
    ids = app.server.extensions["barometer_service"].store.ids()
    if not ids:
        config = load_config()
        print(f"error: no datasets in {config.data_dir} (run `barometer demo` or `barometer ingest`)",
              file=sys.stderr)
        return 2
    print(f"Barometer Dash on http://{args.host}:{args.port}/ serving: {', '.join(ids)}")
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .demo import build_demo

    data_dir = Path(args.data_dir) if args.data_dir else load_config().data_dir
    path = build_demo(data_dir, seed=args.seed)
    print(f"wrote {path}")
    return 0


def _names(values: list[str] | None) -> tuple[str, ...]:
    return tuple(n.strip() for v in values or () for n in v.split(",") if n.strip())


def _options(args: argparse.Namespace, dataset_id: str) -> Options:
    from .ingest import Options

    return Options(
        dataset_id=dataset_id,
        weight=args.weight,
        strata=args.strata,
        psu=args.psu,
        country=args.country,
        wave=args.wave,
        demographic=_names(args.demographic),
        title=args.title,
        citation=args.citation,
        license=args.license,
        codebook=Path(args.codebook) if getattr(args, "codebook", None) else None,
    )


def _ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest_file

    data_dir = Path(args.data_dir) if args.data_dir else load_config().data_dir
    result = ingest_file(args.path, _options(args, args.id), data_dir)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    kinds: dict[str, int] = {}
    for var in result.codebook.variables:
        kinds[var.kind] = kinds.get(var.kind, 0) + 1
    described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    design = ", ".join(f"{role} {col}" for role in ("weight", "strata", "psu")
                       if (col := getattr(result.codebook.dataset, role)))
    print(f"wrote {result.path}: {result.rows:,} respondents; variables: {described}"
          + (f"; design: {design}" if design else "; unweighted"))
    return 0


def _template(args: argparse.Namespace) -> int:
    from .ingest import codebook_template

    dataset_id = args.id or _default_id(Path(args.path))
    raw, warnings = codebook_template(args.path, _options(args, dataset_id))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    text = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"error: {out}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(f"wrote {out}: {len(raw['variables'])} variables; edit the labels, then "
          f"`barometer ingest {args.path} --id {dataset_id} --codebook {out}`")
    return 0


def _default_id(path: Path) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem).strip("-_")
    return cleaned[:64] or "dataset"


def _validate(args: argparse.Namespace) -> int:
    from .ingest import validate_path

    target = Path(args.dir) if args.dir else load_config().data_dir
    results = validate_path(target)
    n_problems = 0
    for checked in results:
        if not checked.problems:
            print(f"ok    {checked.folder} ({checked.respondents:,} respondents)")
            continue
        n_problems += len(checked.problems)
        print(f"FAIL  {checked.folder}")
        for problem in checked.problems:
            print(f"      - {problem}")
    bad = sum(1 for c in results if c.problems)
    print(f"{len(results)} checked, {bad} with problems ({n_problems} in all)")
    return 1 if bad else 0


def _tabbook(args: argparse.Namespace) -> int:
    from .data.store import Store
    from .render.tabbook import tabbook_xlsx
    from .service import Rules, Service
    from .tabbook import tabbook_tables

    config = load_config()
    data_dir = Path(args.data_dir) if args.data_dir else config.data_dir
    service = Service(Store(data_dir), rules=Rules(min_base=config.min_base, flag_base=config.flag_base))
    book = tabbook_tables(service, args.id, args.by, questions=args.questions, filters=args.filter, lang=args.lang,
                          by2=args.by2)
    out = Path(args.output)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(tabbook_xlsx(book))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"error: {out}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(f"wrote {out}: {len(book.sheets)} questions by {', '.join(book.banner)}")
    return 0
def _prepare(args: argparse.Namespace) -> int:
    from .data.store import prepare_folder
    from .domain.errors import CodebookError

    data_dir = Path(args.data_dir) if args.data_dir else load_config().data_dir
    if args.id:
        ids = [args.id]
    else:
        ids = sorted(p.name for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if data_dir.is_dir() else []
    if not ids:
        print(f"error: no dataset folders in {data_dir}", file=sys.stderr)
        return 1
    failed = 0
    for dataset_id in ids:
        folder = data_dir / dataset_id
        if not folder.is_dir():
            print(f"error: {folder}: no such dataset folder", file=sys.stderr)
            failed += 1
            continue
        try:
            print(f"{folder}: {prepare_folder(folder)}")
        except CodebookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _design_flags(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--weight", metavar="VAR", help="weight column (numeric, finite, positive)")
    cmd.add_argument("--strata", metavar="VAR", help="stratum column of the sample design")
    cmd.add_argument("--psu", metavar="VAR", help="primary sampling unit (cluster) column")
    cmd.add_argument("--country", metavar="VAR", help="country column (a breakdown and filter)")
    cmd.add_argument("--wave", metavar="VAR", help="wave or year column (a breakdown and filter)")
    cmd.add_argument("--demographic", metavar="VAR,VAR", action="append",
                     help="other breakdown variables, comma-separated (repeatable)")
    cmd.add_argument("--title", metavar="TEXT", help="dataset title (English)")
    cmd.add_argument("--citation", metavar="TEXT", help="how to cite the data")
    cmd.add_argument("--license", metavar="TEXT", help="licence of the data")


def build_parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(f"  {s.name} (default {s.default}): {s.help}" for s in SETTINGS)
    parser = argparse.ArgumentParser(
        prog="barometer",
        description="Publish survey cross-tabs as an interactive web app.",
        epilog="settings (environment variables):\n" + settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the app (development server)")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--data-dir", help="folder of datasets (default: BAROMETER_DATA_DIR)")
    serve.add_argument("--debug", action="store_true", help="Dash debug mode with hot reload")
    serve.set_defaults(func=_serve)
    demo = sub.add_parser("demo", help="regenerate the synthetic demo dataset")
    demo.add_argument("--data-dir", help="folder of datasets (default: BAROMETER_DATA_DIR)")
    demo.add_argument("--seed", type=int, default=20240601)
    demo.set_defaults(func=_demo)
    ingest = sub.add_parser(
        "ingest", help="load a survey file (.sav .zsav .dta, or .csv .parquet with --codebook)",
        description="Check a survey file and write it as DIR/ID/ (replacing ID only if the new one is valid). "
                    "See docs/ingest.md.",
    )
    ingest.add_argument("path", help="the data file")
    ingest.add_argument("--id", required=True, help="dataset id: letters, digits, - and _")
    ingest.add_argument("--data-dir", help="folder of datasets (default: BAROMETER_DATA_DIR)")
    ingest.add_argument("--codebook", metavar="FILE", help="codebook JSON (required for .csv and .parquet)")
    _design_flags(ingest)
    ingest.set_defaults(func=_ingest, guarded=True)
    template = sub.add_parser("codebook-template", help="write a starting codebook for a data file",
                              description="Labels come from SPSS/Stata metadata, else from the codes in the data.")
    template.add_argument("path", help="the data file")
    template.add_argument("-o", "--output", metavar="FILE", help="where to write it (default: standard output)")
    template.add_argument("--id", help="dataset id (default: from the file name)")
    _design_flags(template)
    template.set_defaults(func=_template, guarded=True)
    validate = sub.add_parser("validate", help="check dataset folders and report every problem")
    validate.add_argument("dir", nargs="?", help="a data folder or one dataset folder (default: BAROMETER_DATA_DIR)")
    validate.set_defaults(func=_validate, guarded=True)
    tabbook = sub.add_parser("tabbook", help="write every question against a banner as one .xlsx workbook",
                             description="One sheet per question (answers by the banner, column percentages, "
                                         "significance markers, bases, tests) and a contents sheet.")
    tabbook.add_argument("--id", required=True, help="dataset id")
    tabbook.add_argument("--by", required=True, action="append", metavar="VAR[,VAR2]",
                         help="banner variables, side by side after the Total column")
    tabbook.add_argument("--by2", metavar="VAR",
                         help="a second breakdown nested in each banner variable (gender within each country)")
    tabbook.add_argument("--questions", action="append", metavar="topic:NAME|VAR,...",
                         help="questions or whole topics, in this order (default: every question)")
    tabbook.add_argument("--filter", action="append", metavar="VAR:codes",
                         help="keep respondents with these codes or value keys (repeatable; a domain)")
    tabbook.add_argument("--lang", default="en", choices=sorted(LANGUAGES), help="language of labels")
    tabbook.add_argument("--data-dir", help="folder of datasets (default: BAROMETER_DATA_DIR)")
    tabbook.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    tabbook.set_defaults(func=_tabbook, guarded=True)
    prepare = sub.add_parser(
        "prepare", help="write the serving copy workers memory-map (ingest does this itself)",
        description="Check each dataset folder and write DIR/ID/serving/ (uncompressed Arrow and design arrays) "
                    "unless it is already up to date. Run it after copying a dataset in by hand.",
    )
    prepare.add_argument("--id", help="only this dataset (default: every dataset folder)")
    prepare.add_argument("--data-dir", help="folder of datasets (default: BAROMETER_DATA_DIR)")
    prepare.set_defaults(func=_prepare, guarded=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "guarded", False):
        result: int = args.func(args)
        return result
    # A bad file is the user's problem to fix, so it gets one plain line, never a traceback.
    try:
        result = args.func(args)
    except BarometerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort, still one line
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return result
