"""Drive a real JupyterLab (or Voilà app) with Debian's Chromium (Playwright for Python).

Shared by ``tests/test_browser.py`` and ``benchmarks/bench_playground.py``. Not a test module
(pytest collects only ``test_*.py``); it imports Playwright lazily so collecting it costs nothing.

The server runs on 127.0.0.1 with a free random port and a random token, from a temporary folder
holding copies of the notebooks (the committed notebooks are never modified), with temporary
Jupyter config/data/runtime/settings/workspace folders (no news toast, no saved workspace state,
nothing written to the user's home). It is stopped by its process id (its own process group):
kernels are shut down through the REST API first, then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# JavaScript snippets evaluated in the page (JupyterLab started with expose_app_in_browser).
_JS_KERNEL = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? {status: k.status, connection: k.connectionStatus} : null;
}"""
_JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""
_JS_ALL_CELLS_RUN = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.every(c => c.model.type !== 'code' || c.model.executionCount !== null
                               || c.model.sharedModel.getSource().trim() === '');
}"""
_JS_ERRORS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const errors = [];
  for (const c of nb.widgets) {
    if (c.model.type !== 'code') continue;
    for (const o of c.model.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
    }
  }
  return errors;
}"""


def chromium_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"{CHROMIUM} is absent: install Debian's chromium (`apt-get install chromium`, "
            "which `make test` does when run as root on Debian) to run the browser tests"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright for Python is not installed (pip install -e '.[dev]')"
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """A throw-away Jupyter server process serving copies of ``notebooks``.

    Use as a context manager; ``stop()`` is idempotent and always runs on exit.
    """

    name = "server"

    def __init__(self, notebooks: list[Path], *, startup_timeout: float = 60.0) -> None:
        self.notebooks = [Path(n) for n in notebooks]
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.tmp = Path(tempfile.mkdtemp(prefix="ek-jupyter-"))
        self.root = self.tmp / "root"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        settings = self.tmp / "settings"
        notif = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notif.parent.mkdir(parents=True, exist_ok=True)
        notif.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        # JupyterLab 4 renders only the cells near the viewport ("full" windowing): a widget
        # further down a long notebook has empty texts until scrolled to. Render every cell.
        tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
        tracker.parent.mkdir(parents=True, exist_ok=True)
        tracker.write_text(json.dumps({"windowingMode": "none"}))
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
            JUPYTER_DATA_DIR=str(self.tmp / "data"),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"),
            IPYTHONDIR=str(self.tmp / "ipython"),
            MPLBACKEND="Agg",
        )
        return env

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _ready(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def start(self) -> None:
        self.root.mkdir(parents=True)
        for nb in self.notebooks:
            shutil.copy(nb, self.root / nb.name)
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                self._command(),
                cwd=self.root,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # own process group: stopped by its PID with children
            )
        deadline = time.monotonic() + self.startup_timeout
        while not self._ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.name} did not answer within {self.startup_timeout}s:\n{self.log()}"
                )
            time.sleep(0.2)

    def _before_stop(self) -> None:
        """Hook: shut kernels down cleanly (they run in their own sessions)."""

    def stop(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            self._before_stop()
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text()[-tail:]
        except OSError:
            return "(no log)"


class LabServer(_Server):
    """JupyterLab on 127.0.0.1 (random port and token), app exposed as ``window.jupyterapp``."""

    name = "JupyterLab"

    def _command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.api("status"), timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def _before_stop(self) -> None:
        try:
            with urllib.request.urlopen(self.api("kernels"), timeout=5) as r:
                kernels = json.load(r)
            for k in kernels:
                req = urllib.request.Request(self.api(f"kernels/{k['id']}"), method="DELETE")
                urllib.request.urlopen(req, timeout=10).close()
        except OSError:
            pass

    def api(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/api/{path}?token={self.token}"

    def url(self, notebook: str) -> str:
        return f"http://127.0.0.1:{self.port}/lab/tree/{notebook}?token={self.token}"


class VoilaServer(_Server):
    """The first notebook as a Voilà app on 127.0.0.1 (random port and token), as ``make app``.

    Voilà runs as root without extra flags; readiness is a socket connect (its HTTP status probe
    does not answer before a page is requested). Stopping it shuts its kernels down.
    """

    name = "Voila"

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "voila",
            "--Voila.ip=127.0.0.1",
            "--no-browser",
            f"--port={self.port}",
            "--Voila.port_retries=0",
            f"--token={self.token}",
            str(self.root / self.notebooks[0].name),
        ]

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags that work on these machines."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def dismiss_toasts(page) -> None:
    """Close a "Jupyter news" question if one covers the page (it is disabled, but be safe)."""
    no = page.get_by_role("button", name="No", exact=True)
    if no.count():
        no.first.click()


def wait_kernel_idle(page, timeout_ms: float = 60_000, settle_ms: int = 300) -> None:
    """Wait until the notebook's kernel itself is connected and idle, and stays idle briefly."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1.0, (deadline - time.monotonic()) * 1000)
        page.wait_for_function(_JS_KERNEL_IDLE, timeout=remaining)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(_JS_KERNEL_IDLE):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"kernel not idle: {page.evaluate(_JS_KERNEL)}")


def open_and_run_all(page, server: LabServer, notebook: str, timeout_ms: float = 120_000) -> None:
    """Open ``notebook``, wait for its kernel, run every cell and wait until all have run.

    Raises AssertionError naming the exception when a cell fails.
    """
    page.goto(server.url(notebook))
    wait_kernel_idle(page, timeout_ms)
    dismiss_toasts(page)
    # Clear the committed outputs (and execution counts) first, so "every cell has run" can
    # only become true once this kernel has run them; run-all resolves when all have finished.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(_JS_ALL_CELLS_RUN, timeout=timeout_ms)
    wait_kernel_idle(page, timeout_ms)
    errors = page.evaluate(_JS_ERRORS)
    assert errors == [], f"cells of {notebook} raised: {errors}"
