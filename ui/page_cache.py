"""Serve the page shell from memory instead of rebuilding it for every visitor.

Gradio builds the page for every GET / and GET /config anew: it deep-copies the whole
config of the Blocks (about 220 KB of JSON for this studio's 216 components), rewrites
every file URL in it for the request's root URL and serialises it again. That is 30-60 ms
of the web process's single interpreter per page view on this machine, and under load
(profiled with py-spy during `bench/bench_load.py`, 30 users) it was the largest share
of the web process's work, more than the feed. The shell is the same for every visitor
of one address until the app restarts: what a person sees is loaded afterwards by the
page's own events, per session. So the response's bytes are kept per (path, the request
headers Gradio derives the root URL from) for a short time.

Not cached: anything but a plain GET of those paths (a query string carries deep links
and page choices), responses that are not 200, responses that set a cookie, and any app
with Gradio's own login (`auth=`), whose page names the user.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

Scope = dict
CACHED_PATHS = frozenset({"/", "/config", "/config/"})
ROOT_HEADERS = (b"host", b"x-forwarded-host", b"x-forwarded-proto", b"x-forwarded-port", b"x-forwarded-prefix")


@dataclass(frozen=True)
class _Page:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    stored_at: float


def cache_key(scope: Scope) -> tuple | None:
    """What the page depends on, or None when this request must not be served from the cache."""
    if scope.get("type") != "http" or scope.get("method") != "GET" or scope.get("path") not in CACHED_PATHS:
        return None
    if scope.get("query_string"):
        return None
    headers = dict(scope.get("headers") or [])
    return (scope["path"], scope.get("scheme"), scope.get("root_path", ""), tuple(scope.get("server") or ()),
            *(headers.get(h, b"") for h in ROOT_HEADERS))


class PageCache:
    """ASGI middleware: the first GET of the shell per key is built by Gradio, the next ones are copies."""

    def __init__(self, app, ttl_s: float = 30.0, max_entries: int = 64):
        self.app, self.ttl_s, self.max_entries = app, ttl_s, max_entries
        self._pages: dict[tuple, _Page] = {}
        self._lock = threading.Lock()

    def _fresh(self, key: tuple) -> _Page | None:
        page = self._pages.get(key)
        if page is not None and time.monotonic() - page.stored_at < self.ttl_s:
            return page
        return None

    def _store(self, key: tuple, page: _Page) -> None:
        with self._lock:
            if len(self._pages) >= self.max_entries and key not in self._pages:
                self._pages.pop(next(iter(self._pages)))  # oldest first: a dict keeps insertion order
            self._pages[key] = page

    async def __call__(self, scope: Scope, receive, send) -> None:
        key = cache_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        page = self._fresh(key)
        if page is not None:
            await send({"type": "http.response.start", "status": page.status, "headers": list(page.headers)})
            await send({"type": "http.response.body", "body": page.body})
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def recording(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and _cacheable(start):
                    self._store(key, _Page(start["status"], tuple(start.get("headers") or ()), b"".join(chunks),
                                           time.monotonic()))
            await send(message)

        await self.app(scope, receive, recording)


def _cacheable(start: dict) -> bool:
    return start.get("status") == 200 and not any(k.lower() == b"set-cookie" for k, _ in start.get("headers") or ())
