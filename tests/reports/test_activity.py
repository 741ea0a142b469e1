"""Outflow in seed 003's categories, trajectories per instrument, deadlines, money and Wassenaar's
categories, each from dossiers run through the engine with the real processes and rule packs."""
from __future__ import annotations

from datetime import UTC, date, datetime

from engine.clock import FixedClock
from engine.service import CaseEngine
from processes import demo
from processes.catalogue import deploy_all
from processes.ledger import Ledger, add_line
from processes.reports.periods import parse_period
from processes.reports.quarterly import build, section
from processes.wiring import decision_provider, domain_services

Q2 = parse_period("2025-K2")
MAY = date(2025, 5, 20)


def _engine(db) -> CaseEngine:
    engine = CaseEngine(db, clock=FixedClock(datetime(2025, 5, 20, 9, tzinfo=UTC)),
                        decisions=decision_provider(), services=domain_services())
    deploy_all(engine)
    return engine


def _rows(report: dict, key: str) -> dict:
    return {row[0]: row[1:] for row in section(report, key)["rows"]}


def test_outflow_and_trajectories_in_seed_003_categories(db):
    engine, bsns = _engine(db), demo.demo_bsns()
    demo.afgerond(engine, "woerden", next(bsns), "Bianca Kroon",
                  {"instrument": "werkstage", "trede": 5, "leeftijd": 32, "uitkomst": "eigen_bedrijf"}, MAY)
    demo.uitvoering(engine, "woerden", next(bsns), "Erik Schouten",
                    {"instrument": "sociale_activering", "trede": 2, "leeftijd": 50}, MAY)
    engine.clock.set(datetime(2025, 8, 1, 9, tzinfo=UTC))  # Q3: not in the Q2 figures
    demo.afgerond(engine, "woerden", next(bsns), "Arjen Oskam",
                  {"instrument": "sociale_activering", "trede": 2, "leeftijd": 47,
                   "uitkomst": "arbeidsgewenning"}, date(2025, 8, 1))

    q2 = build(db, "woerden", Q2)
    outflow = _rows(q2, "uitstroom")
    # seed 003: "werk / eigenbedrijf" is one row of "betaalde arbeid"
    assert outflow["werk / eigen bedrijf"] == [1] and outflow["arbeidsgewenning"] == [0]
    assert section(q2, "uitstroom")["totals"] == {"betaald": 1, "onbetaald": 0}
    trajecten = _rows(q2, "trajecten")
    assert trajecten["werkstage"] == [1, 1, 0]  # started, ended, running at 30 June
    assert trajecten["sociale activering"] == [1, 0, 1]

    q3 = build(db, "woerden", parse_period("2025-K3"))
    assert _rows(q3, "uitstroom")["arbeidsgewenning"] == [1]
    assert _rows(q3, "uitstroom")["werk / eigen bedrijf"] == [0]
    assert _rows(q3, "trajecten")["sociale activering"] == [1, 1, 1]


def test_deadlines_met_late_and_missed_from_the_deadline_events(db):
    engine = _engine(db)
    case = engine.open_case("woerden", "999990044", "Kees Brouwer", actor="cm")
    on_time = engine.add_deadline(case.id, "Beslistermijn", date(2025, 4, 1), "P8W", "cm")
    late = engine.add_deadline(case.id, "Beslistermijn", date(2025, 1, 6), "P2W", "cm")
    engine.add_deadline(case.id, "Hersteltermijn", date(2025, 3, 3), "P4W", "cm")  # never closed
    engine.close_deadline(on_time.id, "cm")
    engine.close_deadline(late.id, "cm")
    engine.clock.set(datetime(2025, 7, 2, 9, tzinfo=UTC))
    engine.add_deadline(case.id, "Hersteltermijn", date(2025, 7, 1), "P1W", "cm")  # after Q2

    rows = _rows(build(db, "woerden", Q2), "termijnen")
    assert rows["Beslistermijn"] == [1, 1, 0, 0]  # tijdig, te laat, verlopen en open, vervallen
    assert rows["Hersteltermijn"] == [0, 0, 1, 0]
    assert rows["totaal"] == [1, 1, 1, 0]


