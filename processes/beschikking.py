"""Beschikkingen and bezwaar.

Every grant or refusal becomes a beschikking: a PDF letter stored as a document on the case
(decision, motivation, the rule that fired or the departure from the rules' proposal, the bezwaar
clause). It is written as a concept and counts as sent only after its review step (issue 18 item 9):
concept -> gecontroleerd -> verzonden, each a chained event of the case (``check``, ``send``; the use
case is casework/letters.py). Sending writes the final letter in the gemeente's template, with the
addressee's address and one date, the day it is sent; the Awb terms run from that date (Awb 3:41,
6:8). A terugvordering (Awb 4:57: recovering an amount is a decision of its own) is a beschikking
too: it names the amount to pay back. Models
ask for it with the service task ``beschikking`` right after a decision is checked; the letter is
written in the same transaction as that step's event.

Bezwaar (Awb chapter 6 and 7):
- term: six weeks (6:7), starting the day after the beschikking was sent (6:8); a term ending on a
  weekend day or public holiday runs on to the next working day (Algemene termijnenwet art. 1);
- late is niet-ontvankelijk unless the lateness is excusable (6:11): the reason is recorded;
- the decision on the bezwaar is due six weeks after the end of the objection term, twelve with
  an advisory committee (7:10 lid 1): a legal deadline on the case;
- gegrond: the beschikking is revoked and a revision event recorded (7:11); where the process is
  still running, its decision task is reopened for a case manager to decide again; money the
  decision itself booked (a recovery) lapses: a line not yet with the financial system is
  withdrawn, otherwise a counter line undoes it (``ledger.revoke_for_decision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from engine.errors import ConflictError, InvalidInput, NotFound, StepFailed
from engine.runtime import StepContext
from engine.scheduling import deadlines as deadline_rows
from engine.scheduling.termijnen import due_date, legal_date
from engine.service import CaseEngine
from engine.storage.db import clients, events, instances
from engine.storage.state import data_from_json
from engine.unit_of_work import CaseWork, Transaction
from processes import beschikking_pdf, documents, ledger
from processes.step_event import step_event_seq
from processes.system_models import HEROVERWEGING
from processes.tables import beschikkingen, bezwaren

# "beeindigen": the college ends a service it gave (seed 002, doelgroep nug/Anw/LKS/beschut C e)
BESLUITEN = ("toekennen", "afwijzen", "terugvorderen", "beeindigen")
CONCEPT, GECONTROLEERD, VERZONDEN = "concept", "gecontroleerd", "verzonden"
INGETROKKEN = "ingetrokken"  # not a step: the decision was reopened before the letter went out
BRIEF_STATUS = {CONCEPT: "concept", GECONTROLEERD: "gecontroleerd, klaar voor verzending",
                VERZONDEN: "verzonden"}
HEROPEND_VERZONDEN = "verzonden op basis van een heropend besluit"
MET_BEDRAG = ("terugvorderen",)  # decisions that cannot be written without their amount
BEZWAAR_TERMIJN = "P6W"  # Awb 6:7
BESLISTERMIJN = "P6W"  # Awb 7:10 lid 1
BESLISTERMIJN_ADVIESCOMMISSIE = "P12W"  # Awb 7:10 lid 1, with a committee (Awb 7:13)
BEZWAAR_TERM_NAME = "Beslissing op bezwaar {}"  # the deadline of an admissible bezwaar, by its id
# Awb 7:11: gegrond (the decision is revoked and taken again) or ongegrond; niet-ontvankelijk when the
# bezwaar cannot be treated on its merits (Awb 6:6 verzuim not repaired, 8:1 no belanghebbende, 6:11),
# always with its reason.
UITKOMSTEN = ("gegrond", "ongegrond", "niet-ontvankelijk")
# Awb 7:2: the indiener is heard before the decision on the bezwaar; 7:3 names when that may be left
# out, each fitting only some outcomes. key -> (text in the beslissing, outcomes it allows)
HOREN: dict[str, tuple[str, tuple[str, ...]]] = {
    "gehoord": ("De indiener is gehoord (Awb 7:2).", UITKOMSTEN),
    "kennelijk_niet_ontvankelijk": ("Niet gehoord: het bezwaar is kennelijk niet-ontvankelijk (Awb 7:3 a).",
                                    ("niet-ontvankelijk",)),
    "kennelijk_ongegrond": ("Niet gehoord: het bezwaar is kennelijk ongegrond (Awb 7:3 b).", ("ongegrond",)),
    "afgezien": ("Niet gehoord: de indiener heeft verklaard geen gebruik te maken van het recht te worden "
                 "gehoord (Awb 7:3 c).", UITKOMSTEN),
    "volledig_tegemoetgekomen": ("Niet gehoord: aan het bezwaar wordt volledig tegemoetgekomen (Awb 7:3 e).",
                                 ("gegrond",)),
}


@dataclass(frozen=True)
class Beschikking:
    id: int
    case_id: int
    instance_id: int | None
    event_seq: int | None
    onderwerp: str
    besluit: str
    motivering: str
    regel: str
    verzonden_op: date | None  # None: not sent yet (a concept or checked)
    bezwaar_einde: date | None
    document_id: int | None
    status: str
    bedrag: Decimal | None = None  # the amount the letter names
    brief_status: str = "verzonden"  # concept | gecontroleerd | verzonden
    created_by: str = ""
    gecontroleerd_door: str | None = None
    verzonden_door: str | None = None
    adres: str | None = None
    heropend: str | None = None  # why the decision was reopened after this letter was made

    @property
    def verzonden(self) -> bool:
        return self.brief_status == VERZONDEN

    @property
    def ingetrokken(self) -> bool:
        return self.brief_status == INGETROKKEN


def letter_state(letter: Beschikking) -> str:
    """The letter's state in words, with the reason where its decision was reopened."""
    if letter.ingetrokken:
        return f"ingetrokken: het besluit is heropend ({letter.heropend})"
    state = BRIEF_STATUS.get(letter.brief_status, letter.brief_status)
    if letter.verzonden and letter.heropend:
        return f"{state}; {HEROPEND_VERZONDEN} ({letter.heropend})"
    return state


