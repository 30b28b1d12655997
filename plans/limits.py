"""National and regional limits a plan must respect, read from data files.

Limits live in ``plans/limit_data/*.json``, one record per rule as a region or the
nation set it, with the date it takes effect. Records of one ``series`` are versions of
the same rule: the latest one in effect on the term's first day wins. A region applies
to a plan whose region equals it or lies under it ("CN/安徽/宿州" covers
"CN/安徽/宿州/埇桥区"). Records marked ``draft`` are kept for reference and not enforced.

The figures are reported, not official originals (see POLICY.md); a school or district
corrects them in the data, not in code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "limit_data"


@dataclass(frozen=True)
class Limit:
    id: str
    series: str
    region: str
    rule: str
    params: dict[str, Any]
    effective_from: dt.date
    title: dict[str, str]
    source: str = ""
    stages: tuple[str, ...] = ()
    draft: bool = False

    def applies_to(self, *, region: str, stage: str) -> bool:
        """Return whether this record covers a plan in ``region`` for ``stage``."""
        inside = region == self.region or region.startswith(self.region + "/")
        return inside and (not self.stages or stage in self.stages)

    def title_text(self) -> str:
        return _pick(self.title)


@dataclass(frozen=True)
class Breach:
    """A plan value that breaks a limit: which rule, the plan's value, the limit, the gap."""

    limit: Limit
    path: str
    value: Any
    bound: Any
    difference: Any = None
    template: str = "cap"
    unit: str = "yuan"
    difference_unit: str = ""

    @property
    def message(self) -> str:
        """Return the message in the active language (Chinese by default)."""
        words = rule_texts()
        template = _pick(words["templates"][self.template])
        return template.format(
            title=self.limit.title_text(),
            value=self._show(self.value),
            limit=self._show(self.bound),
            difference=self._show(self.difference, self.difference_unit or self.unit),
        )

    def _show(self, value: Any, unit: str = "") -> str:
        if value is None:
            return "—"
        if isinstance(value, Word):
            return value.text()
        return _pick(rule_texts()["units"][unit or self.unit]).format(value)


@dataclass(frozen=True)
class Word:
    """A value shown as a word from the rule texts (e.g. 代收费), in the active language."""

    key: str
    fill: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        words = rule_texts()["words"]
        filled = {k: _pick(words[v]) for k, v in self.fill.items()}
        return _pick(words[self.key]).format(**filled)


def _pick(texts: dict[str, str]) -> str:
    """Return the text for the active language, falling back to Chinese."""
    lang = (get_language() or "zh-hans").lower()
    if lang in texts:
        return texts[lang]
    return texts.get(lang.split("-")[0], texts.get("zh-hans", next(iter(texts.values()))))


@cache
def rule_texts() -> dict[str, Any]:
    return json.loads((DATA_DIR / "rules.json").read_text(encoding="utf-8"))


@cache
def all_limits() -> tuple[Limit, ...]:
    """Return every limit record in the data files."""
    records: list[Limit] = []
    for path in sorted(DATA_DIR.glob("*.json")):
        if path.name == "rules.json":
            continue
        for raw in json.loads(path.read_text(encoding="utf-8")):
            records.append(
                Limit(
                    id=raw["id"],
                    series=raw.get("series", raw["id"]),
                    region=raw["region"],
                    rule=raw["rule"],
                    params=raw["params"],
                    effective_from=dt.date.fromisoformat(raw["effective_from"]),
                    title=raw["title"],
                    source=raw.get("source", ""),
                    stages=tuple(raw.get("stages", ())),
                    draft=bool(raw.get("draft", False)),
                )
            )
    return tuple(records)


def limits_in_force(*, region: str, stage: str, on: dt.date) -> list[Limit]:
    """Return the limits binding a plan in ``region`` for ``stage`` on the date ``on``."""
    latest: dict[str, Limit] = {}
    for limit in all_limits():
        if limit.draft or limit.effective_from > on:
            continue
        if not limit.applies_to(region=region, stage=stage):
            continue
        held = latest.get(limit.series)
        if held is None or limit.effective_from > held.effective_from:
            latest[limit.series] = limit
    return sorted(latest.values(), key=lambda lim: (lim.region, lim.rule, lim.id))
