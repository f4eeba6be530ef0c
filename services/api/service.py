"""api service: serves the read API and the control scope with uvicorn inside the runtime's task group."""

from __future__ import annotations

import logging
from typing import ClassVar

from services.api.app import create_app
from services.api.auth import load_or_create_token
from services.api.config import ApiSettings
from shared.logs import register_secret
from shared.runtime.health import EmbeddedServer, make_server, serve_until, wait_started
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)


class ApiService(Service):
    """The read API."""

    name: ClassVar[str] = "api"
    settings_class: ClassVar[type[ApiSettings]] = ApiSettings

    def __init__(self, settings: ApiSettings) -> None:
        super().__init__(settings)
        self.api_settings = settings
        self.token = ""
        self.control_token = ""
        self.server: EmbeddedServer | None = None

    async def start(self, ctx: ServiceContext) -> None:
        configured = self.api_settings.token.get_secret_value() if self.api_settings.token else None
        self.token, path = load_or_create_token(configured, self.api_settings.data_dir)
        register_secret(self.token)
        if path is not None:
            log.info("API token not configured; using the generated one", extra={"token_file": str(path)})
        control = self.api_settings.control_token
        self.control_token, control_path = load_or_create_token(
            control.get_secret_value() if control else None, self.api_settings.data_dir, "api-control-token"
        )
        register_secret(self.control_token)
        if control_path is not None:
            log.info(
                "API control token not configured; using the generated one",
                extra={"token_file": str(control_path)},
            )
        app = create_app(
            ctx.infra.pool,
            ctx.infra.redis,
            self.token,
            self.control_token,
            paper=self.api_settings.trading_mode == "paper",
            stopping=ctx.stopping,
            dashboard_dir=self.api_settings.dashboard,
            reports_dir=self.api_settings.reports,
        )
        host, port = self.api_settings.host, self.api_settings.port
        self.server = make_server(app, host, port, host_setting="API_HOST", port_setting="API_PORT")
        task = ctx.spawn(serve_until(self.server, ctx.stopping), name="api:http")
        await wait_started(self.server, task)

    @property
    def base_url(self) -> str:
        """Where the API listens (the bound port, also with port 0)."""
        assert self.server is not None
        return f"http://{self.api_settings.host}:{self.server.bound_port}"

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details["listening"] = bool(self.server and self.server.started)
        return details