@dataclass(frozen=True)
class Bezwaar:
    id: int
    case_id: int
    beschikking_id: int
    ontvangen_op: date
    tijdig: bool
    verschoonbaar: str | None
    adviescommissie: bool
    gronden: str
    deadline_id: int | None
    status: str
    beslissing: str | None


def bezwaar_einde(verzonden_op: date | None) -> date | None:
    """Last day to object: six weeks from the day after sending (6:7, 6:8), Atw art. 1 applied.

    Starting the day after and counting six weeks ends on the same weekday as the sending day. A
    letter not sent has no term yet.
    """
    return None if verzonden_op is None else due_date(verzonden_op, BEZWAAR_TERMIJN)


def _beschikking(row) -> Beschikking:
    return Beschikking(
        row["id"],
        row["case_id"],
        row["instance_id"],
        row["event_seq"],
        row["onderwerp"],
        row["besluit"],
        row["motivering"],
        row["regel"],
        row["verzonden_op"],
        bezwaar_einde(row["verzonden_op"]),
        row["document_id"],
        row["status"],
        None if row["bedrag_centen"] is None else Decimal(row["bedrag_centen"]) / 100,
        row["brief_status"],
        row["created_by"],
        row["gecontroleerd_door"],
        row["verzonden_door"],
        row["adres"],
        row["heropend"],
    )


def _bezwaar(row) -> Bezwaar:
    return Bezwaar(
        row["id"],
        row["case_id"],
        row["beschikking_id"],
        row["ontvangen_op"],
        row["tijdig"],
        row["verschoonbaar"],
        row["adviescommissie"],
        row["gronden"],
        row["deadline_id"],
        row["status"],
        row["beslissing"],
    )


def fired_rule(data: dict, decision_id: str | None) -> str:
    """The rule of the decision table that fired, from the trace the decision service leaves."""
    trace = data.get(f"beslissing_{decision_id}") if decision_id else None
    if not isinstance(trace, dict) or not trace.get("regel"):
        return ""
    rule = trace["regel"]
    ref = f"{rule.get('id')}: {rule.get('omschrijving')}" if isinstance(rule, dict) else str(rule)
    # a table deployed from the designer is named by its version too (older records have none)
    deployed = f", regelversie {trace['regelversie']}" if trace.get("regelversie") else ""
    return f"{decision_id} (versie {trace.get('versie')}{deployed}), regel {ref}"


def applied_rule(data: dict, besluit: str, basis: str, decision_id: str | None) -> str:
    """What the letter names as the rule applied: the legal basis and the rule of the decision
    table that fired when the decision follows the rules' proposal; when the person departed from
    it (the model's ``voorstel``), it says so and that the reason is the motivation (Awb 3:46, 4:84)."""
    fired = fired_rule(data, decision_id)
    voorstel = data.get("voorstel")
    if isinstance(voorstel, str) and voorstel in BESLUITEN and voorstel != besluit:
        afwijking = (f"Dit besluit wijkt af van het voorstel van de beslisregels ({voorstel}"
                     + (f"; {fired}" if fired else "") + "). Waarom staat in de motivering.")
        return "; ".join(part for part in (basis, afwijking) if part)
    return "; ".join(part for part in (basis, fired) if part)


