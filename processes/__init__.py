"""Domain layer: rule packs, decisions and process helpers for the Participatiewet."""
