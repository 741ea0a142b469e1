"""Users, roles and teams of the case-worker UI (service functions; no routes)."""