def issue(
    conn: Connection,
    case: dict,
    *,
    onderwerp: str,
    besluit: str,
    motivering: str,
    regel: str,
    actor: str,
    now: datetime,
    instance_id: int | None = None,
    event_seq: int | None = None,
    bedrag: Decimal | None = None,
    aan: str | None = None,
) -> int:
    """Write the concept letter and the beschikking row (inside the caller's transaction).

    ``aan`` is the addressee when it is not the inwoner (an employer whose advance is recovered). The
    letter is a concept: it has no date of dispatch until it is sent (``send``).
    """
    if besluit not in BESLUITEN:
        raise InvalidInput(f"besluit: moet een van {', '.join(BESLUITEN)} zijn, niet {besluit!r}")
    if besluit in MET_BEDRAG and (bedrag is None or bedrag <= 0):
        raise InvalidInput(f"bedrag: een besluit '{besluit}' noemt het bedrag (groter dan nul)")
    naam = (aan or "").strip() or (
        conn.execute(select(clients.c.naam).where(clients.c.id == case["client_id"])).scalar() or ""
    )
    pdf = beschikking_pdf.render(
        gemeente=case["gemeente"],
        case_number=case["case_number"],
        naam=naam,
        onderwerp=onderwerp,
        besluit=besluit,
        motivering=motivering,
        regel=regel,
        bedrag=bedrag,
        verzonden_op=None,
        bezwaar_einde=None,
    )
    doc = documents.store(
        conn, case["id"], "beschikking_concept", f"concept-beschikking-{case['case_number']}.pdf", pdf, actor,
        now)
    return conn.execute(
        beschikkingen.insert().values(
            case_id=case["id"],
            instance_id=instance_id,
            event_seq=event_seq,
            onderwerp=onderwerp,
            besluit=besluit,
            bedrag_centen=None if bedrag is None else int(bedrag * 100),
            motivering=motivering or "",
            regel=regel or "",
            verzonden_op=None,
            document_id=doc.id,
            status="geldig",
            brief_status=CONCEPT,
            adres=None,
            created_by=actor,
            created_at=now,
        )
    ).inserted_primary_key[0]


def beschikking_service(ctx: StepContext, task, params: dict) -> dict:
    """Service task ``beschikking`` (params onderwerp, besluit, motivering, regel, beslissing;
    optional bedrag, aan).

    ``regel`` is the legal basis the model names (seed + article); the rule of the decision table
    that fired is added from the decision trace in the task data (param ``beslissing``: its id).
    ``bedrag`` is the amount the letter names (required for a terugvordering).
    """
    besluit, onderwerp = params.get("besluit"), params.get("onderwerp")
    if besluit not in BESLUITEN or not onderwerp:
        raise StepFailed(
            f"beschikking: 'onderwerp' en 'besluit' ({'/'.join(BESLUITEN)}) zijn verplicht",
            task.task_spec.bpmn_name,
        )
    bedrag = _amount(params.get("bedrag"), task)
    if besluit in MET_BEDRAG and (bedrag is None or bedrag <= 0):
        raise StepFailed(
            f"beschikking: een besluit '{besluit}' noemt het bedrag (groter dan nul)",
            task.task_spec.bpmn_name,
        )
    aan = str(params.get("aan") or "") or None
    regel = applied_rule(dict(task.data), besluit, str(params.get("regel") or ""), params.get("beslissing"))
    motivering = str(params.get("motivering") or "")

    def write(conn: Connection, case: dict, instance_id: int, actor: str, now: datetime, append) -> dict:
        seq = step_event_seq(conn, case, instance_id)  # the step's own event: the decision
        beschikking_id = issue(
            conn,
            case,
            onderwerp=str(onderwerp),
            besluit=besluit,
            motivering=motivering,
            regel=regel,
            actor=actor,
            now=now,
            instance_id=instance_id,
            event_seq=seq,
            bedrag=bedrag,
            aan=aan,
        )
        return append(
            conn,
            case,
            kind="beschikking_issued",
            actor=actor,
            at=now,
            instance_id=instance_id,
            payload={**issued_payload(conn, beschikking_id, seq), **({"aan": aan} if aan else {})},
        )

    ctx.effects.append(write)
    return {"besluit": besluit}


