"""Corrections to shipped content reach databases loaded before, never over an editor's change.

Each app's loader describes every shipped item by a key ("term:consultations") and its fields as plain data
(strings, numbers, lists, slugs instead of ids), once as the content files have it and once as the database
has it. `ShippedContent` remembers, per key, the digest of the shipped version the database last took. On load:

- the database already holds the shipped version: remember it;
- it holds the version remembered, or, when nothing is remembered (loaded before this existed), a version the
  project shipped earlier (the app's `superseded.toml`, from git history): nobody touched it, so it is updated
  (through a revision where the model has them);
- otherwise an editor changed it: it is kept, and one line says so with the correction not applied (once per
  shipped version: the next run is quiet, and the admin lists what was kept);
- an untouched item that an editor holds (a draft waiting, taken offline) is not updated either, and said so on
  each run until the hold ends.

Changing which fields a digest covers makes every remembered digest stale: regenerate `superseded.toml`
(`manage.py superseded_content`) and expect one round of "kept" lines.
"""

import hashlib
import json
import tomllib
from collections.abc import Callable
from pathlib import Path

from core.models import ShippedContent

CONTENT_UPDATE = "core.content_update"  # the log action of revisions made by load_content (history says so)


def digest(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_superseded(path: Path) -> dict[str, set[str]]:
    """Digests of earlier shipped versions, by key (a missing file: none)."""
    if not path.exists():
        return {}
    return {key: set(digests) for key, digests in tomllib.loads(path.read_text()).items()}


def held(item) -> str:
    """Why a page or snippet with drafts is the editor's whatever its fields say: taken offline, or a draft waiting."""
    if not item.live:
        return "unpublished by an editor"
    if item.has_unpublished_changes:
        return "an editor's draft is waiting"
    return ""


class Reconciler:
    """One load's bookkeeping: what each shipped item was, what it is now, and what to do about it."""

    def __init__(self, superseded: dict[str, set[str]], report: Callable[[str], None]):
        self.superseded = superseded
        self.report = report
        self.records = {r.key: r for r in ShippedContent.objects.all()}

    def created(self, key: str, shipped: dict) -> None:
        """An item just made from the content files."""
        self.remember(key, digest(shipped))

    def sync(self, key: str, shipped: dict, current: dict, update: Callable[[], None], held: str = "") -> bool:
        """Bring an existing item up to its shipped version if nobody changed it; True if it was updated.

        `held` names why the database copy is the editor's whatever its fields say (an unpublished draft, a
        page taken offline): such an item is never updated.
        """
        new, now = digest(shipped), digest(current)
        record = self.records.get(key)
        if now == new:
            self.remember(key, new)
            return False
        if record is not None and record.digest == new:
            return False  # this shipped version was offered before: the editor's version stands, already said
        if record is not None:
            untouched = now == record.digest
        else:
            earlier = self.superseded.get(key)
            if not earlier:
                self.remember(key, new)  # never corrected since it shipped: the difference is the editor's own
                return False
            untouched = now in earlier
        if untouched and not held:
            update()
            self.remember(key, new)
            self.report(f"Updated {key} to the shipped correction.")
            return True
        why = f" ({held})" if held else ""
        self.report(
            f"Kept the editor's version of {key}{why}; the shipped correction is: {differences(shipped, current)}"
        )
        # Held but untouched: remember what it holds, so the correction comes once the draft is gone; changed by an
        # editor: remember this shipped version as offered, so the line is said once.
        self.remember(key, now if untouched else new, kept=differences(shipped, current, limit=None))
        return False

    def remember(self, key: str, value: str, kept: str = "") -> None:
        record = self.records.get(key)
        if record is None:
            self.records[key] = ShippedContent.objects.create(key=key, digest=value, kept=kept)
        elif (record.digest, record.kept) != (value, kept):
            record.digest, record.kept = value, kept
            record.save(update_fields=["digest", "kept", "updated_at"])


def differences(shipped: dict, current: dict, limit: int | None = 300) -> str:
    """The shipped fields that differ from the database's, each cut to `limit` characters (None: in full)."""
    parts = []
    for name, value in shipped.items():
        if current.get(name) != value:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            cut = limit is not None and len(text) > limit
            parts.append(f"{name} = {text[:limit] + '…' if cut else text}")
    return "; ".join(parts) or "(the same fields, but the item is held)"
