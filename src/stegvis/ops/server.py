"""gunicorn, run in-process by ``stegvis serve`` with settings from Stegvis' environment."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class StegvisServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from stegvis.wsgi import application

        return application
