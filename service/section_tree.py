"""Pure helpers over a document's flat section list: the tree, a section's ancestors and
subtree, and the subtree rendered back to readable text (for the section endpoint)."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.types import Section

_NO_LABEL_KINDS = {"preamble", "paragraph"}


def children_by_parent(sections: Sequence[Section]) -> dict[str | None, list[Section]]:
    """Children in reading order, keyed by parent path (None for top-level sections)."""
    known = {s.path for s in sections}
    children: dict[str | None, list[Section]] = {}
    for section in sorted(sections, key=lambda s: s.order):
        parent = section.parent_path if section.parent_path in known else None
        children.setdefault(parent, []).append(section)
    return children


def ancestors(sections: Sequence[Section], path: str) -> list[Section]:
    """The chain from the top section down to `path`'s parent."""
    by_path = {s.path: s for s in sections}
    chain: list[Section] = []
    current = by_path.get(path)
    seen: set[str] = set()
    while current is not None and current.parent_path and current.parent_path not in seen:
        seen.add(current.parent_path)
        current = by_path.get(current.parent_path)
        if current is not None:
            chain.append(current)
    return list(reversed(chain))


def subtree(sections: Sequence[Section], path: str) -> list[Section]:
    """`path` and all its descendants in reading order (empty if `path` is unknown)."""
    children = children_by_parent(sections)
    root = next((s for s in sections if s.path == path), None)
    if root is None:
        return []
    out: list[Section] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.path, [])))
    return out


def display_label(section: Section) -> str:
    """The label as a reader sees it: "II.", "1.1.", "a)", "Điều 1.", "Phần I", "-", "+"."""
    label = section.label
    if section.kind in _NO_LABEL_KINDS or section.kind == "footnote" or not label:
        return ""
    if section.kind == "bullet" or label[0] in "-+":
        return label[0]
    for word in ("Điều", "Phần", "Chương", "Mục"):
        if label.startswith(word) and len(label) > len(word):
            rest = label[len(word) :]
            return f"{word} {rest}." if word == "Điều" else f"{word} {rest}"
    if len(label) == 1 and label.isalpha() and label.islower():
        return f"{label})"
    return f"{label}."


def render(sections: Sequence[Section]) -> str:
    """Sections as text: each heading line (label + title) followed by its body."""
    blocks: list[str] = []
    for section in sections:
        label = display_label(section)
        head = " ".join(part for part in (label, section.title) if part)
        if section.kind == "footnote":
            head = f"[{section.label}]"
        body = section.text.strip()
        if head and body:
            blocks.append(f"{head} {body}" if section.kind == "bullet" else f"{head}\n{body}")
        elif head or body:
            blocks.append(head or body)
    return "\n".join(blocks)
