"""Management reports computed from the case event history (issue 10; seed 003 Woerden).

Every figure is computed *as of* a reference date: only events recorded up to the end of that
day (Europe/Amsterdam) count, so running a report on a past date again later gives the same
numbers. A published report is stored as it was (``processes.reports.store``), because the
destruction of old cases may later remove the events it was computed from. No Flask in here.
"""
