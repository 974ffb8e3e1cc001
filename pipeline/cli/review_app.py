"""The `pipeline review` command: the local review web app (pipeline/review/)."""
from __future__ import annotations

import argparse

from . import options


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review", help="a local web app to review and approve translations in the bilingual layout",
        description="Serve a review app for the catalogs under LOCALES on this machine and print its "
        "address with a random access token on one line (http://127.0.0.1:PORT/?token=TOKEN). Edits "
        "are saved straight into the PO files (refused when a file changed on disk since the page "
        "loaded) and the document's pages in DIST are re-rendered. Ctrl-C stops it.")
    options.add_locales(parser)
    options.add_dist(parser)
    parser.add_argument("--port", type=int, default=0, metavar="N", help="TCP port (default 0: a free one)")
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                        help="address to listen on (default 127.0.0.1; anything else needs --allow-remote)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow --host to be an address other machines can reach (prints a warning)")
    parser.add_argument("--open", action="store_true", help="open the address in the default browser")
    parser.set_defaults(func=_review)


def _review(args: argparse.Namespace) -> int:
    from ..catalog import require_catalogs
    from ..review.server import serve

    config = options.configured(args)
    require_catalogs(config.locales)
    if not 0 <= args.port <= 65535:
        from ..errors import InputError

        raise InputError(f"--port must be 0 to 65535, not {args.port}")
    return serve(config, host=args.host, port=args.port, allow_remote=args.allow_remote, open_browser=args.open)
