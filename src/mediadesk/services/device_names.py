"""The team's laptops by the names the server knows them by (the computer's name, given at
enrolment), so that conflicts and sync messages say « poste « PC-ACCUEIL-2 » » rather than a
short id.

Each sync answer names the devices that made the ops of its pages (``SyncResponse.devices``);
`remember_device_names` adds them to this store's local settings (written by `SyncService`
before the pages are applied), `device_names` reads them back and `device_label` words one.
Thread: the caller's, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import Connection

from mediadesk.i18n import _
from mediadesk.store.local_settings import get_setting, set_setting

DEVICE_NAMES_SETTING = "sync.device_names"  # JSON object: device hex id -> name


def remember_device_names(conn: Connection, names: Mapping[str, str]) -> None:
    """Add (or rename) the devices ``names`` to those already known here."""
    if not names:
        return
    known = device_names(conn)
    merged = {**known, **names}
    if merged != known:
        set_setting(conn, DEVICE_NAMES_SETTING, json.dumps(merged, sort_keys=True))


def device_names(conn: Connection) -> dict[str, str]:
    """Every device name known here, by hex id (empty before the first sync)."""
    value = get_setting(conn, DEVICE_NAMES_SETTING)
    return dict(json.loads(value)) if value else {}


def device_label(device: str, own: str, names: Mapping[str, str]) -> str:
    """How a person reads the device ``device``: this laptop, its name, or its short id."""
    if device == own:
        return _("ce poste")
    name = names.get(device, "").strip()
    if name:
        return _("poste « {name} »").format(name=name)
    return _("poste {id}").format(id=device[:6])
