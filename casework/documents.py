"""Upload a document to a case (issue 15 item 1): who may, which kinds, the bytes checked
(processes/documents.py: magic bytes, size), the row with its ``document_added`` event and the
processing-log line in ONE transaction. Web, API and CLI call this, never processes/ directly."""
from __future__ import annotations

from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from casework.roles import CASEWORK_ROLES
from engine.errors import InvalidInput
from engine.storage.db import utcnow
from processes import documents

MAX_BYTES = documents.MAX_BYTES  # for the entrypoints' own limits (the API's body schema)
# Beschikkingen (and their concepts) are made by trede with their decision, never uploaded.
UPLOAD_SOORTEN = {k: v for k, v in documents.SOORTEN.items()
                  if k not in ("beschikking", "beschikking_concept", "beslissing_op_bezwaar")}


def upload_document(ctx: Context, case_id: int, soort: str, filename: str,
                    content: bytes) -> documents.Document:
    """The stored document; NotAllowed, NotFound (a case the actor may not see) or InvalidInput."""
    start, user = utcnow(), ctx.user
    if not (user.system or user.roles & CASEWORK_ROLES):  # a system: through an API token (casework.people)
        raise NotAllowed("alleen wie aan zaken werkt kan documenten toevoegen")
    with ctx.engine.transaction() as tx:
        seen = visible_case(tx.conn, user, case_id)  # first: a hidden case answers only "not found"
        if soort not in UPLOAD_SOORTEN:
            raise InvalidInput(f"Soort: kies een van {', '.join(UPLOAD_SOORTEN.values())}.")
        doc = documents.add(tx.case(case_id), soort, filename, content, user.username)
        ctx.log(ctx.write_activity(), seen.bsn, seen.number, "document toegevoegd", True, start, tx.conn)
    return doc
