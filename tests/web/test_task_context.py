"""Task pages with context (issue 18 item 8): the age filled in from the birth date, the previous
trede shown beside the ladder form. The real participatiewet forms (klantschets, ladder-meting)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from casework.prefill import age_on
from processes.catalogue import deploy_all
from tests.web.helpers import BSN


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(date(1980, 5, 31), date(2026, 5, 30)) == 45
    assert age_on(date(1980, 5, 31), date(2026, 5, 31)) == 46
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25


def test_the_klantschets_asks_no_age_the_dossier_knows(signed_in, engine):
    deploy_all(engine)  # the app's clock: 5 January 2026
    with engine.new_case("ooststellingwerf", BSN, "Jan Jansen", "cm", "1980-05-31") as c:
        c.start_process("klant_in_beeld", {"gemeente": "ooststellingwerf"}, "cm")
        case_id = c.id
    [first] = engine.ready_tasks(case_id=case_id)
    engine.complete(first.task_id, {"relatie": "alleenstaand", "woonsituatie": "huur", "casemanager": "cm"},
                    actor="cm")
    [schets] = engine.ready_tasks(case_id=case_id)
    html = signed_in("cm").get(f"/taken/{schets.task_id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="leeftijd"[^>]*>', html)[0]
    assert 'value="45"' in field  # born 31 May 1980: 45 on 5 January 2026, and it can be changed


def test_the_ladder_form_shows_the_previous_trede(signed_in, engine):
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "ladder_jaarlijks",
                                {"gemeente": "ooststellingwerf", "trede": 3, "volgendeMeting": "2026-01-05"})
    engine.clock.advance(timedelta(days=1))
    engine.fire_due_timers()
    [meting] = engine.ready_tasks(case_id=case.id)
    html = signed_in("lead").get(f"/taken/{meting.task_id}").get_data(as_text=True)
    assert re.search(r"Trede bij de vorige meting</dt>\s*<dd[^>]*>3</dd>", html)
