"""The auditor's list of the gemeente's cases: where a review starts without a case number.

Case numbers, processes, status and history size only: no names or BSNs on the list (opening a
case is what the processing log records). Scoped to the auditor's gemeente; newest first, paged.
"""
from __future__ import annotations

from sqlalchemy import text

from processes.bsn import check_bsn
from web.audit import caselist
from web.audit.caselist import PAGE_SIZE


def _open(engine, n: int, gemeente: str = "ooststellingwerf", first_bsn: int = 100):
    """``n`` cases with an intake started, BSNs valid by the elfproef."""
    bsns = (d for k in range(first_bsn * 10, 10**5) if check_bsn(d := f"9999{k:05d}") is None)
    return [engine.start_case(gemeente, next(bsns), f"Inwoner {i}", "begeleiding", {})[0] for i in range(n)]


def test_the_auditor_sees_the_gemeentes_cases_without_personal_data(engine, signed_in):
    mine = _open(engine, 3)
    other = _open(engine, 1, gemeente="apeldoorn", first_bsn=500)
    engine.close_case(mine[0].id, "uitgestroomd", "P5Y", actor="cm")
    page = signed_in("aud").get("/audit/").get_data(as_text=True)
    assert "3 zaken." in page
    assert all(_link(case) in page for case in mine) and _link(other[0]) not in page
    assert "Inwoner" not in page and "9999" not in page  # no names, no BSNs
    assert "Begeleiding (webtest)" in page and "Gesloten" in page and "Lopend" in page
    closed = signed_in("aud").get("/audit/?status=closed").get_data(as_text=True)
    assert "1 zaak." in closed and _link(mine[0]) in closed and _link(mine[1]) not in closed


def test_the_list_is_paged_newest_first(engine, signed_in):
    cases = _open(engine, PAGE_SIZE + 2)
    aud = signed_in("aud")
    first = aud.get("/audit/").get_data(as_text=True)
    assert f"{PAGE_SIZE + 2} zaken, pagina 1 van 2." in first and "Volgende pagina" in first
    assert _link(cases[-1]) in first and _link(cases[0]) not in first
    second = aud.get("/audit/?pagina=2").get_data(as_text=True)
    assert _link(cases[0]) in second and _link(cases[1]) in second and "Vorige pagina" in second
    assert caselist.case_list(engine, _user(engine), page=99).page == 2  # past the end: the last page


def _user(engine):
    from casework.people import find_user

    return find_user(engine.db, "aud")


def _link(case) -> str:
    return f'href="/audit/zaken/{case.case_number}"'


def test_a_page_of_cases_is_checked_on_request_and_a_tampered_one_is_named(engine, signed_in):
    """Issue 6 from the auditor's screen: the same check as `trede verify`, for the cases listed."""
    cases = _open(engine, 3)
    aud = signed_in("aud")
    assert "Controle" not in aud.get("/audit/").get_data(as_text=True)  # only when asked: it replays
    page = aud.get("/audit/?controle=1").get_data(as_text=True)
    assert "alle zaken op deze pagina kloppen" in page and page.count(">klopt<") == 3
    with engine.db.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE case_id = :c AND seq = 2"),
                     {"c": cases[1].id})
    page = aud.get("/audit/?controle=1").get_data(as_text=True)
    assert "1 van 3 wijken af" in page and "wijkt af</strong> vanaf gebeurtenis 2" in page
