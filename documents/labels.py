"""Editors' notes are lettered a, b … z, aa, ab …: letters keep them apart from FRUS's numbered notes.

A note's letter is given once, when it is created, and never changes or comes back after a deletion,
so a printed handout that says "note e" stays right. No Django in here.
"""

import re

LETTERS = re.compile(r"[a-z]+")


def letter(number: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def number(label: str) -> int:
    """The inverse of `letter`: a → 1, aa → 27; 0 for anything that is not a letter label."""
    if not LETTERS.fullmatch(label or ""):
        return 0
    total = 0
    for char in label:
        total = total * 26 + ord(char) - 96
    return total
