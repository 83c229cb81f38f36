"""Pure Vietnamese text functions: Unicode form, one tone-mark convention, folding.

Both tone placements occur in real plans (hoà/hòa, Uỷ/Ủy). Indexing and queries use the
traditional one (tone on the first vowel of open oa, oe, uy); quotes shown to users keep the
document's own spelling, so these functions are applied to index text, never to display text.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# In NFD: an open o+a, o+e or u+y syllable end with the tone on the second vowel, e.g.
# "hoà" → h o a \u0300. Not after q ("quý" is qu + ý and correct as it is).
_OPEN_PAIR = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_])|(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _move_tone(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def canonical_tones(text: str) -> str:
    """Put tone marks in the traditional place: "hoà"→"hòa", "Uỷ"→"Ủy"; NFC out."""
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_OPEN_PAIR.sub(_move_tone, decomposed))


def fold(text: str) -> str:
    """Diacritic-free lower-case form: "Đồng Tháp" → "dong thap"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (so it was not typed accentless)."""
    return fold(text) != text.lower()


def index_form(text: str) -> str:
    """The form used for matching: NFC, canonical tones, lower case."""
    return canonical_tones(nfc(text)).lower()


__all__ = ["nfc", "canonical_tones", "fold", "has_diacritics", "index_form"]
