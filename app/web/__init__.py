"""The web service: the JSON API routes, the Chinese web UI and the offline docs page."""