def issued_payload(conn: Connection, beschikking_id: int, decision_event: int | None) -> dict:
    """The ``beschikking_issued`` event: what the row records (issue 16: besluit and bedrag, the
    motivation and rule, Awb 3:46 and 4:32, the date it was sent, Awb 6:8) and its letter."""
    row = conn.execute(select(beschikkingen).where(beschikkingen.c.id == beschikking_id)).mappings().one()
    letter = documents.get(conn, row["document_id"])
    cents = row["bedrag_centen"]
    return {"beschikking_id": beschikking_id, "besluit": row["besluit"], "onderwerp": row["onderwerp"],
            "decision_event": decision_event,
            **({"bedrag": str(Decimal(cents) / 100)} if cents is not None else {}),
            "motivering": row["motivering"], "regel": row["regel"], "verzonden_op": row["verzonden_op"],
            "brief_status": row["brief_status"], "document_id": row["document_id"],
            "document": {"soort": letter.soort, "filename": letter.filename, "sha256": letter.sha256,
                         "size": letter.size, "content_type": letter.content_type}}


def issue_on_case(case: CaseWork, *, onderwerp: str, besluit: str, motivering: str, regel: str, actor: str,
                  bedrag: Decimal | None = None, aan: str | None = None) -> int:
    """A beschikking outside a process step (e.g. taken by hand), with its event, in the case's unit
    of work: the row, its letter and the chained fact land together."""
    beschikking_id = issue(case.conn, case.row, onderwerp=onderwerp, besluit=besluit, motivering=motivering,
                           regel=regel, actor=actor, now=case.now, bedrag=bedrag, aan=aan)
    case.append("beschikking_issued", actor, {**issued_payload(case.conn, beschikking_id, None),
                                              **({"aan": aan} if aan else {})})
    return beschikking_id


def check(case: CaseWork, beschikking_id: int, actor: str, *, four_eyes: bool) -> Beschikking:
    """concept -> gecontroleerd: someone read the letter; with ``four_eyes`` (the gemeente's
    setting) not the person whose decision it is. The caller holds the case's unit of work."""
    found = _letter_of(case, beschikking_id)
    if found.brief_status != CONCEPT:
        raise ConflictError(f"de brief is al {letter_state(found)}")
    if four_eyes and actor == found.created_by:
        raise InvalidInput("controle: u nam dit besluit; een collega controleert de brief (vier ogen, "
                           "instelling van uw gemeente)")
    case.conn.execute(update(beschikkingen).where(beschikkingen.c.id == beschikking_id).values(
        brief_status=GECONTROLEERD, gecontroleerd_door=actor, gecontroleerd_op=case.now))
    case.append("beschikking_gecontroleerd", actor, {"beschikking_id": beschikking_id,
                                                     "brief_status": GECONTROLEERD})
    return _get_beschikking(case.conn, beschikking_id)


def send(case: CaseWork, beschikking_id: int, actor: str, *, adres: str,
         hoofd: beschikking_pdf.Briefhoofd | None = None) -> Beschikking:
    """gecontroleerd -> verzonden: the letter in the gemeente's template, to the addressee at
    ``adres``, dated the day it is sent; from that day the beschikking counts (Awb 3:41) and the
    objection term runs (Awb 6:8)."""
    found = _letter_of(case, beschikking_id)
    if found.brief_status != GECONTROLEERD:
        state = letter_state(found)
        raise ConflictError(f"alleen een gecontroleerde brief kan worden verzonden; deze is {state}")
    adres = "\n".join(line.strip() for line in (adres or "").strip().splitlines() if line.strip())
    if not adres:
        raise InvalidInput("adres: vul het adres van de geadresseerde in")
    conn, now, row = case.conn, case.now, case.row
    sent = legal_date(now)
    naam = conn.execute(select(clients.c.naam).where(clients.c.id == row["client_id"])).scalar() or ""
    concept = documents.get(conn, found.document_id) if found.document_id else None
    pdf = beschikking_pdf.render(
        gemeente=row["gemeente"], case_number=row["case_number"], naam=_addressee(conn, found, naam),
        onderwerp=found.onderwerp, besluit=found.besluit, motivering=found.motivering, regel=found.regel,
        bedrag=found.bedrag, verzonden_op=sent, bezwaar_einde=bezwaar_einde(sent), adres=adres, hoofd=hoofd,
    )
    letter = documents.store(conn, row["id"], "beschikking", f"beschikking-{row['case_number']}.pdf", pdf,
                             actor, now)
    conn.execute(update(beschikkingen).where(beschikkingen.c.id == beschikking_id).values(
        brief_status=VERZONDEN, verzonden_op=sent, verzonden_door=actor, adres=adres, document_id=letter.id))
    case.append("beschikking_verzonden", actor, {
        "beschikking_id": beschikking_id, "brief_status": VERZONDEN, "verzonden_op": sent, "adres": adres,
        "concept_document_id": concept.id if concept else None, "document_id": letter.id,
        "document": {"soort": letter.soort, "filename": letter.filename, "sha256": letter.sha256,
                     "size": letter.size, "content_type": letter.content_type}})
    return _get_beschikking(conn, beschikking_id)


