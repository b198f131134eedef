"""The page shell is served from memory: the same bytes Gradio builds, for the right address, and only the shell.

Gradio rebuilds the page config for every GET / and /config (ui/page_cache.py says why that matters
under load); these tests serve the studio's real page through `app.launch_options`, the way `app.main` does.
"""
from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from app import build_ui, launch_options
from pipeline.preview import PreviewBackend
from pipeline.studio import build_studio
from settings import Settings
from ui.page_cache import PageCache, cache_key


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("page")
    settings = Settings(data_dir=root / "data", database_url=f"sqlite:///{root / 'data' / 'studio.db'}",
                        face_backend="dlib", insightface_root=root / "insightface", allow_upload=False, secret_key=None)
    studio = build_studio(settings, backend=PreviewBackend())
    demo = build_ui(studio, allow_upload=False)
    options = {**launch_options(settings), "server_name": "127.0.0.1", "server_port": None}
    demo.queue().launch(**options, prevent_thread_lock=True, quiet=True)
    yield demo
    demo.close()
    studio.store.engine.dispose()


def _cache_of(demo) -> PageCache:
    layer = demo.server_app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    assert layer is not None, "the studio's app has no PageCache"
    return layer


def test_the_shell_served_from_memory_is_the_one_gradio_builds(served):
    cache = _cache_of(served)
    with httpx.Client(base_url=served.local_url) as c:
        for path in ("/", "/config"):
            first = c.get(path)
            assert first.status_code == 200
            assert any(k[0] == path for k in cache._pages)
            again = c.get(path)
            assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
        cache._pages.clear()
        rebuilt = c.get("/config")
        assert rebuilt.json()["components"] == again.json()["components"]


def test_each_address_gets_its_own_root_url(served):
    with httpx.Client(base_url=served.local_url) as c:
        a = c.get("/config", headers={"x-forwarded-host": "studio.example.org", "x-forwarded-proto": "https"})
        b = c.get("/config")
    assert a.json()["root"] == "https://studio.example.org"
    assert b.json()["root"] != a.json()["root"]


def test_requests_with_a_query_and_other_paths_are_not_cached(served):
    cache = _cache_of(served)
    cache._pages.clear()
    with httpx.Client(base_url=served.local_url) as c:
        assert c.get("/config", params={"deep_link": "nope"}).status_code in (200, 404)
        assert c.get("/gradio_api/info").status_code == 200
    assert cache._pages == {}


def test_a_stale_entry_is_rebuilt():
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": f"page {len(calls)}".encode()})

    import asyncio

    cache = PageCache(app, ttl_s=0.05)
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": [(b"host", b"x")]}

    async def get() -> bytes:
        sent = []

        async def send(message):
            sent.append(message)

        await cache(scope, None, send)
        return sent[-1]["body"]

    assert asyncio.run(get()) == b"page 1"
    assert asyncio.run(get()) == b"page 1"
    time.sleep(0.06)
    assert asyncio.run(get()) == b"page 2"


def test_only_plain_gets_of_the_shell_have_a_key():
    base = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
    assert cache_key(base) is not None
    assert cache_key({**base, "method": "POST"}) is None
    assert cache_key({**base, "path": "/gradio_api/queue/join"}) is None
    assert cache_key({**base, "query_string": b"page=x"}) is None
    assert cache_key({**base, "headers": [(b"host", b"a")]}) != cache_key({**base, "headers": [(b"host", b"b")]})


def test_responses_that_set_a_cookie_are_not_kept():
    import asyncio

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"set-cookie", b"s=1")]})
        await send({"type": "http.response.body", "body": b"mine"})

    cache = PageCache(app)

    async def send(message):
        pass

    asyncio.run(cache({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}, None, send))
    assert cache._pages == {}
