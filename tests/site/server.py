"""Serve a built site over loopback with gzip, the way a static host does.

The browser checks and the Lighthouse measurement (``tools/lighthouse.md``)
use it: ``python -m tests.site.server _build/html 8001`` serves the site on
http://127.0.0.1:8001 until interrupted. Text responses (HTML, CSS, JS, SVG,
JSON, notebooks) are gzip-compressed when the client accepts it, as GitHub
Pages does; images and fonts are sent as they are.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import os
import sys
import threading
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, ClassVar

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "application/x-ipynb+json",
)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that gzips text responses and logs nothing."""

    TYPES: ClassVar[dict[str, str]] = {
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".json": "application/json",
        ".ipynb": "application/x-ipynb+json",
        ".svg": "image/svg+xml",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".whl": "application/zip",
    }

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return self.TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        ctype = self.guess_type(str(path))
        if not (path.is_file() and accepts_gzip and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = _compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesFile(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@lru_cache(maxsize=512)
def _compressed(path: Path, mtime_ns: int) -> bytes:
    """The gzip of a file, computed once per version of the file."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class _BytesFile:
    """The minimal file object ``SimpleHTTPRequestHandler.do_GET`` copies from."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._sent = False

    def read(self, size: int = -1) -> bytes:
        if self._sent:
            return b""
        self._sent = True
        return self._body

    def close(self) -> None:
        self._sent = True


class _QuietServer(http.server.ThreadingHTTPServer):
    """Ignores clients that hang up mid-response (a browser closing its page); reports the rest."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """A threaded gzip server of ``root`` on 127.0.0.1 (port 0 picks a free port)."""

    def __init__(self, root: Path, port: int = 0) -> None:
        handler = partial(GzipHandler, directory=str(root))
        self._httpd = _QuietServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL, with a trailing slash."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("_build/html")
    port = int(argv[1]) if len(argv) > 1 else 8001
    if not (root / "index.html").is_file():
        print(f"no built site in {root}: run 'make book' first", file=sys.stderr)
        return 1
    with SiteServer(root, port) as server:
        print(f"Serving {root} with gzip on {server.url} (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
