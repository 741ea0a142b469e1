"""Team page: caseload handover and absence cover (teamleider, beheerder)."""
