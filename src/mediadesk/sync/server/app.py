"""The HTTP face of the sync server: ``create_app(settings)`` builds a FastAPI application.

Thin routes over :class:`SyncService`. Every refusal has the body ``{"detail": {"code",
"message"}}`` (:class:`ErrorBody`, French message); bodies are bounded and may be gzip-encoded
(:mod:`.body`); responses are gzip-compressed when large. The app keeps nothing in memory that
another process would need, so several processes can serve one PostgreSQL database.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from mediadesk.sync.protocol import (
    PROTOCOL_VERSION,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    ErrorCode,
    MoveRequest,
    MoveResponse,
    SyncRequest,
    SyncResponse,
    TokenRequest,
    TokenResponse,
)
from mediadesk.sync.server.body import BodyLimitMiddleware
from mediadesk.sync.server.db import make_engine
from mediadesk.sync.server.errors import NOT_FOUND, UNAVAILABLE, ServiceError
from mediadesk.sync.server.service import DeviceAuth, SyncService
from mediadesk.sync.server.settings import ServerSettings

logger = logging.getLogger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 409, 413, 415, 422, 503)
}
_bearer = HTTPBearer(auto_error=False)


class Health(BaseModel):
    status: str
    protocol: int


async def _service(request: Request) -> SyncService:
    # async: FastAPI would run a plain function in its thread pool (a hop per request).
    service: SyncService = request.app.state.service
    return service


ServiceDep = Annotated[SyncService, Depends(_service)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _device(service: SyncService, credentials: HTTPAuthorizationCredentials | None) -> DeviceAuth:
    """The authenticated device, checked in the route's own worker thread: a dependency doing
    this database read would take a thread-pool hop of its own."""
    return service.authenticate(credentials.credentials if credentials else None)


def create_app(settings: ServerSettings, service: SyncService | None = None) -> FastAPI:
    """The application; its schema must already be migrated (``db.init``)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's default thread pool (40 threads unless told).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(1, min(settings.request_threads, settings.db_pool_size))
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="MediaDesk sync server",
        version=str(PROTOCOL_VERSION),
        responses=_ERRORS,
    )
    app.state.service = service or SyncService(
        make_engine(settings.db_url, settings.db_pool_size), settings
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_compressed_bytes=settings.max_compressed_bytes,
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    _add_error_handlers(app)
    _add_routes(app)
    return app


def _add_routes(app: FastAPI) -> None:
    @app.post("/v1/enrol", response_model=EnrolResponse)
    def enrol(body: EnrolRequest, service: ServiceDep) -> Response:
        """Exchange a one-time enrolment code for this device's secret."""
        return _json(service.enrol(body))

    @app.post("/v1/token", response_model=TokenResponse)
    def token(body: TokenRequest, service: ServiceDep) -> Response:
        """A short-lived access token bound to the device."""
        return _json(service.token(body))

    @app.post("/v1/sync", response_model=SyncResponse)
    def sync(body: SyncRequest, service: ServiceDep, credentials: BearerDep) -> Response:
        """Push changesets (exactly once) and pull pages of each team's log."""
        return _json(service.sync(_device(service, credentials), body))

    @app.post("/v1/move", response_model=MoveResponse)
    def move(body: MoveRequest, service: ServiceDep, credentials: BearerDep) -> Response:
        """Move a dossier to another team (a lead of both teams): the target team's log gets
        its current state, the source team's devices remove it."""
        return _json(service.move_dossier(_device(service, credentials), body))

    @app.get("/v1/health", response_model=Health)
    def health(service: ServiceDep) -> Health:
        """Liveness and database reachability."""
        try:
            with service.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            raise ServiceError(503, UNAVAILABLE, "Base de données injoignable.") from error
        return Health(status="ok", protocol=PROTOCOL_VERSION)


def _json(model: BaseModel) -> Response:
    # Serialised once by pydantic-core: FastAPI would validate the built model again first.
    return Response(model.model_dump_json(), media_type="application/json")


def _error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    body = ServiceError(status, code, message).body().model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers or None)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, error: ServiceError) -> JSONResponse:
        body = error.body().model_dump(exclude_none=True)
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(body, status_code=error.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = "Requête invalide" + (f" (champ « {where} »)." if where else ".")
        return _error(422, ErrorCode.BAD_REQUEST, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            return _error(404, NOT_FOUND, "Adresse inconnue sur ce serveur.")
        if error.status_code == 405:
            return _error(405, ErrorCode.BAD_REQUEST, "Méthode non autorisée pour cette adresse.")
        return _error(error.status_code, ErrorCode.BAD_REQUEST, "Requête refusée.")

    @app.exception_handler(Exception)
    async def crash(_request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected server error", exc_info=error)
        return _error(500, "internal", "Erreur interne du serveur.")
