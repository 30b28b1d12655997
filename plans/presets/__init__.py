"""The seven seed plans (课后服务实施方案1–7) as ready presets a school starts from.

Each preset file holds the policy document, a ``sources`` map from document paths to the
passage of the seed plan it was taken from (checked against ``seed_plans.txt``, a copy of
the seed text), and a ``defaults`` map saying why a field the plan is silent on has the
value it has.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

PRESET_DIR = Path(__file__).resolve().parent
PRESET_KEYS = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    plan_number: int
    document: dict[str, Any]
    sources: dict[str, str | list[str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


class UnknownPreset(KeyError):
    pass


@cache
def _load(key: str) -> Preset:
    data = json.loads((PRESET_DIR / f"{key}.json").read_text(encoding="utf-8"))
    return Preset(
        key=data["key"],
        name=data["name"],
        plan_number=data["plan_number"],
        document=data["document"],
        sources=data.get("sources", {}),
        defaults=data.get("defaults", {}),
    )


def load_preset(key: str) -> Preset:
    """Return the preset ``key`` (p1 … p7); its document is a fresh copy each time."""
    if key not in PRESET_KEYS:
        raise UnknownPreset(key)
    preset = _load(key)
    return Preset(
        key=preset.key,
        name=preset.name,
        plan_number=preset.plan_number,
        document=json.loads(json.dumps(preset.document)),
        sources=preset.sources,
        defaults=preset.defaults,
    )


def preset_choices() -> list[tuple[str, str]]:
    """Return (key, name) pairs for a select box."""
    return [(k, _load(k).name) for k in PRESET_KEYS if (PRESET_DIR / f"{k}.json").exists()]


def seed_text() -> str:
    """Return the seed plans the presets cite."""
    return (PRESET_DIR / "seed_plans.txt").read_text(encoding="utf-8")
