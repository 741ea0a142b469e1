"""Auditor area (issue 6): case history, as-of views, exports, visual replay and the processing log."""