def decision_reopened(case: CaseWork, beschikking_id: int, actor: str, reden: str) -> str:
    """The decision behind the letter was reopened (a task correction, casework/correction.py): a
    letter not yet sent is withdrawn, so it can never go out, and the new decision gets a letter of
    its own; a sent letter counts (Awb 3:41) and changes only through bezwaar or a new decision (Awb
    4:48-4:50), so it is flagged. A chained event either way; returns what became of the letter."""
    found = _letter_of(case, beschikking_id)
    if found.verzonden:
        case.conn.execute(update(beschikkingen).where(beschikkingen.c.id == beschikking_id)
                          .values(heropend=reden))
        case.append("beschikking_heropend", actor, {"beschikking_id": beschikking_id, "reden": reden})
        return HEROPEND_VERZONDEN
    if found.ingetrokken:
        return INGETROKKEN
    case.conn.execute(update(beschikkingen).where(beschikkingen.c.id == beschikking_id)
                      .values(brief_status=INGETROKKEN, heropend=reden))
    case.append("beschikking_ingetrokken", actor, {"beschikking_id": beschikking_id,
                                                   "brief_status": INGETROKKEN, "reden": reden})
    return INGETROKKEN


def _addressee(conn: Connection, found: Beschikking, client_name: str) -> str:
    """To whom the letter goes: the inwoner, unless the process named someone else (``aan``, e.g. an
    employer whose advance is recovered), as its ``beschikking_issued`` event records."""
    aan = conn.execute(select(events.c.payload).where(
        events.c.case_id == found.case_id, events.c.kind == "beschikking_issued")).all()
    for (payload,) in aan:
        data = data_from_json(payload) if isinstance(payload, str) else payload
        if isinstance(data, dict) and data.get("beschikking_id") == found.id and data.get("aan"):
            return str(data["aan"])
    return client_name


def _letter_of(case: CaseWork, beschikking_id: int) -> Beschikking:
    found = _get_beschikking(case.conn, beschikking_id)
    if found.case_id != case.id:
        raise NotFound(f"beschikking {beschikking_id} bestaat niet")
    if found.status != "geldig":
        raise ConflictError("deze beschikking is herzien na bezwaar; de brief gaat niet meer uit")
    return found


def _amount(value, task) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return ledger.to_amount(value)
    except InvalidInput as exc:
        raise StepFailed(f"beschikking: {exc}", task.task_spec.bpmn_name) from exc


def beschikkingen_of(conn: Connection, case_id: int) -> list[Beschikking]:
    rows = conn.execute(
        select(beschikkingen).where(beschikkingen.c.case_id == case_id).order_by(beschikkingen.c.id)
    ).mappings()
    return [_beschikking(r) for r in rows]


def bezwaren_of(conn: Connection, case_id: int) -> list[Bezwaar]:
    rows = conn.execute(
        select(bezwaren).where(bezwaren.c.case_id == case_id).order_by(bezwaren.c.id)
    ).mappings()
    return [_bezwaar(r) for r in rows]


def _get_beschikking(conn: Connection, beschikking_id: int) -> Beschikking:
    row = conn.execute(select(beschikkingen).where(beschikkingen.c.id == beschikking_id)).mappings().first()
    if row is None:
        raise NotFound(f"beschikking {beschikking_id} bestaat niet")
    return _beschikking(row)


def _get_bezwaar(conn: Connection, bezwaar_id: int) -> Bezwaar:
    row = conn.execute(select(bezwaren).where(bezwaren.c.id == bezwaar_id)).mappings().first()
    if row is None:
        raise NotFound(f"bezwaar {bezwaar_id} bestaat niet")
    return _bezwaar(row)


