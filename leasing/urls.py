"""URL helpers shared by views."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target, default="site.index"):
    """``target`` if it is a path on this site, else the default page: no open redirects."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            if "\\" not in target:
                return target
    return url_for(default)
