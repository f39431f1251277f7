"""Run the class server: pick the store and codes, bind the socket, print the links and QR code, serve.

The socket is bound here, before anything is printed, so the printed port is the real one (``--port 0``
lets the OS choose) and a port already in use fails at once with a clear message.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..._i18n import tr
from ...rubric import load_rubric
from .._store import ResponseStore, default_store_path
from ._app import ClassSettings, asked_rubric, create_app
from ._security import new_class_code, new_token

__all__ = ["ServeOptions", "bind", "class_store_folder", "public_host", "serve"]

_CLASS_CODE = re.compile(r"^[A-Z0-9]{4,12}$")


@dataclass(frozen=True)
class ServeOptions:
    """The options of ``dxlab class serve``."""

    rubric: str = "mobifone-dx"
    store: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    lang: str = "vi"
    wave: str = ""
    dimensions: tuple[str, ...] = ()
    class_code: str = ""
    target: int = 4


def class_store_folder(start: str | Path | None = None) -> Path:
    """Where class stores go by default: ``data/raw/classes/`` under the project root."""
    return default_store_path(start).parent / "classes"


def _stored_class_code(path: Path) -> str:
    if not path.is_file():
        return ""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM class_meta WHERE key = 'class_code'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row and _CLASS_CODE.match(str(row[0])) else ""


def _codes_and_store(options: ServeOptions) -> tuple[str, Path]:
    code = options.class_code.strip().upper()
    if code and not _CLASS_CODE.match(code):
        raise ValueError(f"--class-code must be 4–12 letters A–Z or digits, got {options.class_code!r}")
    if options.store:
        path = Path(options.store).expanduser()
        code = code or _stored_class_code(path) or new_class_code()
    else:
        code = code or new_class_code()
        path = class_store_folder() / f"class-{code}.sqlite"
    return code, path


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv4 or IPv6); ``ValueError`` when that is impossible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def public_host(host: str) -> str:
    """The address students type: ``host`` itself, or this machine's LAN address for a wildcard host."""
    if host not in ("0.0.0.0", "::", ""):
        return f"[{host}]" if ":" in host else host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(options: ServeOptions, *, out: TextIO | None = None) -> int:
    """Run the class server until interrupted (Ctrl+C); returns an exit code."""
    import segno
    import uvicorn

    out = out or sys.stdout
    rubric = load_rubric(options.rubric)
    asked = asked_rubric(rubric, options.dimensions)
    code, path = _codes_and_store(options)
    store = ResponseStore(path)
    sock = bind(options.host, options.port)
    base = f"http://{public_host(options.host)}:{sock.getsockname()[1]}"
    settings = ClassSettings(
        rubric,
        store,
        code,
        new_token(),
        base_url=base,
        lang=options.lang,
        wave=options.wave,
        dimensions=options.dimensions,
        target=options.target,
    )
    app = create_app(settings)
    lang = options.lang

    def say(key: str, **values: object) -> None:
        print(tr(f"classroom.{key}", lang, **values), file=out, flush=True)

    say("serve_started", rubric=rubric.id, criteria=len(asked.criterion_ids), store=store.path)
    if _is_loopback(options.host):
        say("serve_loopback_note", host=options.host)
    else:
        say("serve_open_warning", host=options.host)
    say("serve_join", url=settings.join_url, code=code)
    segno.make(settings.join_url, error="m").terminal(out=out, compact=True)
    say("serve_teacher", url=settings.teacher_url)
    say("serve_stop", store=store.path, code=code)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=5, server_header=False
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0
