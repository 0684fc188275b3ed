"""The server side of the coordinator app (``make app``): a Voilà on loopback that is safe to leave
running on a shared machine.

``notebooks/voila.json`` (read by Voilà from the folder it starts in) sets:

- a **token**, generated at each start and printed with the address (as JupyterLab does):
  without it no page is served and no kernel is started;
- the **Host check** back on (Voilà 0.5 switches jupyter_server's ``allow_remote_access`` off
  check): a request whose ``Host`` is not a loopback name gets 403, so a DNS-rebinding page
  cannot reach the app; websockets from another ``Origin`` get 403 too (jupyter_server's
  origin check, no ``allow_origin``);
- **kernels capped** (:class:`CappedKernelManager`, ``max_kernels``, default 4): each visit starts
  a kernel of about 200 MB; past the cap a visit gets "503: too many open app pages" instead;
- **idle kernels culled**: a kernel with no page connected and idle for
  ``cull_idle_timeout`` seconds (300) is shut down, checked every ``cull_interval`` (30);
  a closed page frees its kernel.

The browser's ``Accept-Language`` is passed to the kernel (``http_header_envs``): the page
opens in French when the browser asks for it. The page itself writes nothing on the server (see :mod:`ementor_kit.widgets.app`).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

__all__ = ["APP_CONFIG", "CappedKernelManager"]

APP_CONFIG: dict[str, Any] = {
    "Voila": {
        "ip": "127.0.0.1",
        "auto_token": True,
        "tornado_settings": {"allow_remote_access": False},
    },
    "VoilaConfiguration": {
        "multi_kernel_manager_class": "ementor_kit.widgets.app_server.CappedKernelManager",
        "show_tracebacks": False,
        "http_header_envs": ["Accept-Language"],
    },
    "MappingKernelManager": {
        "cull_idle_timeout": 300,
        "cull_interval": 30,
        "cull_connected": False,
        "cull_busy": False,
    },
    "CappedKernelManager": {"max_kernels": 4},
}
"""What ``notebooks/voila.json`` holds (a test checks the two agree)."""


class CappedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, refusing a new kernel past ``max_kernels``.

    Examples
    --------
    >>> CappedKernelManager(max_kernels=2).max_kernels
    2
    """

    max_kernels = Integer(
        4, config=True, help="Most kernels running at once (one per open app page)."
    )

    async def start_kernel(  # type: ignore[override]  # jupyter_client types it synchronous
        self, *args: Any, kernel_id: str | None = None, **kwargs: Any
    ) -> str:
        """Start a kernel unless ``max_kernels`` already run (HTTP 503 then)."""
        if kernel_id is None and len(self.list_kernel_ids()) >= self.max_kernels:
            self.log.warning("refusing a kernel: %d already running", self.max_kernels)
            raise web.HTTPError(
                503,
                f"too many open app pages ({self.max_kernels}): close one, or wait until an "
                "idle page is closed by the server",
            )
        return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
