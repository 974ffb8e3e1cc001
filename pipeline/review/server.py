"""Serving the review app: bind, print the address with its token, run uvicorn until Ctrl-C.

The socket is bound (and listening) before the address is printed, so a
script that reads the one line on standard output can connect at once, and
``--port 0`` lets the system pick a free port. Anything but 127.0.0.1 (or
::1) is refused unless the caller allows it, and then a warning goes to
standard error: the token is the only thing between the network and the
catalogs, and it travels in clear over plain HTTP.
"""
from __future__ import annotations

import secrets
import signal
import socket
import sys
import threading
import webbrowser

from ..config import Config
from ..errors import InputError

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def address(host: str, port: int, token: str) -> str:
    """The address printed for the reviewer: http://HOST:PORT/?token=TOKEN."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one); InputError when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(config: Config, host: str = "127.0.0.1", port: int = 0, allow_remote: bool = False,
          open_browser: bool = False) -> int:
    """Run the review app until interrupted; returns the exit code."""
    import uvicorn

    from .app import create_app

    if host not in LOOPBACK and not allow_remote:
        raise InputError(f"--host {host} would let other machines reach your catalogs; "
                         "add --allow-remote if that is what you want")
    sock = bind(host, port)
    if host not in LOOPBACK:
        print(f"pipeline: warning: serving on {host}, reachable from other machines; the token travels "
              "unencrypted over HTTP", file=sys.stderr)
    token = secrets.token_urlsafe(24)
    url = address("127.0.0.1" if host == "localhost" else host, sock.getsockname()[1], token)
    app = create_app(config, token)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    # Ctrl-C or SIGTERM from the moment the address is printed: uvicorn takes the signals over only once it
    # has started, and a Ctrl-C before that raised KeyboardInterrupt wherever the program was; inside a
    # weakref callback it is ignored, and the server then ran on (a script that stops it at once hung)
    def stop(signum, frame) -> None:  # also the handler uvicorn hands the signal it handled back to
        server.should_exit = True

    main_thread = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)} if main_thread else {}
    try:
        print(url, flush=True)
        if open_browser:
            webbrowser.open(url)
        server.run(sockets=[sock])  # returns after a graceful shutdown on SIGINT/SIGTERM
    except KeyboardInterrupt:
        pass  # stopping is what the user asked for: exit 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    return 0  # stopped as asked, by Ctrl-C or SIGTERM