def test_money_by_period_from_the_ledger_events(db):
    engine = _engine(db)
    case = engine.open_case("ooststellingwerf", "999990044", "Baukje de Jong", actor="cm")
    ledger = Ledger(engine)
    finance = frozenset({"financien"})
    with db.begin() as conn:
        row = {"id": case.id, "case_number": case.case_number, "gemeente": "ooststellingwerf"}
        premie = add_line(conn, row, soort="premie", bedrag="600", ontvanger="B. de Jong", omschrijving="",
                          actor="fa.1", now=engine.clock.now())
        vergoeding = add_line(conn, row, soort="vergoeding", bedrag="100.50", ontvanger="Jumbo",
                              omschrijving="", actor="fa.1", now=engine.clock.now())
    ledger.approve(premie, "fa.2", finance)
    engine.clock.set(datetime(2025, 6, 3, 9, tzinfo=UTC))
    ledger.mark_paid(premie, "fa.2", finance)
    engine.clock.set(datetime(2025, 7, 1, 9, tzinfo=UTC))
    ledger.approve(vergoeding, "fa.2", finance)  # approved in Q3

    money = section(build(db, "ooststellingwerf", Q2), "bedragen")
    assert money["columns"][1:] == ["goedgekeurd apr 2025", "goedgekeurd mei 2025", "goedgekeurd jun 2025",
                                    "goedgekeurd totaal", "betaald totaal"]
    assert money["rows"] == [["Premies aan inwoners", "0.00", "600.00", "0.00", "600.00", "600.00"]]
    q3 = section(build(db, "ooststellingwerf", parse_period("2025-K3")), "bedragen")
    assert q3["rows"] == [["Vergoedingen aan werkgevers en aanbieders", "100.50", "0.00", "0.00", "100.50",
                           "0.00"]]


def test_wassenaar_categories_1a_to_3b(db):
    engine, bsns = _engine(db), demo.demo_bsns()
    # seed 004 Tabel 3: 48 months or more with an ontheffing is 3B; 4-12 months is 1B
    demo.plan(engine, "wassenaar", next(bsns), "Fatima el Amrani",
              {"trede": 2, "leeftijd": 33, "bemiddelbaar": 60, "ontheffing": True}, MAY)
    demo.plan(engine, "wassenaar", next(bsns), "Youssef Amrani",
              {"trede": 3, "leeftijd": 23, "bemiddelbaar": 10}, MAY)
    rows = _rows(build(db, "wassenaar", Q2), "categorieen")
    assert rows["3B"] == [1] and rows["1B"] == [1] and rows["totaal"] == [2]
    assert section(build(db, "woerden", Q2), "categorieen") is None  # Wassenaar's own categories


