"""How names are normalised for the index: a search key (upper case, no accents, no
punctuation) and a sounds-like code (Metaphone, from jellyfish), computed the same way when an
entry is written and when someone searches."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

_NOT_LETTERS = re.compile(r"[^A-Z ]+")


def surname_key(name: str) -> str:
    """'O'Brien-Smith' → 'OBRIEN SMITH'; 'Gruffydd ap Siôn' → 'GRUFFYDD AP SION'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).upper()
    plain = plain.replace("-", " ")
    return " ".join(_NOT_LETTERS.sub("", plain).split())


def phonetic_code(name: str) -> str:
    """The sounds-like code of a surname: Smith and Smyth, Jones and Johns share one."""
    return phonetic_of_key(surname_key(name))


def phonetic_of_key(key: str) -> str:
    """The sounds-like code of a surname already made a search key (`surname_key`)."""
    key = key.replace(" ", "")
    return jellyfish.metaphone(key)[:40] if key else ""