class BezwaarService:
    """Register and decide objections; every change is an event in the case's chain."""

    def __init__(self, engine: CaseEngine) -> None:
        self.engine = engine

    def list(self, case_id: int) -> tuple[list[Beschikking], list[Bezwaar]]:
        with self.engine.reader.connect() as conn:
            return beschikkingen_of(conn, case_id), bezwaren_of(conn, case_id)

    def register(
        self,
        beschikking_id: int,
        ontvangen_op: date,
        gronden: str,
        actor: str,
        adviescommissie: bool = False,
        verschoonbaar: str | None = None,
        gepost_op: date | None = None,
    ) -> Bezwaar:
        with self.engine.transaction() as tx:
            return register_bezwaar(tx, beschikking_id, ontvangen_op, gronden, actor,
                                    adviescommissie=adviescommissie, verschoonbaar=verschoonbaar,
                                    gepost_op=gepost_op)

    def decide(self, bezwaar_id: int, uitkomst: str, motivering: str, actor: str,
               horen: str | None = None) -> Bezwaar:
        with self.engine.transaction() as tx:
            return decide_bezwaar(tx, bezwaar_id, uitkomst, motivering, actor, horen=horen)


def tijdig_ontvangen(einde: date, ontvangen_op: date, gepost_op: date | None) -> bool:
    """Awb 6:9 lid 1: received before the term ended; lid 2: by post, posted before the term ended
    and received no later than a week after it."""
    if ontvangen_op <= einde:
        return True
    return gepost_op is not None and gepost_op <= einde and ontvangen_op <= einde + timedelta(days=7)


def register_bezwaar(
    tx: Transaction,
    beschikking_id: int,
    ontvangen_op: date,
    gronden: str,
    actor: str,
    adviescommissie: bool = False,
    verschoonbaar: str | None = None,
    gepost_op: date | None = None,
) -> Bezwaar:
    """Register a bezwaar inside the caller's transaction (the use case adds its log line to it).

    ``gepost_op`` is the postmark of a bezwaarschrift sent by post: Awb 6:9 lid 2 counts it in time
    when posted before the term ended and received no later than a week after."""
    if not (gronden or "").strip():
        raise InvalidInput("gronden: waarom is de indiener het niet eens met het besluit? (Awb 6:5)")
    conn, now = tx.conn, tx.now
    found = _get_beschikking(conn, beschikking_id)
    case = tx.case(found.case_id)
    if found.verzonden_op is None or found.bezwaar_einde is None:
        raise InvalidInput("beschikking_id: deze beschikking is nog niet verzonden; de bezwaartermijn begint "
                           "pas op de dag na verzending (Awb 6:8)")
    if ontvangen_op < found.verzonden_op:
        raise InvalidInput(
            "ontvangen_op: een bezwaar kan niet eerder ontvangen zijn dan de beschikking"
        )
    if ontvangen_op > legal_date(now):  # received is a fact: the Awb 6:9 term counts from it
        raise InvalidInput("ontvangen_op: deze datum ligt in de toekomst; vul de datum in waarop "
                           "het bezwaarschrift binnenkwam (Awb 6:9)")
    if gepost_op is not None and not found.verzonden_op <= gepost_op <= ontvangen_op:
        raise InvalidInput(
            "gepost_op: de postdatum ligt tussen de verzending van de beschikking en de ontvangst "
            "van het bezwaar"
        )
    tijdig = tijdig_ontvangen(found.bezwaar_einde, ontvangen_op, gepost_op)
    reason = (verschoonbaar or "").strip() or None
    ontvankelijk = tijdig or reason is not None  # Awb 6:11
    status = "ingediend" if ontvankelijk else "niet-ontvankelijk"
    beslissing = (
        None
        if ontvankelijk
        else (
            f"Niet-ontvankelijk: ontvangen op {ontvangen_op.isoformat()}, "
            "na het einde van de bezwaartermijn "
            f"op {found.bezwaar_einde.isoformat()} (Awb 6:7, 6:8); de termijnoverschrijding is niet "
            "verschoonbaar (Awb 6:11)."
        )
    )
    bezwaar_id = conn.execute(
        bezwaren.insert().values(
            case_id=found.case_id,
            beschikking_id=beschikking_id,
            ontvangen_op=ontvangen_op,
            tijdig=tijdig,
            verschoonbaar=reason if not tijdig else None,
            adviescommissie=adviescommissie,
            gronden=gronden.strip(),
            status=status,
            beslissing=beslissing,
            registered_by=actor,
            registered_at=now,
            decided_by=None if ontvankelijk else actor,
            decided_at=None if ontvankelijk else now,
        )
    ).inserted_primary_key[0]
    case.append(
        "bezwaar_registered",
        actor,
        {
            "bezwaar_id": bezwaar_id,
            "beschikking_id": beschikking_id,
            "ontvangen_op": ontvangen_op,
            "tijdig": tijdig,
            "gepost_op": gepost_op,
            "verschoonbaar": reason if not tijdig else None,
            "status": status,
            "gronden": gronden.strip(),
            "adviescommissie": adviescommissie,
            "beslissing": beslissing,
        },
    )
    if ontvankelijk:
        # Awb 7:10: counted from the day after the objection term ended. Written in this
        # transaction so a bezwaar never lacks its term.
        term = BESLISTERMIJN_ADVIESCOMMISSIE if adviescommissie else BESLISTERMIJN
        deadline = case.set_deadline(
            BEZWAAR_TERM_NAME.format(bezwaar_id),
            found.bezwaar_einde,
            term,
            actor,
            legal_basis="Awb 7:10 lid 1",
        )
        conn.execute(
            update(bezwaren).where(bezwaren.c.id == bezwaar_id).values(deadline_id=deadline.id)
        )
    return _get_bezwaar(conn, bezwaar_id)


