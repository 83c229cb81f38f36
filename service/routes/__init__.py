"""Thin route modules: validate with `service.schemas`, call the domain, convert back."""

from service.routes import ask, documents, health, search, tasks

ROUTERS = (health.router, ask.router, search.router, documents.router, tasks.router)

__all__ = ["ROUTERS"]
