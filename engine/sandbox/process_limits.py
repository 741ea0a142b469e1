"""A memory ceiling for a whole worker process (issue 8.4), beside the sandbox's per-step limits.

The sandbox stops model code that loops or grows (engine/sandbox/limits.py); this ceiling is the
backstop for everything else a process holds (a huge workflow state, a leak): past it an allocation
raises MemoryError inside the step, whose transaction then rolls back and leaves the case intact,
instead of the kernel's OOM killer taking down whatever else runs on the machine.
"""
from __future__ import annotations

import resource

DEFAULT_MB = 2048


def memory_ceiling_mb(value: int) -> int:
    """The ceiling asked for (the settings' TREDE_PROCESS_MEMORY_MB or --memory-mb); 0 means none."""
    if value < 0:
        raise ValueError("a memory ceiling cannot be negative")
    return value


def limit_process_memory(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS) at ``megabytes``; 0 leaves it unlimited.

    Never raises the limit above a hard limit the operator already set.
    """
    if megabytes == 0:
        return
    wanted = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
