"""One error hierarchy for the whole project.

`message` is shown to end users and is Vietnamese; `detail` is for logs and developers.
The HTTP layer maps each class to a status code in one place (service.errors).
"""

from __future__ import annotations


class PlanQAError(Exception):
    """Base class: catch this to handle every PlanQA failure."""

    status_code = 400

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message


class BadDocument(PlanQAError):
    """A file that cannot be read as a plan (empty, binary, undecodable, corrupt, too large)."""

    status_code = 422


class BadRequest(PlanQAError):
    """A request or question that cannot be answered as asked."""

    status_code = 400


class NotFound(PlanQAError):
    """An unknown document, section or index."""

    status_code = 404


class IndexMissing(PlanQAError):
    """No complete index exists yet: run `planqa ingest` first."""

    status_code = 503


class IndexBusy(PlanQAError):
    """Another ingest holds the index lock."""

    status_code = 409


class ConfigError(PlanQAError):
    """A setting names a backend or model that cannot be used."""

    status_code = 500
