"""Dossier pages: routes in routes.py, the work in the service modules."""
