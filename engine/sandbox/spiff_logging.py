"""SpiffWorkflow's own log work, done only when a log record is written.

SpiffWorkflow logs every task's change of state at INFO; while its loggers' own level is below INFO
(the default, NOTSET, included) every record also lists all tasks of the workflow and carries the
task data. trede reads none of these records, and building them cost a replay of `trede verify`
about a tenth of its CPU (issue 16 item 5). Nothing here changes what a workflow does: whoever
sets the loggers to INFO gets SpiffWorkflow's records as before
(``tests/engine/test_replay_speedups_equal_library.py``).
"""
from __future__ import annotations

import functools
import logging
from typing import Any

from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

# At WARNING a step does not build the records (about 3 % of a replay's CPU).
for _name in ("spiff.workflow", "spiff.task"):
    logging.getLogger(_name).setLevel(logging.WARNING)
# Every change of a task's state names the new state for those records, written or not, and
# SpiffWorkflow's ``TaskState.get_name`` builds the table of all names on each call (3 % of a
# replay). The name of a state value never changes: the same function, remembered.
_state_name = functools.lru_cache(maxsize=1024)(TaskState.get_name.__func__)
TaskState.get_name = classmethod(_state_name)  # type: ignore[arg-type]  # a cached function
# Likewise the extras of those records (a dict of eight fields per change of state): built only
# when the task logger will write an INFO or DEBUG record.
_task_logger = logging.getLogger("spiff.task")
_task_log_extras = Task.collect_log_extras


def _log_extras_when_logged(task: Task, dct: dict[str, Any] | None = None) -> dict[str, Any]:
    if not _task_logger.isEnabledFor(logging.INFO):
        return {}
    extras: dict[str, Any] = _task_log_extras(task, dct)
    return extras


Task.collect_log_extras = _log_extras_when_logged
