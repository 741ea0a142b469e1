"""The teamleider's use cases: caseload handover, absence with a vervanger, a case to another team."""
