from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from people.actor import actor_for


class ActorMiddleware:
    """Attach ``request.actor`` (lazily: pages that never ask pay no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
        return self.get_response(request)
