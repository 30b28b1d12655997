"""Small pieces every endpoint module shares: id bounds and the documented error answers."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from ninja import Field

from api.schemas import Error

# Primary keys are 64-bit; a larger number is no row's id (and would overflow the database).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Response codes every authenticated endpoint may answer, for the OpenAPI schema.
LIST_ERRORS = {401: Error}
DETAIL_ERRORS = {401: Error, 404: Error}


def id_or_404(value: int) -> int:
    """Return ``value`` when it can be a primary key; 404 otherwise, like a missing row."""
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value
