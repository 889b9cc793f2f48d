"""Partner profiles of the funder report: a partner agreement may ask for a subset of the
indicators, in its own order, stored as a JSON list of codes in the local setting
``report_profile:<partner>``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError
from mediadesk.services.funder_indicators import BY_CODE, INDICATORS
from mediadesk.store.models import LocalSetting

PROFILE_PREFIX = "report_profile:"
MAX_PROFILE_NAME = 45  # the setting's key holds 60 characters, prefix included


@dataclass(frozen=True)
class IndicatorChoice:
    """An indicator a partner profile may include: its code, label and definition
    (translated)."""

    code: str
    label: str
    definition: str
    money: bool


@dataclass(frozen=True)
class ReportProfile:
    """A partner agreement's indicators, in the order its report prints them."""

    name: str
    codes: tuple[str, ...]


def profile_codes(session: Session, profile: str) -> tuple[str, ...]:
    """The indicator codes of the partner agreement ``profile``. Raises ValidationError."""
    setting = session.get(LocalSetting, PROFILE_PREFIX + profile)
    if setting is None:
        raise ValidationError("profile", _("Profil de rapport inconnu : {name}").format(
            name=profile))
    try:
        codes = json.loads(setting.value)
    except ValueError:
        codes = None
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValidationError("profile", _("Profil de rapport illisible : {name}").format(
            name=profile))
    _check_codes(codes)
    return tuple(codes)


def indicator_choices() -> tuple[IndicatorChoice, ...]:
    """Every indicator a profile may include, in the registry's order (translated)."""
    return tuple(IndicatorChoice(i.code, _(i.label), _(i.definition), i.money)
                 for i in INDICATORS)


def list_profiles(session: Session) -> tuple[ReportProfile, ...]:
    """The stored partner profiles, by name; unreadable ones are listed without indicators
    (saving them again repairs them)."""
    rows = session.execute(select(LocalSetting.key).where(
        LocalSetting.key.startswith(PROFILE_PREFIX, autoescape=True))).scalars()
    profiles = []
    for key in rows:
        name = key[len(PROFILE_PREFIX):]
        try:
            codes = profile_codes(session, name)
        except ValidationError:
            codes = ()
        profiles.append(ReportProfile(name, codes))
    return tuple(sorted(profiles, key=lambda p: p.name.casefold()))


def delete_profile(session: Session, profile: str) -> None:
    """Forget a partner profile (nothing happens when it does not exist)."""
    setting = session.get(LocalSetting, PROFILE_PREFIX + profile)
    if setting is not None:
        session.delete(setting)


def save_profile(session: Session, profile: str, codes: Iterable[str]) -> None:
    """Store the indicator selection of a partner agreement. Raises ValidationError."""
    chosen = list(dict.fromkeys(codes))
    if not profile.strip() or not chosen:
        raise ValidationError("profile", _("Un profil a un nom et au moins un indicateur."))
    if len(profile.strip()) > MAX_PROFILE_NAME:
        raise ValidationError("profile", _(
            "Le nom d'un profil compte au plus {n} caractères.").format(n=MAX_PROFILE_NAME))
    _check_codes(chosen)
    session.merge(LocalSetting(key=PROFILE_PREFIX + profile.strip(),
                               value=json.dumps(chosen)))


def _check_codes(codes: Iterable[str]) -> None:
    unknown = [code for code in codes if code not in BY_CODE]
    if unknown:
        raise ValidationError("profile", _("Indicateurs inconnus : {codes}").format(
            codes=", ".join(unknown)))

