"""Generic case engine: SpiffWorkflow wrapped with persistence, timers, messages and replay.

Nothing in here knows about a municipality or the Participatiewet; rule packs and service-task
handlers plug in from ``processes``.
"""
