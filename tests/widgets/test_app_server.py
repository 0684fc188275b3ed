"""The app's server (``make app``: Voilà with ``notebooks/voila.json``) tried as an attacker on
the same machine would: no token, a foreign ``Host`` (DNS rebinding), a foreign-origin
websocket asking for the widget state, many visits (kernel cap), and pages left behind (idle
kernels culled, a closed page frees its kernel).

Each server is a throw-away Voilà on 127.0.0.1 (random port and token) serving a temporary copy
of ``notebooks/app.ipynb`` and ``notebooks/voila.json``, stopped by its process id.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from tests._jupyter_browser import VoilaServer, chromium_skip_reason, launch_chromium

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "notebooks" / "app.ipynb", ROOT / "notebooks" / "voila.json"]


class _AppServer(VoilaServer):
    """The app as ``make app`` serves it, with extra command-line settings for the test."""

    def __init__(self, *extra: str) -> None:
        super().__init__(FILES)
        self.extra = list(extra)

    def _command(self) -> list[str]:
        return [*super()._command(), *self.extra]

    def kernels(self) -> list[psutil.Process]:
        """The live kernels (a culled kernel not yet reaped is a zombie: dead, not counted)."""
        assert self.proc is not None
        alive = []
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(p.cmdline()):
                    alive.append(p)
            except (psutil.ZombieProcess, psutil.NoSuchProcess):
                continue
        return alive

    def get(self, query: str = "", host: str | None = None) -> tuple[int, str]:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/{query}")
        if host is not None:
            req.add_header("Host", host)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=120) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the 302 to the login page is the answer
        return None


def _websocket(server: _AppServer, kernel_id: str, origin: str | None, token: bool) -> str:
    """Open the kernel's channels and ask for the widget state; ``"refused 403"`` or
    ``"open"``."""
    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels"
    if token:
        url += f"?token={server.token}"
    headers = {} if origin is None else {"Origin": origin}
    request = HTTPRequest(url, headers=headers, connect_timeout=10)

    async def attempt() -> str:
        try:
            ws = await websocket_connect(request)
        except HTTPClientError as exc:
            return f"refused {exc.code}"
        msg = {
            "header": {"msg_id": "x", "msg_type": "comm_info_request", "session": "s",
                       "username": "", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"target_name": "jupyter.widget"},
        }  # fmt: skip
        await ws.write_message(json.dumps(msg))
        ws.close()
        return "open"

    return IOLoop.current().run_sync(attempt)


@pytest.fixture()
def capped():
    with _AppServer("--CappedKernelManager.max_kernels=1") as server:
        yield server


def test_token_host_origin_and_kernel_cap(capped):
    server = capped
    status, _ = server.get()
    assert status == 302 and server.kernels() == []  # no token: login page, no kernel
    status, _ = server.get(f"?token={server.token}", host="evil.example.com")
    assert status == 403 and server.kernels() == []  # DNS rebinding: refused
    status, page = server.get(f"?token={server.token}")
    assert status == 200 and len(server.kernels()) == 1
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
    for origin in ("http://evil.example.com", None):  # a foreign page, a local script
        assert _websocket(server, kernel_id, origin, token=False) == "refused 403"
    # with the token (which a foreign page cannot know) the websocket opens: the refusals
    # above are the authentication; asking for the widget state again and again stays bounded
    rss = psutil.Process(server.proc.pid).memory_info().rss
    for _ in range(20):
        assert _websocket(server, kernel_id, "http://evil.example.com", token=True) == "open"
    grown = psutil.Process(server.proc.pid).memory_info().rss - rss
    assert grown < 50e6, f"server grew by {grown / 1e6:.0f} MB"
    assert server.get(f"?token={server.token}")[0] == 503  # past max_kernels (1 here)
    assert len(server.kernels()) == 1


def test_idle_kernels_are_culled_and_a_closed_page_frees_its_kernel():
    reason = chromium_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with _AppServer(
        "--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1"
    ) as server:
        assert server.get(f"?token={server.token}")[0] == 200  # a visit left without a page
        assert len(server.kernels()) == 1
        _wait(lambda: server.kernels() == [], 90, "the idle kernel was not culled")
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                page = browser.new_page()
                page.goto(server.url())
                page.locator(".ek-upload").wait_for(timeout=60_000)
                page.wait_for_timeout(6_000)  # longer than the idle timeout: kept while open
                assert len(server.kernels()) == 1
                page.close()
                _wait(lambda: server.kernels() == [], 90, "the closed page kept its kernel")
            finally:
                browser.close()


def _wait(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.5)
