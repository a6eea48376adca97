"""The rubric: the standards a record is scored against, from a YAML file a manager can read and change, checked before use.

A rubric has sub-scores (each with a weight in the overall score and its wording), each made of
criteria (each with the points it can take off its sub-score, its wording, and the points each
flag costs), and the grade words with the lowest score for each. See rubric.yaml for the default
and how its numbers are read; every mistake in a user's file is reported with where it is.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recqual import vocab

DEFAULT_RUBRIC = Path(__file__).with_name("rubric.yaml")
TOP_KEYS = ("subscores", "grades")
SUBSCORE_KEYS = ("weight", "wording", "criteria")
CRITERION_KEYS = ("points", "wording", "flags")


@dataclass(frozen=True)
class Criterion:
    name: str
    points: float  # the most this criterion can take off its sub-score
    wording: str
    flags: dict[str, float]  # flag code -> points it costs (see rubric.yaml for how they are counted)


@dataclass(frozen=True)
class Subscore:
    name: str
    weight: float  # share of the overall score, relative to the other sub-scores' weights
    wording: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Rubric:
    subscores: tuple[Subscore, ...]
    grades: tuple[tuple[str, float], ...]  # (grade word, lowest score), highest first

    @property
    def total_weight(self) -> float:
        return sum(s.weight for s in self.subscores)

    def grade(self, score: float) -> str:
        return next(word for word, floor in self.grades if score >= floor)


class RubricError(ValueError):
    """A rubric that cannot be used; the message says where the problem is."""


def _number(value: Any, where: str, low: float, high: float | None = None) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= low and (high is None or value <= high)
    if not ok:
        bounds = f"from {low:g} to {high:g}" if high is not None else f"of {low:g} or more"
        raise RubricError(f"{where} must be a number {bounds}, not {value!r}")
    return float(value)


def _mapping(value: Any, where: str, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise RubricError(
            f"{where} must be a mapping{' with ' + ', '.join(repr(k) for k in keys) if keys else ''}, not {type(value).__name__ if value else 'empty'}"
        )
    if keys is not None:
        for key in value:
            if key not in keys:
                hint = difflib.get_close_matches(str(key), keys, n=1)
                raise RubricError(f"{where}: unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else f"; the keys are {', '.join(keys)}"))
        for key in keys:
            if key not in value:
                raise RubricError(f"{where}: {key!r} is missing")
    return value


def _text(value: Any, where: str, what: str = "a sentence saying what the standard is") -> str:
    if not isinstance(value, str) or not value.strip():
        raise RubricError(f"{where} must be {what}, not {value!r}")
    return value.strip()


def _flag_code(code: Any, where: str) -> str:
    known = vocab.load("flags")["flags"]
    if code not in known:
        hint = difflib.get_close_matches(str(code), list(known), n=1)
        raise RubricError(f"{where}: {code!r} is not a flag code" + (f" (did you mean {hint[0]!r}?)" if hint else "; vocab/flags.yaml lists every code"))
    return code


def _criterion(name: str, data: Any, where: str) -> Criterion:
    data = _mapping(data, where, CRITERION_KEYS)
    points = _number(data["points"], f"{where}.points", 0, 100)
    flags = {}
    for code, cost in _mapping(data["flags"], f"{where}.flags").items():
        _flag_code(code, f"{where}.flags")
        cost = _number(cost, f"{where}.flags.{code}", 0)
        if cost > points:
            raise RubricError(f"{where}.flags.{code}: {cost:g} points is more than the criterion's {points:g}")
        flags[code] = cost
    return Criterion(str(name), points, _text(data["wording"], f"{where}.wording"), flags)


def _subscore(name: str, data: Any, where: str) -> Subscore:
    data = _mapping(data, where, SUBSCORE_KEYS)
    criteria = tuple(_criterion(c, d, f"{where}.criteria.{c}") for c, d in _mapping(data["criteria"], f"{where}.criteria").items())
    total = sum(c.points for c in criteria)
    if abs(total - 100) > 1e-6:
        raise RubricError(f"{where}.criteria: the criteria's points add up to {total:g}; they must add up to 100")
    return Subscore(str(name), _number(data["weight"], f"{where}.weight", 0), _text(data["wording"], f"{where}.wording"), criteria)


def parse(data: Any) -> Rubric:
    """The rubric in `data` (a parsed YAML file), or RubricError saying what is wrong and where."""
    data = _mapping(data, "the rubric", TOP_KEYS)
    subscores = tuple(_subscore(n, d, f"subscores.{n}") for n, d in _mapping(data["subscores"], "subscores").items())
    if sum(s.weight for s in subscores) <= 0:
        raise RubricError("subscores: the weights add up to 0; at least one sub-score needs a weight above 0")
    grades = []
    for word, floor in _mapping(data["grades"], "grades").items():
        grades.append((_text(word, "grades: each key", "a grade word"), _number(floor, f"grades.{word}", 0, 100)))
    if not any(floor == 0 for _, floor in grades):
        raise RubricError("grades: one grade must start at 0, so that every score has a grade")
    floors = [floor for _, floor in grades]
    if len(set(floors)) != len(floors):
        raise RubricError("grades: two grades start at the same score")
    return Rubric(subscores, tuple(sorted(grades, key=lambda g: -g[1])))


def validate(data: Any, source: str | Path = "<rubric>") -> Rubric:
    """`parse`, raising InputError naming `source` (the file) and the problem."""
    from recqual.ingest import InputError  # here: importing the readers costs a quarter of a second

    try:
        return parse(data)
    except RubricError as err:
        raise InputError(source, f"not a usable rubric: {err}") from None


def read(path: Path) -> dict[str, Any]:
    """A rubric file's contents, checked; InputError names the file and the problem (exit code 2 in the CLI)."""
    from recqual.ingest import InputError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err.__class__.__name__
        raise InputError(path, f"cannot be read as a rubric ({reason})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(path, f"is not valid YAML{where}: {getattr(err, 'problem', None) or err.__class__.__name__}") from None
    validate(data, path)
    return data


@functools.cache
def default() -> dict[str, Any]:
    """The rubric that ships with recqual."""
    with DEFAULT_RUBRIC.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
