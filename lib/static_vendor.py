"""Serve third-party browser files that ship inside Python wheels, without a CDN or npm.

DESIGN.md: charts use plotly, whose ``plotly.min.js`` is inside the pip package. Pointing
STATICFILES_DIRS at the package would also publish its sample datasets; this finder
exposes only the named files, under ``vendor/``.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _plotly_dir() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


# URL path under STATIC_URL → (directory, file name inside it).
VENDOR_FILES = {"vendor/plotly.min.js": (_plotly_dir, "plotly.min.js")}


class VendorStorage(FileSystemStorage):
    """A storage rooted at a package directory whose files appear under ``vendor/``."""

    def __init__(self, location: Path):
        super().__init__(location=str(location))
        self.prefix = "vendor"


class VendorFinder(BaseFinder):
    def find(self, path: str, find_all: bool = False, **kwargs):
        if path not in VENDOR_FILES:
            return [] if (find_all or kwargs.get("all")) else None
        directory, name = VENDOR_FILES[path]
        found = str(directory() / name)
        return [found] if (find_all or kwargs.get("all")) else found

    def list(self, ignore_patterns):
        for directory, name in VENDOR_FILES.values():
            yield name, VendorStorage(directory())

    def check(self, **kwargs):
        return []
