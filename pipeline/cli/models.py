"""The `pipeline models` commands: list, install and remove Argos Translate models."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ModelError
from . import options


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models", help="list, install and remove Argos Translate models",
        description="Manage the Argos Translate models the argos engine uses. Models live in "
        "$ARGOS_PACKAGES_DIR, else $XDG_DATA_HOME/argos-translate/packages "
        "(~/.local/share/argos-translate/packages).")
    actions = parser.add_subparsers(dest="models_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="installed models and, if the package index is reachable, available ones")
    listing.add_argument("--installed", action="store_true", help="only installed models; do not contact the index")
    listing.set_defaults(func=_list)

    install = actions.add_parser(
        "install", help="install a model from the Argos package index, or from a file with --file",
        description="Download and install the model for a language pair from the Argos package index, "
        "or install a .argosmodel file offline with --file.")
    _add_pair(install)
    install.add_argument("--file", type=Path, metavar="PATH", help="install this .argosmodel file (offline)")
    options.add_quiet(install)
    install.set_defaults(func=_install)

    remove = actions.add_parser("remove", help="remove the installed model for a language pair")
    _add_pair(remove)
    options.add_quiet(remove)
    remove.set_defaults(func=_remove)


def _add_pair(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("from_code", nargs="?", default="en", metavar="FROM", help="source language (default: en)")
    parser.add_argument("to_code", nargs="?", default="es", metavar="TO", help="target language (default: es)")


def _describe(model) -> str:
    names = f"{model.from_name} → {model.to_name}" if model.from_name and model.to_name else ""
    return f"{model.pair:<8} {model.version:<8} {names}".rstrip()


def _list(args: argparse.Namespace) -> int:
    from ..engines import argos_models

    installed = argos_models.installed_models()
    print(f"installed in {argos_models.packages_dir()}:")
    for model in installed:
        print(f"  {_describe(model)}  ({model.path.name if model.path else '?'})")  # installed: always a path
    if not installed:
        print("  (none)")
    if args.installed:
        return 0
    try:
        available = argos_models.available_models()
    except ModelError as exc:
        print(f"pipeline: note: available models not listed: {exc}", file=sys.stderr)
        return 0
    have = {(m.from_code, m.to_code, m.version) for m in installed}
    print(f"available from {argos_models.index_url()}:")
    for model in available:
        mark = "  [installed]" if (model.from_code, model.to_code, model.version) in have else ""
        print(f"  {_describe(model)}{mark}")
    return 0


def _install(args: argparse.Namespace) -> int:
    from ..engines import argos_models

    if args.file:
        model = argos_models.install_file(args.file)
    else:
        model = argos_models.install(args.from_code, args.to_code)
    if not args.quiet:
        print(f"installed {model.pair} {model.version} in {model.path}", file=sys.stderr)
    return 0


def _remove(args: argparse.Namespace) -> int:
    from ..engines import argos_models

    for model in argos_models.remove(args.from_code, args.to_code):
        if not args.quiet:
            print(f"removed {model.pair} {model.version} from {model.path}", file=sys.stderr)
    return 0
