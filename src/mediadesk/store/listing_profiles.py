"""Saved column mappings of supplier listings, one per partner, in `local_setting` as JSON.

A profile maps a header as written in the partner's files to a listing field. Functions take a
Session and never commit.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy.orm import Session

from mediadesk.domain.text import compact
from mediadesk.store.models import LocalSetting

log = logging.getLogger(__name__)
PREFIX = "listing_profile:"
_KEY_LENGTH = 60  # local_setting.key


def key_for(partner: str) -> str:
    return (PREFIX + (compact(partner) or "_"))[:_KEY_LENGTH]


def get(session: Session, partner: str) -> dict[str, str] | None:
    row = session.get(LocalSetting, key_for(partner))
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        log.warning("unreadable listing profile %s ignored", row.key)
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


def save(session: Session, partner: str, mapping: dict[str, str]) -> None:
    text = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
    row = session.get(LocalSetting, key_for(partner))
    if row is None:
        session.add(LocalSetting(key=key_for(partner), value=text))
    else:
        row.value = text
