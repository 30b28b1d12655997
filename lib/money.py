"""Money in Kehou: Decimal yuan with two places, rounded half-up to the fen, split so parts add up.

Never ``float``. Every amount that is stored or shown passes through :func:`fen`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(value: Decimal | int | str) -> Decimal:
    """Return ``value`` rounded half-up to the fen (0.005 → 0.01)."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal | int | str) -> Decimal:
    """Return ``percent`` % of ``amount``, rounded to the fen."""
    return fen(Decimal(amount) * Decimal(percent) / Decimal(100))


def split(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so the parts add up to it exactly.

    Largest remainder: each part is first rounded down to the fen, then the fen left over
    go one by one to the parts with the largest remainders (earlier parts win ties).
    """
    total = fen(total)
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights, Decimal(0))
    if not weights:
        return []
    if weight_sum == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero total over zero weights")
        return [ZERO for _ in weights]
    sign = -1 if total < 0 else 1
    units = abs(total) / FEN  # whole fen
    exact = [units * w / weight_sum for w in weights]
    floors = [e.to_integral_value(rounding=ROUND_DOWN) for e in exact]
    left = int(units - sum(floors))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(f * FEN * sign).quantize(FEN) for f in floors]


def yuan(value: Decimal) -> str:
    """Return the amount as the API and exports write it: "350.00"."""
    return f"{fen(value):.2f}"
