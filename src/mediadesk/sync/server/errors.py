"""The one error type server services raise; ``app`` turns it into an :class:`ErrorBody`."""

from __future__ import annotations

from mediadesk.sync.protocol import ErrorBody, ErrorDetail


class ServiceError(Exception):
    """A refusal with an HTTP status, a protocol :class:`ErrorCode` and a French message."""

    def __init__(self, status: int, code: str, message: str, expected: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.expected = expected

    def body(self) -> ErrorBody:
        return ErrorBody(
            detail=ErrorDetail(code=self.code, message=self.message, expected=self.expected)
        )


UNAVAILABLE = "unavailable"
NOT_FOUND = "not_found"


class AdminError(Exception):
    """An administration command refused (French message, shown by the CLI)."""
