"""The beschikking names the decision actually taken and the rule that applies to it, or says that it
departs from the rules' proposal and why (Awb 3:46 motivation, 4:84 departing from a policy rule).

Issue 18 item 9: a sociale activering granted against the rules' proposal was cited as following
"r2_werkstage". Apeldoorn (seed 001) with the demo's sociale-activering profile: the decision table
proposes afwijzen, the teamleider grants with a reason.
"""
from __future__ import annotations

import io

from pypdf import PdfReader

from engine.scheduling.termijnen import legal_date
from processes import beschikking, documents
from processes import demo as demo_cases
from tests.processes.helpers import make_engine

REASON = "Sociale activering past bij haar plan van aanpak; zij staat op trede 2."


def test_a_grant_against_the_proposal_says_it_departs_and_why(db):
    engine = make_engine(db)
    today = legal_date(engine.clock.now())
    d = demo_cases.besluit(engine, "apeldoorn", "999990032", "Carla Vermeulen", {**demo_cases._SA}, today)
    d.do("besluiten", {"besluit": "toekennen", "motivering": REASON})
    ((letter,), _) = beschikking.BezwaarService(engine).list(d.case.id)
    assert letter.besluit == "toekennen" and letter.motivering == REASON
    assert "Dit besluit wijkt af van het voorstel van de beslisregels (afwijzen" in letter.regel
    _, content = documents.Documents(engine).download(letter.document_id)
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "kennen wij toe" in text and REASON in text
    assert "wijkt af van het voorstel van de beslisregels" in text
    assert "namens het college van burgemeester en wethouders van Apeldoorn" in text