def decide_bezwaar(tx: Transaction, bezwaar_id: int, uitkomst: str, motivering: str, actor: str,
                   horen: str | None = None, hoofd: beschikking_pdf.Briefhoofd | None = None) -> Bezwaar:
    """Decide on a bezwaar in the caller's ONE transaction: the decision, its deadline, and when it is
    upheld the revision, the money that lapses and the decision task reopened (or a new process).

    ``horen`` records the hearing (Awb 7:2) or the 7:3 ground for leaving it out (a HOREN key); the
    use case requires it, it is checked against the outcome and written into the beslissing."""
    if uitkomst not in UITKOMSTEN:
        raise InvalidInput("uitkomst: kies gegrond, ongegrond of niet-ontvankelijk")
    if not (motivering or "").strip():
        if uitkomst == "niet-ontvankelijk":
            raise InvalidInput(
                "motivering: noem waarom het bezwaar niet-ontvankelijk is (bijvoorbeeld Awb 6:6)"
            )
        raise InvalidInput("motivering: een beslissing op bezwaar is gemotiveerd (Awb 7:12)")
    reden = motivering.strip()
    if uitkomst == "niet-ontvankelijk":
        reden = "Niet-ontvankelijk: " + reden
    if horen is not None:
        if horen not in HOREN:
            raise InvalidInput(
                "horen: kies of de indiener is gehoord of waarom dat niet hoefde (Awb 7:2, 7:3)"
            )
        tekst, past_bij = HOREN[horen]
        if uitkomst not in past_bij:
            raise InvalidInput(
                f"horen: deze grond om niet te horen past niet bij een {uitkomst} bezwaar (Awb 7:3)"
            )
        reden = f"{reden} {tekst}"
    conn, now = tx.conn, tx.now
    case = tx.case(_get_bezwaar(conn, bezwaar_id).case_id)
    current = _get_bezwaar(conn, bezwaar_id)  # again, now that the case is locked
    if current.status != "ingediend":
        raise ConflictError(f"bezwaar {bezwaar_id} is al afgehandeld ({current.status})")
    primary = conn.execute(
        select(beschikkingen.c.created_by).where(beschikkingen.c.id == current.beschikking_id)
    ).scalar()
    if primary == actor:  # Awb 7:5: the bezwaar is weighed by someone not involved in the decision
        raise InvalidInput(
            "uitkomst: u nam het besluit waartegen bezwaar is gemaakt; een collega beslist op het bezwaar "
            "(Awb 7:5)"
        )
    conn.execute(
        update(bezwaren)
        .where(bezwaren.c.id == bezwaar_id)
        .values(status=uitkomst, beslissing=reden, decided_by=actor, decided_at=now)
    )
    letter = _beslissing_op_bezwaar_letter(case, current, uitkomst, reden, actor, hoofd)
    case.append(
        "bezwaar_decided",
        actor,
        {"bezwaar_id": bezwaar_id, "uitkomst": uitkomst, "motivering": reden, "horen": horen,
         "document_id": letter.id,  # verify rebuilds the letter's row from this (issue 16)
         "document": {"soort": letter.soort, "filename": letter.filename, "sha256": letter.sha256,
                      "size": letter.size, "content_type": letter.content_type}},
    )
    if current.deadline_id is not None:
        if deadline_rows.get(conn, current.deadline_id, lock=True).status == "open":
            case.close_deadline(current.deadline_id, actor, "voldaan")
    if uitkomst == "gegrond":
        _revise(case, current, reden, actor)
    return _get_bezwaar(conn, bezwaar_id)


