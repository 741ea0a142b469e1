"""The Flask web application: worklist, dossier, designer, auditor, admin and the REST API."""
from web.app import create_app

__all__ = ["create_app"]
