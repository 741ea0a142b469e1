"""gunicorn settings for trede: `gunicorn -c python:web.gunicorn_conf 'web.app:create_app()'`.

Each worker process gets the memory ceiling of engine/sandbox/process_limits.py (TREDE_PROCESS_MEMORY_MB,
default 2048 MB) after the fork, so one runaway request ends in a clear error, not the OOM killer.
"""
from __future__ import annotations

from casework.settings import Settings
from engine.sandbox.process_limits import limit_process_memory, memory_ceiling_mb

timeout = 30
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500


def post_fork(server, worker) -> None:  # noqa: ARG001 - gunicorn's hook signature
    limit_process_memory(memory_ceiling_mb(Settings.from_environ().process_memory_mb))
