"""The web app: server-rendered pages (Jinja2 + HTMX) and a JSON API under /api/v1."""
