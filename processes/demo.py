"""`trede demo load`: deploy every process bundle and open about fifty realistic dossiers.

The dossiers are spread over the five gemeenten and over the processes each one's seed defines,
advanced to different points (new intakes, decide tasks, placements waiting for their end date,
premiums waiting for their window, a few closed), so that a newcomer sees a real worklist. Every
step goes through the engine like a user's would; dates are relative to the engine's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from engine.service import CaseEngine
from engine.storage.db import clients
from processes import aanbod, parties
from processes.bsn import is_valid_bsn
from processes.catalogue import deploy_all

DEMO_PREFIX = "9999"  # test range: never a real person's BSN
ACTOR = "demo"


class Dossier:
    """One demo dossier: completes its tasks and delivers its messages through the engine."""

    def __init__(
        self, engine: CaseEngine, gemeente: str, bsn: str, naam: str, process_id: str, data: dict[str, Any]
    ) -> None:
        self.engine = engine
        self.case, _ = engine.start_case(
            gemeente, bsn, naam, process_id, {"gemeente": gemeente, **data}, actor=ACTOR
        )

    def do(self, task_name: str, data: dict[str, Any] | None = None) -> Dossier:
        ready = [t for t in self.engine.ready_tasks(case_id=self.case.id) if t.task_name == task_name]
        if not ready:
            names = [t.task_name for t in self.engine.ready_tasks(case_id=self.case.id)]
            raise RuntimeError(f"demo {self.case.case_number}: geen taak {task_name!r} (open: {names})")
        # a task assigned to someone (the case's own casemanager) is done by that person
        self.engine.complete(ready[0].task_id, data or {}, actor=ready[0].claimed_by or ACTOR)
        return self

    @classmethod
    def of_party(cls, engine: CaseEngine, gemeente: str, party: dict[str, Any], process_id: str,
                 data: dict[str, Any]) -> Dossier:
        """A case about a provider or employer (issue 18 item 2): the party in the register, the
        case linked to it, no client."""
        dossier = cls.__new__(cls)
        dossier.engine = engine
        with engine.transaction() as tx:
            party_id = parties.save(tx.conn, gemeente, "aanbieder", party, tx.now, ACTOR)
            case = tx.open_case_without_client(gemeente, ACTOR)
            parties.link(case, party_id, ACTOR)
            case.start_process(process_id, {"gemeente": gemeente, **data}, ACTOR)
            case_id = case.id
        dossier.case = engine.get_case(case_id)
        return dossier

    def message(self, name: str, payload: dict[str, Any]) -> Dossier:
        self.engine.deliver_message(name, payload, case_id=self.case.id, actor=ACTOR)
        return self


# -- the steps a casemanager takes, with realistic data ----------------------------------------


def _persoonlijk(p: dict) -> dict:
    return {
        "lichamelijkeSituatie": p.get("gezondheid", "Geen belemmeringen bekend."),
        "geestelijkeSituatie": "Stabiel.",
        "relatie": p.get("relatie", "alleenstaand"),
        "schulden": p.get("schulden", False),
        "woonsituatie": "huur",
        "onderzoekArbeidsinschakelingNodig": False,
    }


def _klantschets(p: dict, today: date) -> dict:
    return {
        "hoogsteAfgerondeOpleiding": p.get("opleiding", "MBO2"),
        "competenties": p.get("competenties", ""),
        "werkervaring": p.get("werkervaring", ""),
        "taalbeheersingAangetoond": True,
        "trede": p["trede"],
        "groeipotentieel": p.get("groei", "gemiddeld"),
        "meetdatum": today,
        "leeftijd": p["leeftijd"],
        "bijstand": True,
        "uitkeringsmaanden": p.get("maanden", 18),
        "afstandArbeidsmarktJaren": p.get("jaren", 1),
        "maandenTotBemiddelbaar": p.get("bemiddelbaar", 12),
        "urenAanbodPerWeek": p.get("uren", 24),
        "arbeidsmarktBinnen1JaarHaalbaar": p["trede"] >= 3,
        "banenafspraakOfBeschut": False,
        "ontheffing": p.get("ontheffing", False),
        **{k: p[k] for k in ("doelgroep", "urenWerk", "urenBeschikbaar", "uwvIngeschreven", "eigenInitiatief")
           if k in p},
    }


def _vaste_casemanager(d: Dossier, p: dict) -> dict:
    """Some dossiers name their casemanager at intake: the demo account then finds the follow-up
    (plan, verlenging, evaluations) under 'Mijn taken' (task property ``assignee``)."""
    return {"casemanager": f"casemanager.{d.case.gemeente}"} if p.get("vast") else {}


def intake(d: Dossier, p: dict, today: date, tot: str) -> Dossier:
    """Intake up to (not including) ``tot``: persoonlijk, klantschets, plan, ondertekenen or klaar."""
    steps: list[tuple[str, Callable[[], dict]]] = [
        ("persoonlijk", lambda: {**_persoonlijk(p), **_vaste_casemanager(d, p)}),
        ("klantschets", lambda: _klantschets(p, today)),
        (
            "plan",
            lambda: {
                "doelen": p.get("doel", "Stap voor stap richting werk."),
                "afspraken": "Elke maand een gesprek.",
                "instrument": p.get("instrument", "geen"),
                "aanvullendInstrument": "geen",
                "evaluatieHalfjaarlijks": p.get("evalueren", False),
            },
        ),
        ("ondertekenen", lambda: {"planOndertekend": True, "ondertekendOp": today}),
    ]
    for name, data in steps:
        if name == tot:
            return d
        d.do(name, data())
    return d


def overeenkomst(d: Dossier, p: dict, start: date, **extra: Any) -> Dossier:
    d.do("besluiten", {"besluit": "toekennen"})
    return d.do(
        "overeenkomst",
        {
            "werkgever": p.get("werkgever", "Kringloopcentrum De Schakel"),
            "begeleider": "Petra Hoekstra",
            "urenPerWeek": p.get("uren", 24),
            "aansprakelijkheidsverzekering": True,
            "additioneelGeenVerdringing": True,
            "startdatum": start,
            "tredeStart": p["trede"],
            **extra,
        },
    )


def afronding(d: Dossier, p: dict, einde: date, categorie: str) -> Dossier:
    return d.do(
        "afronding",
        {
            "einddatumWerkelijk": einde,
            "tredeEinde": min(p["trede"] + 1, 6),
            "groeipotentieelEinde": "gemiddeld",
            "uitstroomCategorie": categorie,
            "succesvolAfgerond": True,
            "bijgedragenAanKansen": True,
            "volledigeUitstroom": False,
        },
    )


# -- recipes: how far each demo dossier has got -------------------------------------------------

Recipe = Callable[[CaseEngine, str, str, str, dict, date], Dossier]


def _months(today: date, n: int) -> date:
    return today + relativedelta(months=n)


def nieuw(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    return intake(Dossier(e, g, bsn, naam, "klant_in_beeld", {}), p, today, "persoonlijk")


def diagnose(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    return intake(Dossier(e, g, bsn, naam, "klant_in_beeld", {}), p, today, "klantschets")


def plan(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    return intake(Dossier(e, g, bsn, naam, "klant_in_beeld", {}), p, today, "plan")


def ondertekenen(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    return intake(Dossier(e, g, bsn, naam, "klant_in_beeld", {}), p, today, "ondertekenen")


def besluit(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    return intake(Dossier(e, g, bsn, naam, "klant_in_beeld", {}), p, today, "klaar")


def uitvoering(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """Placed two months ago: waits for its planned end date (and evaluations when agreed)."""
    d = besluit(e, g, bsn, naam, p, today)
    return overeenkomst(d, p, _months(today, -2), geplandeEinddatum=_months(today, 4))


def verlenging(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """The planned end date has passed: 'Verlenging beoordelen' is on the worklist."""
    d = besluit(e, g, bsn, naam, p, today)
    return overeenkomst(d, p, _months(today, -7), geplandeEinddatum=_months(today, -1))


def voortijdig(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """Ended early by a message; the afronding (and, in Ooststellingwerf, a premium) follows."""
    d = uitvoering(e, g, bsn, naam, p, today).message("VoortijdigBeeindigd", {"reden": "werk gevonden"})
    return afronding(d, p, today, p.get("uitkomst", "betaald_werk"))


def afgerond(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """A whole voorziening, from decision to afronding: the dossier is closed."""
    d = Dossier(e, g, bsn, naam, "voorziening", _voorziening_data(p))
    overeenkomst(d, p, _months(today, -8), geplandeEinddatum=_months(today, -2))
    d.do("verlenging_beoordelen", {"verlengen": False})
    return afronding(d, p, _months(today, -2), p.get("uitkomst", "vrijwilligerswerk"))


def afgewezen(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    d = Dossier(e, g, bsn, naam, "voorziening", _voorziening_data(p))
    return d.do("besluiten", {"besluit": "afwijzen", "motivering": "Past niet bij de trede van de klant."})


def ladder(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """The yearly ladder measurement fell due last week."""
    return Dossier(
        e,
        g,
        bsn,
        naam,
        "ladder_jaarlijks",
        {"trede": p["trede"], "volgendeMeting": str(today - relativedelta(days=7))},
    )


def _voorziening_data(p: dict) -> dict:
    return {
        "instrument": p["instrument"],
        "trede": p["trede"],
        "leeftijd": p["leeftijd"],
        "bijstand": True,
        "uitkeringsmaanden": p.get("maanden", 18),
        "afstandArbeidsmarktJaren": p.get("jaren", 1),
        "urenAanbodPerWeek": p.get("uren", 24),
        "arbeidsmarktBinnen1JaarHaalbaar": p["trede"] >= 3,
    }


def uitstroompremie(stap: str) -> Recipe:
    """Uitstroompremie (Ooststellingwerf) at 'recht' (decide task), 'wacht' (window not open yet)
    or 'aanvraag' (window open)."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        start = _months(today, -7 if stap == "aanvraag" else -3)
        d = Dossier(e, g, bsn, naam, "uitstroompremie", {})
        d.do(
            "uitstroom",
            {
                "werkgever": p.get("werkgever", "Bakkerij Van der Meer"),
                "indiensttreding": start,
                "nettoInkomen": 1720,
                "uitkering": 1390,
                "leeftijd": p["leeftijd"],
                "uitkeringsmaanden": p.get("maanden", 24),
                "volledigeUitstroom": True,
            },
        )
        if stap == "recht":
            return d
        return d.do("recht_besluiten", {"besluit": "toekennen"})

    return recipe


