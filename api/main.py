"""The REST API (django-ninja). Being built: students, guardians, classes, terms."""

from ninja import NinjaAPI

api = NinjaAPI(title="Kehou API", version="1", urls_namespace="api")
