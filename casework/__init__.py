"""The use-case layer: one function per thing a person does in trede.

Web pages, the REST API, the CLI and the worker call these functions and nothing below them for
anything that changes a case; each function takes the actor, runs every rule that applies
(validation, permission, four eyes, visibility, the processing log) and writes through the engine.
Layering: ``web`` and ``cli`` import ``casework``; ``casework`` imports ``processes`` and ``engine``.
"""
