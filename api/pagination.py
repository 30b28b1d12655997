"""The one pagination every API list uses: ``?page=1&page_size=50``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from api.auth import actor
from people.actor import Actor

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# A bound on the page number keeps the SQL offset inside a 64-bit integer.
MAX_PAGE = 100_000

Presenter = Callable[[Any, Actor], Any]


class Pages(PageNumberPagination):
    """Page-number pagination answering ``{"items": [...], "count": N}``.

    ``present`` turns each row of the page (and only those) into what the actor may see.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
        )

    def __init__(self, *, present: Presenter | None = None, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
        self.present = present

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        if self.present is not None:
            who = actor(request)
            page["items"] = [self.present(row, who) for row in page["items"]]
        return page
