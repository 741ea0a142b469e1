"""Add a note to a case (issue 15 item 1, issue 16): who may, the Dutch answer on the field, the
note and its ``note_added`` event and the processing-log line in ONE transaction.

Notes can hold health data (AVG art. 9), so only the roles that may read special categories write
them (and another system through an API token of the gemeente, which writes but never reads them),
the text is encrypted at rest (casework/tables.py), and the chained event records its hash,
never the text: verify checks the stored note against it (casework/projections.py).
"""
from __future__ import annotations

from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from casework.projections import KIND, text_hash
from casework.roles import SPECIAL_CATEGORY_ROLES
from casework.tables import case_notes
from engine.errors import InvalidInput
from engine.storage.db import utcnow
from engine.unit_of_work import CaseWork

MAX_CHARS = 4000


def add_note(ctx: Context, client_id: int | None, case_id: int, text: str) -> int:
    """The new note's id; NotAllowed, NotFound (a case the actor may not see, or given ``client_id``,
    the case of another client: the dossier page posts for one client) or InvalidInput."""
    start, user = utcnow(), ctx.user
    if not (user.system or user.roles & SPECIAL_CATEGORY_ROLES):
        raise NotAllowed("alleen wie bijzondere persoonsgegevens mag lezen, schrijft notities")
    text = (text or "").strip()
    with ctx.engine.transaction() as tx:
        # the case first: someone who may not see it learns nothing, not even that the text was empty
        seen = visible_case(tx.conn, user, case_id, client_id)
        if not text:
            raise InvalidInput("Notitie: vul een tekst in.")
        if len(text) > MAX_CHARS:
            raise InvalidInput(f"Notitie: gebruik maximaal {MAX_CHARS} tekens.")
        note_id = record_note(tx.case(case_id), user.username, text)
        ctx.log(ctx.write_activity(), seen.bsn, seen.number, "notitie toegevoegd", True, start, tx.conn)
    return note_id


def record_note(case: CaseWork, author: str, text: str) -> int:
    """The note and its event in the case's unit of work (the rules are the caller's: ``add_note``)."""
    inserted = case.conn.execute(case_notes.insert().values(
        case_id=case.id, author=author, text=text, created_at=case.now)).inserted_primary_key
    note_id = int(inserted[0]) if inserted is not None else 0
    case.append(KIND, author, {"note_id": note_id, "tekst_sha256": text_hash(text), "tekens": len(text)})
    return note_id
