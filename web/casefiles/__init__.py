"""Case files on the web (issue 3 items 3, 5, 6): ledger, documents, beschikking/bezwaar, public offer.

One ``register`` so that web/app.py needs a single line for all of them.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from web.aanbod.routes import bp as aanbod_bp
    from web.aanbod.routes import guard_before_parsing
    from web.casefiles.letters import bp as letters_bp
    from web.casefiles.routes import bp as casefiles_bp
    from web.ledger.routes import bp as ledger_bp

    app.register_blueprint(ledger_bp)
    app.register_blueprint(casefiles_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(aanbod_bp)
    guard_before_parsing(app)
