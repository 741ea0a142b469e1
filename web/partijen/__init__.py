"""The register of providers and employers (issue 18 item 2): casemanagers and teamleiders read it."""
