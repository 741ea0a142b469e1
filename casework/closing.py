"""Closing a case from its dossier, with its result: the result sets the retention period
(processes/retention.py, Selectielijst 2020), so a case that is never closed is never destroyed.

Only when no process of the case still runs: a running process would go on waiting for tasks,
timers and messages in a case that says it is done. Nor while a termijn of the case is open (a
bezwaar's beslistermijn, Awb 7:10, is one without a process): a closed case would still be
escalated on it, and the bezwaarmaker is owed a decision first. The result is chosen by a person; the engine
records it as the case's last event (engine.retention.closing.close_case).
"""
from __future__ import annotations

from sqlalchemy import select

from casework.accounts.admin import FormErrors
from casework.accounts.service import User
from casework.errors import NotAllowed
from casework.intake import process_names
from casework.roles import CASEWORK_ROLES
from casework.visibility import may_see_case
from engine.errors import ConflictError, NotFound
from engine.scheduling import deadlines
from engine.service import CaseEngine
from engine.storage.db import cases, instances
from processes.retention import RESULTATEN, Resultaat


def close_case(engine: CaseEngine, user: User, case_id: int, resultaat: str) -> Resultaat:
    """Close the case with its result; raises FormErrors, NotAllowed, or NotFound (also for a case
    of another gemeente or, where the gemeente chose so, of another team)."""
    if not user.roles & CASEWORK_ROLES:
        raise NotAllowed("alleen wie aan zaken werkt kan een zaak afsluiten")
    rule = RESULTATEN.get(resultaat)
    if rule is None:
        raise FormErrors({"resultaat": "Resultaat: kies het resultaat van de zaak."})
    with engine.reader.connect() as conn:
        found = conn.execute(select(cases.c.status, cases.c.gemeente).where(cases.c.id == case_id)).first()
        if found is None or found.gemeente != user.gemeente or not may_see_case(conn, user, case_id):
            raise NotFound(f"zaak {case_id} niet gevonden")
        status = found.status
        running = list(conn.execute(select(instances.c.process_id).where(
            instances.c.case_id == case_id, instances.c.status == "running")).scalars())
        names = process_names(conn, user.gemeente)
        open_terms = [d for d in deadlines.of_case(conn, case_id) if d.status == "open"]
    if status == "closed":
        raise FormErrors({"resultaat": "Resultaat: de zaak is al afgesloten."})
    if running:
        still = ", ".join(sorted({names.get(p, p) for p in running}))
        raise FormErrors({"resultaat": f"Resultaat: er lopen nog processen in deze zaak ({still}); "
                                       "sluit de zaak af als die klaar zijn."})
    if open_terms:
        terms = ", ".join(f"{d.name}, uiterlijk {d.due_date:%d-%m-%Y}" for d in open_terms)
        raise FormErrors({"resultaat": f"Resultaat: er loopt nog een termijn in deze zaak ({terms}); "
                                       "sluit de zaak af als die is afgehandeld."})
    try:
        engine.close_case(case_id, rule.key, rule.bewaartermijn, user.username)
    except ConflictError as exc:  # closed meanwhile by a colleague
        raise FormErrors({"resultaat": f"Resultaat: {exc}."}) from exc
    return rule
