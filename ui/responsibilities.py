"""Grouping of task records by an agency's role for the «Trách nhiệm» page (pure)."""

from __future__ import annotations

from typing import Any

# Roles in the order an officer asks about them; labels are what the page shows.
ROLES = (
    ("lead", "Chủ trì"),
    ("cooperating", "Phối hợp"),
    ("executing", "Thực hiện / tham mưu"),
    ("directing", "Chỉ đạo"),
)

__all__ = ["ROLES", "agencies_in", "by_document", "roles_of"]


def agencies_in(tasks: list[dict[str, Any]]) -> list[str]:
    """Every agency named in any role (canonical names: aliases are merged at ingest)."""
    names: set[str] = set()
    for task in tasks:
        for role, _ in ROLES:
            names.update(task.get(role) or [])
    return sorted(names)


def roles_of(tasks: list[dict[str, Any]], agency: str) -> dict[str, list[dict[str, Any]]]:
    """The tasks naming `agency`, by role; a task is listed under its first matching role."""
    roles: dict[str, list[dict[str, Any]]] = {role: [] for role, _ in ROLES}
    for task in tasks:
        role = next((r for r, _ in ROLES if agency in (task.get(r) or [])), None)
        if role is not None:
            roles[role].append(task)
    return roles


def by_document(tasks: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(document title, its tasks) per document, in first-seen order."""
    groups: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for task in tasks:
        doc_id = task.get("doc_id", "")
        title = (task.get("citation") or {}).get("doc_title") or doc_id
        groups.setdefault(doc_id, (title, []))[1].append(task)
    return list(groups.values())