def _beslissing_op_bezwaar_letter(case: CaseWork, current: Bezwaar, uitkomst: str, reden: str,
                                  actor: str, hoofd: beschikking_pdf.Briefhoofd | None) -> documents.Document:
    """The beslissing op bezwaar as a letter on the case (Awb 7:12), with the beroep clause."""
    conn, now, row = case.conn, case.now, case.row
    sent = legal_date(now)
    contested = _get_beschikking(conn, current.beschikking_id)
    naam = conn.execute(select(clients.c.naam).where(clients.c.id == row["client_id"])).scalar() or ""
    pdf = beschikking_pdf.render_beslissing_op_bezwaar(
        gemeente=row["gemeente"], case_number=row["case_number"], naam=naam, onderwerp=contested.onderwerp,
        uitkomst=uitkomst, beslissing=reden, verzonden_op=sent, beroep_einde=due_date(sent, BEZWAAR_TERMIJN),
        adres=contested.adres, hoofd=hoofd,
    )
    return documents.store(conn, row["id"], "beslissing_op_bezwaar",
                           f"beslissing-op-bezwaar-{row['case_number']}.pdf", pdf, actor, now)


def _revise(case: CaseWork, current: Bezwaar, reden: str, actor: str) -> None:
    """Awb 7:11: revoke the beschikking, let its money lapse and have it decided again."""
    conn, now, bezwaar_id = case.conn, case.now, current.id
    found = _get_beschikking(conn, current.beschikking_id)
    redo = {"bezwaar_id": bezwaar_id, "onderwerp": found.onderwerp,
            "oorspronkelijk_besluit": found.besluit, "reden": reden}
    conn.execute(update(beschikkingen).where(beschikkingen.c.id == found.id).values(status="herzien"))
    reopen = _decision_task_to_redo(conn, found)
    vervallen, tegen = ledger.revoke_for_decision(
        conn, case.row, found.instance_id, found.event_seq, f"bezwaar {bezwaar_id} gegrond", actor, now,
    )
    case.append(
        "beschikking_revised",
        actor,
        {
            "beschikking_id": found.id,
            "bezwaar_id": bezwaar_id,
            "reden": reden,
            "heroverweging": reopen is not None,
            "boekingen_vervallen": [line.id for line in vervallen],
            "tegenboekingen": tegen,
        },
        instance_id=found.instance_id,
    )
    for line in vervallen:
        case.append("ledger_line_withdrawn", actor, _withdrawn(line), instance_id=line.instance_id)
    for line_id in tegen:
        case.append(ledger.BOOKED, actor, ledger.booked(conn, line_id), instance_id=found.instance_id)
    if reopen is None:
        # The decision is revoked and its process has ended (or there is none): a case manager
        # gets a task to take a new decision, which becomes a beschikking of its own
        # (bpmn/system/bezwaar_heroverweging.bpmn). Without that process deployed, nothing of
        # the decision is saved.
        case.start_process(HEROVERWEGING, redo, actor)
        return
    # The process still waits: its decision task goes back to a case manager (a correction with
    # a reason, so the history shows why).
    try:
        with case.attempt():
            case.correct_task(reopen, f"Bezwaar {bezwaar_id} gegrond: {reden}", actor)
    except StepFailed as exc:
        # SpiffWorkflow cannot reset every shape (e.g. past a boundary-event wait): recorded in
        # the chain, and the new decision is taken in a process of its own.
        case.append(
            "heroverweging_nodig", actor, {"bezwaar_id": bezwaar_id, "taak": reopen, "reden": str(exc)}
        )
        try:
            with case.attempt():
                case.start_process(HEROVERWEGING, redo, actor)
        except NotFound:
            pass  # not deployed here (trede db upgrade deploys it): the event above stands


def _decision_task_to_redo(conn: Connection, found: Beschikking) -> str | None:
    """The completed user task of the decision, when its process instance is still running."""
    if found.instance_id is None or found.event_seq is None:
        return None
    status = conn.execute(select(instances.c.status).where(instances.c.id == found.instance_id)).scalar()
    if status != "running":
        return None
    return conn.execute(
        select(events.c.task_id).where(
            events.c.case_id == found.case_id,
            events.c.seq == found.event_seq,
            events.c.kind == "task_completed",
        )
    ).scalar()


def _withdrawn(line) -> dict:
    """The event of a ledger line an upheld bezwaar withdrew (its status before says what it was)."""
    return {"line_id": line.id, "soort": line.soort, "bedrag": str(line.bedrag),
            "ontvanger": line.ontvanger, "status": "vervallen", "was": line.status}
