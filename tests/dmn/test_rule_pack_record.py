"""The rule packs' decision record explains the hit policy too (issue 21 item 4): the trace that a
business rule task merges into the case (beslissing_<id>) says which rules matched and why."""
from __future__ import annotations

from datetime import date

from processes.decisions import DecisionService


def test_a_unique_table_names_its_one_rule_and_why():
    # seed 002 (Ooststellingwerf) Doelgroep Participatiewet C: treden 3 tot en met 6 re-integratie
    trace = DecisionService().evaluate_in_case("LadderSpoor", {"trede": 4}, "ooststellingwerf",
                                               date(2024, 9, 1))["beslissing_LadderSpoor"]
    assert trace["hitPolicy"] == "UNIQUE" and trace["gebruikt"] == ["r2_reintegratie"]
    assert trace["uitleg"] == ("UNIQUE: regel r2_reintegratie is van toepassing; uitkomst van "
                               "r2_reintegratie (de enige regel die van toepassing is).")


def test_a_collect_table_lists_every_rule_whose_output_it_collected():
    # seed 002 art. 8-10: at trede 3 leerwerkplek, werkstage and sociale activering all apply
    trace = DecisionService().evaluate_in_case(
        "InstrumentGeschiktheid", {"trede": 3, "urenAanbodPerWeek": 40}, "ooststellingwerf",
        date(2024, 9, 1))["beslissing_InstrumentGeschiktheid"]
    assert trace["hitPolicy"] == "COLLECT" and len(trace["gebruikt"]) == 3
    assert trace["uitleg"].startswith("COLLECT: regels ") and "alle uitkomsten verzameld" in trace["uitleg"]
