"""Where the machine's CPU went during a phase of the rush bench (Linux /proc).

Two cores are shared by the gunicorn workers, PostgreSQL, the client and whatever else runs
on the machine; a figure means little without knowing who had the processor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Snapshot:
    busy: float  # CPU seconds of the whole machine
    idle: float
    workers: float  # gunicorn master and workers
    postgres: dict[int, float]  # per backend: they come and go


def _ticks(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def snapshot(server_pid: int) -> Snapshot:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = (values[3] + values[4]) / TICK
    busy = sum(values[:8]) / TICK - idle
    workers = sum(_ticks(p) for p in [server_pid, *_children(server_pid)])
    postgres = {p: _ticks(p) for p in _postgres_pids()}
    return Snapshot(busy, idle, workers, postgres)


def describe(before: Snapshot, after: Snapshot, client: float) -> str:
    """Return one line: the share of the machine each part used between two snapshots."""
    total = (after.busy + after.idle) - (before.busy + before.idle)
    if total <= 0:
        return ""
    busy = after.busy - before.busy
    workers = after.workers - before.workers
    # Backends of every database, other sessions' included; a backend that ended between the
    # snapshots is missed, one that started counts whole.
    postgres = sum(t - before.postgres.get(p, 0.0) for p, t in after.postgres.items())
    other = max(0.0, busy - workers - postgres - client)

    def share(seconds: float) -> str:
        return f"{100 * seconds / total:.0f}%"

    return (f"    CPU of the machine: busy {share(busy)} — gunicorn {share(workers)}, "
            f"postgres {share(postgres)}, client {share(client)}, everything else {share(other)}")
