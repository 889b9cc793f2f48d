"""Typed values <-> JSON values, one small codec per kind of answer.

Every codec has three operations:
- ``encode(value)``: the canonical JSON value of a typed value (dates as ISO text, enums as their
  stored value, tuples as lists, records as objects);
- ``decode(raw)``: the typed value of a JSON value, strict (``1`` is not a bool, ``"2024-2-1"`` is
  not a date); raises :class:`AnswerError`;
- ``coerce(value)``: accept either a typed value or its JSON form from the UI; raises
  :class:`AnswerError`.
``decode(encode(v)) == v`` for every valid ``v``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class AnswerError(ValueError):
    """A value cannot be stored under an answer key (wrong type, out of range, unknown key)."""


@dataclass(frozen=True)
class Extras:
    """JSON values this version does not understand, kept verbatim so nothing is lost.

    Held as (key, canonical JSON text) pairs sorted by key, so the holder stays immutable and
    hashable. ``Extras.of(d).to_dict() == d`` for every JSON object ``d``.
    """

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, JSON]) -> Extras:
        return cls(tuple(sorted((k, _dump(v)) for k, v in values.items())))

    def to_dict(self) -> dict[str, JSON]:
        return {key: json.loads(text) for key, text in self.items}

    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _text in self.items)

    def without(self, key: str) -> Extras:
        return Extras(tuple(item for item in self.items if item[0] != key))

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _text in self.items)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.items)


def _dump(value: JSON) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise AnswerError(f"not a JSON value: {value!r}") from exc


class Codec(Generic[T]):
    """Base class: subclasses implement encode and decode; coerce defaults to a strict check."""

    def encode(self, value: T) -> JSON:
        raise NotImplementedError

    def decode(self, raw: JSON) -> T:
        raise NotImplementedError

    def coerce(self, value: object) -> T:
        return self.decode(value)  # type: ignore[arg-type]


class BoolCodec(Codec[bool]):
    def encode(self, value: bool) -> JSON:
        return value

    def decode(self, raw: JSON) -> bool:
        if not isinstance(raw, bool):
            raise AnswerError(f"expected true or false, got {raw!r}")
        return raw


class IntCodec(Codec[int]):
    """Whole numbers (amounts in cents, sizes) with an optional inclusive minimum."""

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def encode(self, value: int) -> JSON:
        return value

    def decode(self, raw: JSON) -> int:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise AnswerError(f"expected a whole number, got {raw!r}")
        if self.minimum is not None and raw < self.minimum:
            raise AnswerError(f"{raw} is below {self.minimum}")
        return raw


class TextCodec(Codec[str]):
    def encode(self, value: str) -> JSON:
        return value

    def decode(self, raw: JSON) -> str:
        if not isinstance(raw, str):
            raise AnswerError(f"expected text, got {raw!r}")
        return raw


class DateCodec(Codec[date]):
    """Calendar days as ISO text ("2028-02-29"); a datetime is refused, not truncated."""

    def encode(self, value: date) -> JSON:
        return value.isoformat()

    def decode(self, raw: JSON) -> date:
        if not isinstance(raw, str) or not _ISO_DAY.fullmatch(raw):
            raise AnswerError(f"expected a day as YYYY-MM-DD, got {raw!r}")
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise AnswerError(f"not a calendar day: {raw!r}") from exc

    def coerce(self, value: object) -> date:
        if type(value) is date:
            return value
        return self.decode(value)  # type: ignore[arg-type]


class EnumCodec(Codec[E]):
    """Members of a StrEnum or IntEnum, stored as their value."""

    def __init__(self, enum: type[E]) -> None:
        self.enum = enum

    def encode(self, value: E) -> JSON:
        raw = value.value
        assert isinstance(raw, str | int)
        return raw

    def decode(self, raw: JSON) -> E:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise AnswerError(f"expected a {self.enum.__name__} value, got {raw!r}")
        try:
            member = self.enum(raw)
        except ValueError as exc:
            raise AnswerError(f"unknown {self.enum.__name__} value {raw!r}") from exc
        if type(member.value) is not type(raw):  # "1" is not InterventionRegister(1)
            raise AnswerError(f"expected a {self.enum.__name__} value, got {raw!r}")
        return member

    def coerce(self, value: object) -> E:
        if isinstance(value, self.enum):
            return value
        return self.decode(value)  # type: ignore[arg-type]


class OptionalCodec(Codec[T | None]):
    """``None`` (JSON null) means "not filled in"."""

    def __init__(self, inner: Codec[T]) -> None:
        self.inner = inner

    def encode(self, value: T | None) -> JSON:
        return None if value is None else self.inner.encode(value)

    def decode(self, raw: JSON) -> T | None:
        return None if raw is None else self.inner.decode(raw)

    def coerce(self, value: object) -> T | None:
        return None if value is None else self.inner.coerce(value)


class TupleCodec(Codec[tuple[T, ...]]):
    """An ordered list; with ``unique`` a repeated item is refused."""

    def __init__(self, inner: Codec[T], *, unique: bool = False) -> None:
        self.inner = inner
        self.unique = unique

    def encode(self, value: tuple[T, ...]) -> JSON:
        return [self.inner.encode(item) for item in value]

    def decode(self, raw: JSON) -> tuple[T, ...]:
        if not isinstance(raw, list):
            raise AnswerError(f"expected a list, got {raw!r}")
        return self._checked(tuple(self.inner.decode(item) for item in raw))

    def coerce(self, value: object) -> tuple[T, ...]:
        if not isinstance(value, list | tuple):
            raise AnswerError(f"expected a list, got {value!r}")
        return self._checked(tuple(self.inner.coerce(item) for item in value))

    def _checked(self, items: tuple[T, ...]) -> tuple[T, ...]:
        if self.unique and len(set(items)) != len(items):
            raise AnswerError(f"repeated items in {items!r}")
        return items


class HasExtra(Protocol):
    """A record that keeps the attributes it does not know."""

    @property
    def extra(self) -> Extras: ...


R = TypeVar("R", bound=HasExtra)


class RecordCodec(Codec[R]):
    """A frozen dataclass with an ``extra: Extras`` attribute, stored as a JSON object.

    Missing attributes take their defaults; attributes this version does not know go to
    ``extra`` and are written back unchanged.
    """

    def __init__(self, factory: Callable[..., R], fields: Mapping[str, Codec[Any]]) -> None:
        self.factory = factory
        self.fields = dict(fields)

    def encode(self, value: R) -> JSON:
        encoded = value.extra.to_dict()
        for name, codec in self.fields.items():
            encoded[name] = codec.encode(getattr(value, name))
        return encoded

    def decode(self, raw: JSON) -> R:
        return self._build(raw, strict=True)

    def coerce(self, value: object) -> R:
        if isinstance(value, dict):
            return self._build(value, strict=False)
        if type(value) is not self.factory:
            raise AnswerError(f"expected a {self.factory!r}, got {value!r}")
        return self._rebuild(value)

    def _rebuild(self, value: object) -> R:
        attrs: dict[str, object] = {name: getattr(value, name) for name in self.fields}
        attrs.update(getattr(value, "extra").to_dict())  # noqa: B009
        return self._build(attrs, strict=False)

    def _build(self, raw: object, *, strict: bool) -> R:
        if not isinstance(raw, dict):
            raise AnswerError(f"expected an object, got {raw!r}")
        known = {
            name: codec.decode(raw[name]) if strict else codec.coerce(raw[name])
            for name, codec in self.fields.items()
            if name in raw
        }
        extra = Extras.of({k: v for k, v in raw.items() if k not in self.fields})
        return self.factory(**known, extra=extra)
