"""The case's history as a ZGW audit trail (issue 16 item 3): per change the old and new value, who,
the application, the reason where the person gave one, in the shape of the audittrail of the
Zaakgerichte Werken API's (VNG Realisatie, ZGW API's 1.x: ``bron``, ``actie``, ``resultaat``,
``hoofdObject``, ``resource``, ``wijzigingen.oud/nieuw``).

Old and new values of a fact come from the same folds verify rebuilds the tables with
(engine/audit/projections.py): the trail shows exactly what the chain proves. Health data stays
hidden from readers who may not see it, as on the other audit pages.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from engine.audit.projections import Projection, registered
from engine.storage.state import data_from_json
from web import special_category
from web.audit.history import KIND_LABELS
from web.audit.plain import plain

BRON = "trede"
NAMESPACE = uuid.UUID("6f0d7a43-3c0e-4f9a-9a57-1c4a3b1f2e16")  # uuids of trail entries, stable per event
RESOURCES = {"cases": "zaak", "deadlines": "termijn", "beschikkingen": "beschikking", "bezwaren": "bezwaar",
             "documents": "document", "ledger_lines": "boeking", "case_notes": "notitie",
             "case_teams": "zaakteam", "destruction_lists": "vernietigingslijst",
             "destruction_list_items": "vernietigingslijstregel"}
EVENT_RESOURCES = {"instance_started": "proces", "instance_migrated": "proces",
                   "message_delivered": "bericht", "signal_delivered": "signaal",
                   "timer_fired": "timer", "case_team_changed": "zaak",
                   "schedule_set": "herhaling"}
CREATE, UPDATE = "create", "partial_update"
REASON_KEYS = ("reden", "reason", "motivering", "toelichting")


def trail(rows: list[dict], case_number: str, hidden: frozenset[str]) -> list[dict]:
    """One entry per change a chained event made, oldest first."""
    facts: dict[tuple[str, Any], dict[str, Any]] = {}
    tasks: dict[str, dict[str, Any]] = {}
    entries: list[dict] = []
    for event in rows:
        payload = data_from_json(event["payload"])
        changes = list(_fact_changes(event, payload, facts)) or [_event_change(event, payload, tasks)]
        for index, (resource, key, actie, oud, nieuw) in enumerate(changes):
            entries.append(_entry(event, payload, case_number, resource, key, actie,
                                  special_category.redact(plain(oud), hidden) if oud is not None else None,
                                  special_category.redact(plain(nieuw), hidden), index))
    return entries


def _fact_changes(event: dict, payload: dict, facts: dict) -> Iterable[tuple]:
    for projection in registered():
        implied = _implied(projection, event, payload)
        for key, values in implied:
            before = facts.get((projection.table.name, key))
            changed = {c: v for c, v in values.items() if before is None or before.get(c) != v}
            facts[(projection.table.name, key)] = {**(before or {}), **values}
            if not changed:
                continue
            oud = None if before is None else {c: before.get(c) for c in changed}
            yield (RESOURCES.get(projection.table.name, projection.table.name), key,
                   CREATE if before is None else UPDATE, oud, changed)


def _implied(projection: Projection, event: dict, payload: dict) -> list[tuple[Any, dict]]:
    fold = projection.kinds.get(event["kind"])
    implied = fold(payload, event) if fold is not None else None
    if implied is None:
        return []
    return implied if isinstance(implied, list) else [implied]


def _event_change(event: dict, payload: dict, tasks: dict[str, dict]) -> tuple:
    """A change that is no table row of its own: a task's data, a claim, a started process."""
    kind, task_id = event["kind"], event["task_id"]
    if task_id:
        before = dict(tasks.get(task_id, {}))
        if kind == "task_completed":
            after = {"status": "afgerond", **(payload.get("data") or {})}
        elif kind in ("task_claimed", "task_reassigned"):
            after = {"behandelaar": payload.get("user")}
        elif kind == "task_unclaimed":
            after = {"behandelaar": None}
        else:
            after = {"status": "heropend"}
        tasks[task_id] = {**before, **after}
        oud = {k: before.get(k) for k in after if k in before} or None
        return "taak", event["task_name"] or task_id, UPDATE if before else CREATE, oud, after
    resource = EVENT_RESOURCES.get(kind, kind)
    nieuw = {k: v for k, v in payload.items() if k not in ("data",)} or dict(payload)
    return resource, event["instance_id"], CREATE, None, nieuw


def _entry(event: dict, payload: dict, case_number: str, resource: str, key: Any, actie: str,
           oud: Any, nieuw: Any, index: int) -> dict:
    reason = next((str(payload[k]) for k in REASON_KEYS if payload.get(k)), None)
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    reason = reason or next((str(data[k]) for k in REASON_KEYS if data.get(k)), None)
    actor = event["actor"]
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, f"{case_number}/{event['seq']}/{index}")),
        "bron": BRON,
        "applicatieId": "trede-api" if actor.startswith("api:") else BRON,
        "applicatieWeergave": "trede (REST API)" if actor.startswith("api:") else "trede",
        "gebruikersId": actor,
        "gebruikersWeergave": actor,
        "namens": payload.get("by") or payload.get("namens"),  # e.g. a teamleider reassigning
        "actie": actie,
        "actieWeergave": KIND_LABELS.get(event["kind"], event["kind"]),
        "resultaat": 201 if actie == CREATE else 200,
        "hoofdObject": f"urn:trede:zaak:{case_number}",
        "resource": resource,
        "resourceUrl": f"urn:trede:zaak:{case_number}:{resource}:{key}",
        "resourceWeergave": f"{resource} {key}" if key is not None else resource,
        "toelichting": reason,
        "aanmaakdatum": event["at"].isoformat(),
        "gebeurtenis": event["seq"],
        "wijzigingen": {"oud": oud, "nieuw": nieuw},
    }
