"""Deactivating a process version (no new cases start on it; running cases continue) and activating it
again (rolling back to it): a procesontwerper of the version's own gemeente, with a reason.

The state is recorded on the version (engine ``set_active``: who, when, why) and every change leaves a
line in the beheer log with its reason, in the same transaction. A shared version ("alle gemeenten")
is changed with a release, not by one gemeente's designer; the last active version of a process for
the gemeente is never deactivated, so a new case always has a version to start on.
"""
from __future__ import annotations

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.context import Context
from casework.errors import NotAllowed
from engine.errors import ConflictError, NotFound
from engine.models.versions import SHARED, ProcessVersion, get_version, latest_version, set_active

ROLE = "procesontwerper"
MAX_REASON = 500
DEACTIVATED = "versie_gedeactiveerd"
REACTIVATED = "versie_geactiveerd"


def deactivate(ctx: Context, version_id: int, reason: str) -> ProcessVersion:
    """New cases of the gemeente no longer start on this version."""
    return _change(ctx, version_id, False, reason)


def reactivate(ctx: Context, version_id: int, reason: str) -> ProcessVersion:
    """New cases start on this version again when it is the newest active one (a rollback)."""
    return _change(ctx, version_id, True, reason)


def _change(ctx: Context, version_id: int, active: bool, reason: str) -> ProcessVersion:
    if ctx.user.system or not ctx.user.has(ROLE):
        raise NotAllowed("alleen een procesontwerper zet een versie aan of uit")
    reason = (reason or "").strip()
    if not reason:
        raise FormErrors({"reden": "Reden: geef op waarom de versie "
                                   + ("weer actief wordt." if active else "wordt gedeactiveerd.")})
    if len(reason) > MAX_REASON:
        raise FormErrors({"reden": f"Reden: ten hoogste {MAX_REASON} tekens."})
    engine = ctx.engine
    with engine.db.begin() as conn:
        version = get_version(conn, version_id)
        if version.gemeente != ctx.user.gemeente:
            if version.gemeente == SHARED:
                raise NotAllowed("een versie voor alle gemeenten wordt met een release beheerd; rol voor uw "
                                 "gemeente een eigen versie uit")
            raise NotFound(f"procesversie {version_id} bestaat niet of hoort niet bij uw gemeente")
        try:
            changed = set_active(conn, version_id, active, ctx.user.username, reason, engine.clock.now())
        except ConflictError as exc:
            raise FormErrors({"reden": f"{str(exc)[0].upper()}{str(exc)[1:]}."}) from exc
        try:
            starts_on = latest_version(conn, version.process_id, ctx.user.gemeente)
        except NotFound as exc:  # rolled back with the transaction
            raise FormErrors({"reden": f"Versie {version.version} is de laatste actieve versie van "
                                       f"{version.process_id}: nieuwe zaken moeten op een versie kunnen "
                                       "starten."}) from exc
        record(conn, ctx.user.gemeente, ctx.user.username, REACTIVATED if active else DEACTIVATED,
               version.process_id,
               f"versie {version.version} {'weer actief' if active else 'gedeactiveerd'}; nieuwe zaken "
               f"starten op versie {starts_on.version}; reden: {reason}")
    return changed
