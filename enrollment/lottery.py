"""The seeded lottery: pure, reproducible from published data, blind to family situations.

Anyone can re-run the published part: every receipt's lottery position is the rank of
``sha256(seed + ":" + receipt)`` among all receipts of the draw. Places then go by priority
tier (the plan's order of priority groups) and, inside a tier, by lottery position. Which
receipt is in which tier is not published — only tier sizes and the last placed position of
each tier — so each guardian can check their own result without learning anyone else's.
Brothers and sisters who asked to stay together form one unit: the unit takes the best
tier and the best position of its members, and is placed whole where places allow; only
places that would otherwise stay empty are given to part of a family.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    key: int  # the Choice id
    receipt: str
    tier: int
    unit: str  # siblings kept together share a unit; otherwise the receipt itself


@dataclass
class DrawResult:
    order: list[str]  # receipts in lottery order (public)
    positions: dict[str, int]
    placed: list[int] = field(default_factory=list)  # Choice ids, in placing order
    waitlisted: list[int] = field(default_factory=list)  # Choice ids, in waiting-list order
    tier_sizes: dict[int, int] = field(default_factory=dict)
    cutoffs: dict[int, int | None] = field(default_factory=dict)


def lottery_key(seed: str, receipt: str) -> str:
    return hashlib.sha256(f"{seed}:{receipt}".encode()).hexdigest()


def lottery_order(seed: str, receipts: list[str]) -> list[str]:
    """Return ``receipts`` in lottery order for ``seed`` (the published, re-runnable part)."""
    return sorted(receipts, key=lambda r: (lottery_key(seed, r), r))


def input_hash(candidates: list[Candidate]) -> str:
    """Commit to the full input (receipts with tiers and units) without publishing it."""
    rows = sorted([c.receipt, c.tier, c.unit] for c in candidates)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def draw(candidates: list[Candidate], *, places: int, seed: str) -> DrawResult:
    """Place ``places`` of ``candidates`` by tier, then lottery position; the rest wait in order."""
    order = lottery_order(seed, [c.receipt for c in candidates])
    positions = {r: i + 1 for i, r in enumerate(order)}
    units: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        units[c.unit].append(c)
    ranked = sorted(
        units.values(),
        key=lambda members: (
            min(m.tier for m in members),
            min(positions[m.receipt] for m in members),
        ),
    )
    result = DrawResult(order=order, positions=positions)
    remaining = places
    waiting: list[Candidate] = []
    for members in ranked:
        members = sorted(members, key=lambda m: positions[m.receipt])
        if len(members) <= remaining:
            result.placed.extend(m.key for m in members)
            remaining -= len(members)
        else:
            waiting.extend(members)
    # A place must not stay empty because a family could not all fit: the first waiting
    # children (in order) take what is left, even if that splits brothers and sisters.
    for member in waiting:
        if remaining > 0:
            result.placed.append(member.key)
            remaining -= 1
        else:
            result.waitlisted.append(member.key)
    by_key = {c.key: c for c in candidates}
    for c in candidates:
        result.tier_sizes[c.tier] = result.tier_sizes.get(c.tier, 0) + 1
    for tier in result.tier_sizes:
        placed_positions = [
            positions[by_key[k].receipt] for k in result.placed if by_key[k].tier == tier
        ]
        result.cutoffs[tier] = max(placed_positions) if placed_positions else None
    return result
