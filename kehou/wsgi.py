"""WSGI entry point; gunicorn serves ``kehou.wsgi`` (DESIGN.md §3: sync workers)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
application = get_wsgi_application()