def lks(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """Loonkostensubsidie waiting for the UWV loonwaarde report."""
    d = Dossier(e, g, bsn, naam, "loonkostensubsidie", {})
    return d.do(
        "aanvraag",
        {
            "werkgever": p["werkgever"],
            "ontvangstAanvraag": today - relativedelta(days=10),
            "startWerkplek": _months(today, -1),
            "route": "uwv_meting",
        },
    )


def jobcoaching(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    d = Dossier(e, g, bsn, naam, "jobcoaching", {})
    return d.do(
        "aanvraag",
        {
            "context": "regulier",
            "vorm": "subsidie",
            "werkgever": p.get("werkgever", "Kringloopwinkel Oosterwolde"),
            "startWerk": _months(today, -1),
            "aanvraagdatum": today,
            "urenPerWeek": 24,
            "lksDoelgroep": True,
            "werkgerelateerd": True,
            "doel": "Zelfstandig werken aan de lopende band.",
            "instrumenten": "Wekelijkse begeleiding op de werkvloer.",
            "termijn": "Eerste half jaar wekelijks.",
            "kosten": 3300,
        },
    )


def jobcoaching_loopt(stap: str) -> Recipe:
    """Jobcoaching granted and paid seven months ago (seed 002 art 28 C): at 'rapportage' the first
    quarterly report waits; at 'uitval' two reports and the half-yearly evaluation are done and the
    employer has reported that the vaste jobcoach dropped out ten days ago, so the replacement
    (within one month, a term in the termijnbewaking) is on the worklist."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        start = _months(today, -7)
        d = Dossier(e, g, bsn, naam, "jobcoaching", {})
        d.do("aanvraag", {
            "context": "regulier",
            "vorm": "subsidie",
            "werkgever": p["werkgever"],
            "startWerk": start,
            "aanvraagdatum": start + relativedelta(days=14),
            "contractduurMaanden": 12,
            "urenPerWeek": 28,
            "lksDoelgroep": True,
            "werkgerelateerd": True,
            "doel": "Zelfstandig een route in het magazijn lopen.",
            "instrumenten": "Werkplekbegeleiding door een interne jobcoach, takenkaart.",
            "termijn": "Eerste kwartaal twee keer per week, daarna wekelijks.",
            "kosten": 3300,
        })
        d.do("besluiten", {"besluit": "toekennen"}).do("fiatteren", {"gefiatteerd": True})
        if stap == "rapportage":
            return d
        rapport = {"rapportageOntvangenOp": today, "urenKwartaal": 10, "toelichting": "Volgens plan."}
        d.do("kwartaalrapportage", rapport).do("kwartaalrapportage", rapport)
        d.do("halfjaarevaluatie", {
            "gesprekGevoerdOp": today,
            "werknemerAanwezig": True,
            "verslag": "Werkt zelfstandiger; begeleiding kan terug naar eens per week.",
            "coachingplanGeactualiseerd": True,
        })
        return d.message("JobcoachUitgevallen", {"datum": str(today - relativedelta(days=10)),
                                                 "reden": "vaste jobcoach langdurig ziek"})

    return recipe


def scholing(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    d = Dossier(e, g, bsn, naam, "scholing", {})
    return d.do(
        "aanvraag",
        {
            "opleiding": "Heftruckcertificaat en VCA",
            "opleider": p.get("opleider", "Opleidingscentrum Noord-Nederland"),
            "doelOpleiding": "beroepsgericht",
            "leeftijd": p["leeftijd"],
            "hoogsteAfgerondeOpleiding": "MBO1",
            "kostenOpleiding": 895,
            "boekenLeermiddelen": 45,
            "examengeld": 120,
            "reiskosten": 60,
            "einddatumScholing": _months(today, 3),
        },
    )


def werkt_mee(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """Apeldoorn's Werkt mee: assigned two months ago (ontwikkeling waits, op trede declares monthly)."""
    return _toewijzen(Dossier(e, g, bsn, naam, "werkt_mee", {}), p, today)


def werkt_mee_uit_plan(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
    """Werkt mee (or the oriëntatiefase) chosen in the plan van aanpak: the signed plan started the
    werkt_mee process (seed 001 par. 7/10), assigned two months ago."""
    return _toewijzen(besluit(e, g, bsn, naam, p, today), p, today)


def _toewijzen(d: Dossier, p: dict, today: date) -> Dossier:
    d.do(
        "toewijzing",
        {
            "instrument": p["instrument"],
            "trede": p["trede"],
            "geboortedatum": _months(today, -12 * p["leeftijd"] - 5),
            "aanbieder": p["werkgever"],
            "startdatum": _months(today, -2),
            "urenPerWeek": 12,
        },
    )
    return d.do(
        "goedkeuring", {"goedkeuringUitkerendeInstantie": True, "uitkerendeInstantie": "gemeente Apeldoorn"}
    )


def bezwaar(stap: str) -> Recipe:
    """Bezwaar against the decision on a voorziening (Awb chapters 6 and 7; issue 19 item 15), received
    today: 'ingediend' waits for the hearing and the decision (its Awb 7:10 term on the case);
    'gegrond' was upheld after a hearing, so a colleague of who decided takes the new decision (7:5)."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        from processes import beschikking  # the demo's only use of the Awb service

        d = uitvoering(e, g, bsn, naam, p, today)
        service = beschikking.BezwaarService(e)
        letter = service.list(d.case.id)[0][0]
        with e.transaction() as tx:  # a bezwaar is against a letter that was sent (Awb 6:8)
            beschikking.check(tx.case(d.case.id), letter.id, f"teamleider.{g}", four_eyes=True)
        with e.transaction() as tx:
            beschikking.send(tx.case(d.case.id), letter.id, f"casemanager.{g}",
                             adres=f"{naam}\nDorpsstraat 1\n8431 AA  OOSTERWOLDE")
        filed = service.register(letter.id, today, p["gronden"], f"casemanager.{g}")
        if stap == "gegrond":
            service.decide(filed.id, "gegrond", p["motivering"], f"teamleider.{g}", horen="gehoord")
        return d

    return recipe


def werkplek(stap: str) -> Recipe:
    """Zeeuws-Vlaanderen werkplek-aanbod at the toets ('toets') or in use with one advance paid
    ('in_gebruik')."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        offer = p["aanbod"]
        d = Dossier.of_party(e, g, {"naam": p["werkgever"], **offer}, "werkplek_aanbod", {
            "aanbieder": p["werkgever"], "werkzaamheden": p["werkzaamheden"], "urenPerWeek": 24,
            "toezeggingMaanden": 12,
            "aanbod": {**offer, "kenmerk": p["kenmerk"],
                       "eisenVolgensAanbieder": dict.fromkeys(aanbod.EISEN, True)}})
        if stap == "toets":
            return d
        d.do(
            "toetsen",
            {
                "aanbieder": p["werkgever"],
                "regioZeeuwsVlaanderen": True,
                "begeleiderHbo": True,
                "verzekeringGeregeld": True,
                "werkruimteVoldoet": True,
                "aansprakelijkheidAanbieder": True,
                "toezeggingMaanden": 12,
                "urenPerWeek": 24,
                "bewijsstukkenOntvangen": True,
            },
        )
        d.do("besluiten", {"besluit": "toekennen", "ingangsdatum": _months(today, -3)})
        return d.message("WerkplekGebeurtenis", {"gebeurtenis": "aanmelding"}).do(
            "fiatteren", {"gefiatteerd": True}
        )

    return recipe


def werknemersvoorziening(stap: str) -> Recipe:
    """Seed 002 art 30-33: a werkplekaanpassing at the teamleider's decision ('besluit') or a
    vervoersvoorziening granted and reimbursed monthly ('vervoer')."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        d = Dossier(e, g, bsn, naam, "werknemersvoorziening", {})
        vervoer = stap == "vervoer"
        d.do(
            "aanvraag",
            {
                "soort": "vervoer" if vervoer else "werkplekaanpassing",
                "omschrijving": "Taxivervoer woon-werk" if vervoer else "Verstelbaar werkblad en traplift",
                "ontvangstAanvraag": today - relativedelta(days=20),
                "werkgever": p["werkgever"],
                "woonachtigInGemeente": True,
                "pwDoelgroep": True,
                "lksDoelgroep": True,
                "contractMaanden": 12,
                "urenPerWeek": 24,
                "kosten": 320 if vervoer else 9000,
                "toegekendeLksPerJaar": None if vervoer else 14000,
                "kostenRegulierOV": 85 if vervoer else None,
                "vervoersvergoedingWerkgever": 45 if vervoer else None,
            },
        )
        d.do("redelijkheid", {"noodzaakVastgesteld": True, "kostenInVerhouding": True,
                              "overweging": "Noodzakelijk om het werk te kunnen doen; kosten in verhouding."})
        if vervoer:
            d.do("besluiten", {"besluit": "toekennen", "ingangsdatum": today - relativedelta(days=5)})
        return d

    return recipe


def beschut_werk(stap: str) -> Recipe:
    """Seed 002 art 12: waiting for UWV's advice ('advies') or placed, running without a term ('loopt')."""

    def recipe(e: CaseEngine, g: str, bsn: str, naam: str, p: dict, today: date) -> Dossier:
        d = Dossier(e, g, bsn, naam, "beschut_werk", {})
        d.do(
            "verzoek",
            {
                "initiator": "college",
                "datumVerzoek": _months(today, -3),
                "urenBeschikbaar": 20,
                "toelichting": "Heeft blijvend begeleiding en een aangepast werktempo nodig.",
            },
        ).do("adviesaanvraag", {"adviesaanvraagVerzondenOp": _months(today, -3)})
        if stap == "advies":
            return d
        d.message("UWVAdviesBeschutWerkOntvangen", {"positief": True, "datum": str(_months(today, -1))})
        d.do("doelgroep_vaststellen", {"besluit": "toekennen"})
        return d.do(
            "plaatsing",
            {
                "werkgever": p["werkgever"],
                "startdatum": today,
                "urenPerWeek": 20,
                "loonTenMinsteWml": True,
                "aansprakelijkheidsverzekering": True,
                "aanpassingBegeleidingTempoArbeidsduur": True,
            },
        )

    return recipe


# -- the demo population: (naam, recipe, profile) per gemeente, from each gemeente's own seed --

_SA = {"instrument": "sociale_activering", "trede": 2, "leeftijd": 48, "maanden": 36, "jaren": 3, "uren": 16}
_PP = {
    "instrument": "participatieplaats",
    "trede": 1,
    "leeftijd": 55,
    "maanden": 60,
    "jaren": 5,
    "uren": 20,
    "evalueren": True,
}
_WS = {"instrument": "werkstage", "trede": 4, "leeftijd": 31, "maanden": 14, "werkgever": "Jumbo Oosterwolde"}
_LW = {
    "instrument": "leerwerkplek",
    "trede": 3,
    "leeftijd": 26,
    "maanden": 9,
    "uren": 32,
    "werkgever": "Hoveniersbedrijf Kuipers",
}
_WM2 = {
    "instrument": "werkt_mee_ontwikkeling_naar_3",
    "trede": 2,
    "leeftijd": 43,
    "werkgever": "Stichting Present",
}
_WM3 = {
    "instrument": "werkt_mee_op_trede_3",
    "trede": 3,
    "leeftijd": 58,
    "werkgever": "Zorgboerderij De Hoeve",
}
_OR = {"instrument": "orientatiefase", "trede": 3, "leeftijd": 29, "werkgever": "Expertisecentrum Apeldoorn"}

POPULATION: dict[str, list[tuple[str, Recipe, dict]]] = {
    "ooststellingwerf": [
        ("Anouk de Boer", nieuw, {"trede": 2, "leeftijd": 34}),
        ("Hendrika Veenstra", diagnose, {"trede": 3, "leeftijd": 52}),
        ("Jelle Bosma", plan,
         {"trede": 2, "leeftijd": 47, "maanden": 40, "jaren": 3, "uren": 20, "vast": True}),
        ("Fenna Hoekstra", ondertekenen, _WS),
        ("Tjeerd Wijnstra", besluit, _PP),
        ("Geertje Kuipers", besluit, {**_LW, "leeftijd": 24}),
        ("Roelof Dijkstra", uitvoering, _PP),
        ("Aaltje Mulder", uitvoering, _SA),
        ("Wiebe van der Veen", verlenging, {**_WS, "vast": True}),
        ("Sietske Jansma", voortijdig, {**_SA, "uitkomst": "vrijwilligerswerk"}),
        ("Klaas Zijlstra", afgewezen, {**_LW, "trede": 1}),
        ("Marieke Visser", uitstroompremie("recht"), {"trede": 6, "leeftijd": 38}),
        ("Pieter Brouwer", uitstroompremie("wacht"), {"trede": 6, "leeftijd": 45}),
        ("Baukje de Jong", uitstroompremie("aanvraag"), {"trede": 6, "leeftijd": 29, "maanden": 13}),
        ("Rik Hoekstra", lks, {"trede": 5, "leeftijd": 37, "werkgever": "Metaalbewerking Oosterwolde B.V."}),
        ("Lotte Schaafsma", jobcoaching, {"trede": 5, "leeftijd": 27}),
        ("Bram Kramer", scholing, {"trede": 4, "leeftijd": 34}),
        ("Jan Postma", werknemersvoorziening("besluit"), {"werkgever": "Houtbewerking Makkinga"}),
        ("Trijntje Bakker", werknemersvoorziening("vervoer"), {"werkgever": "Zorggroep Appelscha"}),
        ("Sjoerd Hoekstra", beschut_werk("advies"), {}),
        ("Hilde Zwart", bezwaar("ingediend"),
         {**_SA, "gronden": "Mevrouw wil een werkstage in plaats van sociale activering."}),
        ("Durk Feenstra", bezwaar("gegrond"),
         {**_SA, "gronden": "De sociale activering past niet: meneer heeft al vrijwilligerswerk.",
          "motivering": "Het vrijwilligerswerk was bij het besluit niet bekend; opnieuw beslissen."}),
        ("Grietje Smit", beschut_werk("loopt"), {"werkgever": "Caparis NV, Oosterwolde"}),
        ("Durk Wiersma", jobcoaching_loopt("rapportage"), {"werkgever": "Transportbedrijf Haulerwijk"}),
        ("Anna Bergsma", jobcoaching_loopt("uitval"), {"werkgever": "Zuivelfabriek Oldeberkoop"}),
        # a niet-uitkeringsgerechtigde whose signed plan waits for the access decision (seed 002, doelgroep C)
        ("Hiske Postma", besluit,
         {"trede": 3, "leeftijd": 41, "doelgroep": "nug", "urenWerk": 6, "uwvIngeschreven": True,
          "eigenInitiatief": True}),
    ],
    "apeldoorn": [
        ("Mehmet Yilmaz", nieuw, {"trede": 2, "leeftijd": 39}),
        ("Linda van den Berg", diagnose, {"trede": 3, "leeftijd": 44}),
        ("Johan Hendriks", plan, {"trede": 2, "leeftijd": 51}),
        ("Esther Willems", besluit, _WM2),
        ("Gerrit van Dijk", werkt_mee_uit_plan, _WM3),
        ("Priya Ramdin", werkt_mee_uit_plan, _OR),
        ("Ahmed Benali", werkt_mee_uit_plan, _WM2),
        ("Wilma Smit", afgerond, {**_WM3, "uitkomst": "vrijwilligerswerk"}),
        ("Tom Bakker", ladder, {"trede": 3, "leeftijd": 36}),
        ("Sevda Kaya", werkt_mee, _WM2),
        ("Henk Jansen", werkt_mee, {**_WM3, "instrument": "werkt_mee_op_trede_4", "trede": 4}),
    ],
    "wassenaar": [
        ("Fatima el Amrani", plan, {"trede": 2, "leeftijd": 33, "bemiddelbaar": 60, "ontheffing": True}),
        ("Daan Verhoeven", nieuw, {"trede": 5, "leeftijd": 27}),
        ("Noor Jacobs", diagnose, {"trede": 4, "leeftijd": 35}),
        (
            "Ingrid van Wijk",
            ondertekenen,
            {"trede": 3, "leeftijd": 49, "bemiddelbaar": 18, "instrument": "sociale_activering"},
        ),
        (
            "Youssef Amrani",
            besluit,
            {"trede": 3, "leeftijd": 23, "bemiddelbaar": 10, "instrument": "werkstage"},
        ),
        ("Carla Vermeulen", uitvoering, {**_SA, "bemiddelbaar": 30, "evalueren": True}),
        (
            "Bas Koster",
            afgerond,
            {"instrument": "werkstage", "trede": 4, "leeftijd": 30, "uitkomst": "betaald_werk"},
        ),
        ("Hanneke Prins", ladder, {"trede": 1, "leeftijd": 61}),
    ],
    "zeeuws-vlaanderen": [
        ("Marloes de Smet", nieuw, {"trede": 3, "leeftijd": 40}),
        ("Koen Verstraete", diagnose, {"trede": 2, "leeftijd": 57}),
        ("Ilse Dhondt", plan, {"trede": 4, "leeftijd": 28}),
        ("Frank de Kraker", besluit, {"instrument": "participatieplaats", "trede": 2, "leeftijd": 50}),
        (
            "Mariska Bouwense",
            uitvoering,
            {
                "instrument": "participatieplaats",
                "trede": 2,
                "leeftijd": 46,
                "werkgever": "Zorgcentrum Ter Schorre",
            },
        ),
        ("Ronny van Hecke", verlenging, {"instrument": "werkstage", "trede": 3, "leeftijd": 33}),
        (
            "Lieke Hamelink",
            afgerond,
            {"instrument": "werkstage", "trede": 4, "leeftijd": 25, "uitkomst": "werkervaring_stage"},
        ),
        ("Joyce Cappon", ladder, {"trede": 2, "leeftijd": 59}),
        (
            "Zorgboerderij De Vlinder",
            werkplek("toets"),
            {"werkgever": "Zorgboerderij De Vlinder", "kenmerk": "AANBOD-DEMO000001",
             "werkzaamheden": "Dieren verzorgen en meewerken in de moestuin, onder begeleiding van "
                              "een agogisch medewerker (hbo).",
             "aanbod": {"kvk": "64123457", "contactpersoon": "Anja Minnaert",
                        "email": "anja@zorgboerderijdevlinder.example", "telefoon": "0117-123456",
                        "adres": "Vlinderweg 3", "plaats": "Oostburg"}},
        ),
        (
            "Kringloop Hulst",
            werkplek("in_gebruik"),
            {"werkgever": "Kringloop Hulst", "kenmerk": "AANBOD-DEMO000002",
             "werkzaamheden": "Sorteren, prijzen en verkopen in de kringloopwinkel.",
             "aanbod": {"kvk": "70234561", "contactpersoon": "Wim de Bruijn",
                        "email": "wim@kringloophulst.example", "telefoon": None,
                        "adres": "Havenstraat 12", "plaats": "Hulst"}},
        ),
    ],
    "woerden": [
        ("Kees van Rijn", nieuw, {"trede": 1, "leeftijd": 54}),
        ("Sanne van Leeuwen", diagnose, {"trede": 3, "leeftijd": 31}),
        ("Monique Boer", besluit, {"instrument": "werkstage", "trede": 4, "leeftijd": 36}),
        ("Erik Schouten", uitvoering, {"instrument": "sociale_activering", "trede": 2, "leeftijd": 50}),
        (
            "Yvonne Hazelaar",
            voortijdig,
            {
                "instrument": "werkstage",
                "trede": 4,
                "leeftijd": 29,
                "uitkomst": "deeltijdwerk_met_aanvullende_uitkering",
            },
        ),
        (
            "Arjen Oskam",
            afgerond,
            {"instrument": "sociale_activering", "trede": 2, "leeftijd": 47, "uitkomst": "arbeidsgewenning"},
        ),
        (
            "Bianca Kroon",
            afgerond,
            {"instrument": "werkstage", "trede": 5, "leeftijd": 32, "uitkomst": "eigen_bedrijf"},
        ),
        ("Hans de Wit", ladder, {"trede": 3, "leeftijd": 60}),
    ],
}


def demo_bsns(start: int = 10_000) -> Iterator[str]:
    """Demo BSNs: 9999-prefixed numbers that pass the elfproef, in a fixed order."""
    for n in range(start, 100_000):
        candidate = f"{DEMO_PREFIX}{n:05d}"
        if is_valid_bsn(candidate):
            yield candidate


def existing_demo_clients(engine: CaseEngine) -> int:
    with engine.db.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(clients).where(clients.c.bsn.like(f"{DEMO_PREFIX}%"))
        ).scalar_one()


def load(engine: CaseEngine) -> str:
    """Deploy the bundles and open the demo dossiers; a no-op when demo dossiers exist."""
    deploy_all(engine)
    found = existing_demo_clients(engine)
    if found:
        return f"demozaken bestaan al ({found} demo-inwoners); niets toegevoegd"
    today = engine.clock.now().date()
    bsns = demo_bsns()
    opened = 0
    for gemeente, people in POPULATION.items():
        for naam, recipe, profile in people:
            recipe(engine, gemeente, next(bsns), naam, profile, today)
            opened += 1
    return f"{opened} demozaken geladen in {len(POPULATION)} gemeenten"