def test_outflow_counts_every_recorded_result_not_only_a_voorzieningen_afronding(db):
    """Issue 19 item 11: seed 003 "Resultaten re-integratie" counts what happened to people (53/15/119
    paid; 48/44/4/19 unpaid). A ladder measurement at uitstroom (seed 002 H1 C: "bij instroom, uitstroom
    en tenminste één keer per jaar") and a Werkt mee result (seed 001 par. 7: the trede reached) are
    results too; the same outflow recorded twice for one person counts once."""
    from tests.processes.helpers import advance_to, do
    from tests.processes.test_werkt_mee import toewijzing
    from tests.processes.test_werkt_mee_uit_plan import plan_tot

    engine, bsns = _engine(db), demo.demo_bsns()

    def left_at(trede: int, name: str) -> None:
        case, _ = engine.start_case("woerden", next(bsns), name, "ladder_jaarlijks",
                                    {"gemeente": "woerden", "trede": 4, "volgendeMeting": "2025-05-20"})
        advance_to(engine, MAY)
        do(engine, case.id, "meten", {"trede": trede, "groeipotentieel": "geen", "meetdatum": MAY,
                                      "uitgestroomd": True})

    left_at(6, "Joost Verkerk")  # measured at uitstroom on trede 6, no voorziening ended: paid work
    left_at(5, "Ria Donker")  # trede 5, betaald werk met ondersteuning: "wiw/id"
    # paid work recorded twice for one person: the afronding and the ladder at uitstroom
    demo.afgerond(engine, "woerden", next(bsns), "Bianca Kroon",
                  {"instrument": "werkstage", "trede": 5, "leeftijd": 32, "uitkomst": "betaald_werk"}, MAY)
    q2 = _rows(build(db, "woerden", Q2), "uitstroom")
    assert q2["werk / eigen bedrijf"] == [2] and q2["wiw/id (gesubsidieerd werk)"] == [1]

    # Apeldoorn: Werkt mee ended on trede 4 (onbetaald werk) is an unpaid result
    case = plan_tot(engine, "werkt_mee_ontwikkeling_naar_3")
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2))
    do(engine, case.id, "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "UWV"})
    advance_to(engine, date(2025, 10, 1))  # the traject's end (toewijzing: six months)
    do(engine, case.id, "resultaat", {"behaaldeTrede": 4, "verlengen": False})
    apeldoorn = build(db, "apeldoorn", parse_period("2025-K4"))
    assert _rows(apeldoorn, "uitstroom")["Vrijwilligerswerk"] == [1]
    assert section(apeldoorn, "uitstroom")["totals"] == {"betaald": 0, "onbetaald": 1}


def test_seed_003_results_table_from_every_kind_of_recorded_result():
    """Seed 003 "Resultaten re-integratie" (Woerden, 2012): betaalde arbeid 53 werk / eigen bedrijf, 15
    wiw/id, 119 PT werk + aanvullende uitkering; niet betaalde arbeid 48 vrijwilligerswerk, 44
    werkervaring / stage, 4 participatieplaats, 19 arbeidsgewenning. Reproduced from histories in which
    the results were recorded the ways trede records them (issue 19 item 11): 27 people measured
    "uitgestroomd" on trede 6 and 10 on trede 5, uitstroom for an uitstroompremie, Werkt mee ended on
    trede 4 or 3, and afrondingen; 5 people have their paid work both as an afronding and measured at
    uitstroom, and count once."""
    from processes.reports.activity import uitstroom
    from processes.reports.history import CaseEvents, Event

    at = datetime(2012, 6, 1, 10, tzinfo=UTC)
    histories: list[CaseEvents] = []

    def person(*results: tuple[str, str, dict]) -> None:
        case = CaseEvents(len(histories) + 1, f"Z2012-{len(histories) + 1:06d}", len(histories) + 1)
        for n, (process, task_name, data) in enumerate(results, start=1):
            case.processes[n] = process
            case.events.append(Event(n, "task_completed", at, n, f"t{len(histories)}-{n}", task_name,
                                     {"data": data}))
        histories.append(case)

    def afronding(key: str) -> tuple[str, str, dict]:
        return ("voorziening", "afronding", {"uitstroomCategorie": key})

    def ladder(trede: int) -> tuple[str, str, dict]:
        return ("ladder_jaarlijks", "meten", {"trede": trede, "uitgestroomd": True})

    def werkt_mee(trede: int) -> tuple[str, str, dict]:
        return ("werkt_mee", "resultaat", {"behaaldeTrede": trede})

    for _ in range(27):
        person(ladder(6))
    for key in ["betaald_werk"] * 11 + ["eigen_bedrijf"] * 10:
        person(afronding(key))
    for _ in range(5):
        person(afronding("betaald_werk"), ladder(6))  # one outflow recorded twice
    for _ in range(10):
        person(ladder(5))
    for _ in range(5):
        person(afronding("gesubsidieerd_werk"))
    for _ in range(100):
        person(("uitstroompremie", "uitstroom", {"volledigeUitstroom": False}))
    for _ in range(19):
        person(afronding("deeltijdwerk_met_aanvullende_uitkering"))
    for _ in range(30):
        person(werkt_mee(4))
    for key, n in (("vrijwilligerswerk", 18), ("werkervaring_stage", 44), ("participatieplaats", 4),
                   ("arbeidsgewenning", 9)):
        for _ in range(n):
            person(afronding(key))
    for _ in range(10):
        person(werkt_mee(3))

    report = uitstroom(histories, parse_period("2012"))
    rows = {row[0]: row[1] for row in report["rows"]}
    assert [rows[label] for label in ("werk / eigen bedrijf", "wiw/id (gesubsidieerd werk)",
                                      "PT werk + aanvullende uitkering")] == [53, 15, 119]
    assert [rows[label] for label in ("Vrijwilligerswerk", "werkervaring / stage", "participatieplaats",
                                      "arbeidsgewenning")] == [48, 44, 4, 19]
