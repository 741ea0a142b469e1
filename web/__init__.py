"""The Flask web application: worklist, dossier, designer, auditor, admin and the REST API."""
