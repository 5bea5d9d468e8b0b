"""The `barometer` command: serve the app, rebuild the demo data, ingest and check datasets."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .settings import SETTINGS, load_config


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result
