"""The load generator of the enrollment rush bench: plain HTTP/1.1 over asyncio streams.

It runs in its own process (``multiprocessing`` spawn) so the client never shares an
interpreter, a GIL or Django with the server or with the bench's database probe. Nothing here
imports Django. Gunicorn's sync workers close the connection after each answer, so every
request opens a connection, as each guardian's phone would.
"""

from __future__ import annotations

import asyncio
import json
import resource
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
TIMEOUT = 180.0  # a queued request in a 3,000-family burst may wait a long time; never give up early
RETRIES = 3  # a phone retries a failed request with the same idempotency key


@dataclass
class Job:
    """What to fire: ``requests`` is a list of (bearer token or "", JSON body or None)."""

    port: int
    path: str
    requests: list[tuple[str, bytes | None]]
    concurrency: int = 64
    duration: float | None = None  # None: fire every request at once (the burst)
    double_click_every: int = 0  # send every n-th request twice at once (same key)
    repeat: bool = False  # cycle through ``requests`` (the bare endpoint)


@dataclass
class Result:
    started: float  # seconds after the start of the run
    latency: float
    status: int  # 0 when no answer came (connection failed or timed out)
    attempts: int
    request: int  # index into Job.requests
    application_id: int | None = None
    error: str = ""


def run(job: Job) -> list[Result]:
    """Fire ``job`` and return one Result per request sent (called in the child process)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return asyncio.run(_run(job))


async def _run(job: Job) -> list[Result]:
    t0 = time.perf_counter()
    results: list[Result] = []
    if job.duration is None:
        results = list(await asyncio.gather(*(
            _send(job, i, t0) for i in range(len(job.requests))
        )))
        return results
    deadline = t0 + job.duration
    counter = iter(range(10**9))

    async def worker() -> None:
        while time.perf_counter() < deadline:
            n = next(counter)
            if not job.repeat and n >= len(job.requests):
                return
            index = n % len(job.requests)
            if job.double_click_every and n % job.double_click_every == 0:
                results.extend(await asyncio.gather(_send(job, index, t0), _send(job, index, t0)))
            else:
                results.append(await _send(job, index, t0))

    await asyncio.gather(*(worker() for _ in range(job.concurrency)))
    return results


async def _send(job: Job, index: int, t0: float) -> Result:
    token, body = job.requests[index]
    head = [f"{'POST' if body is not None else 'GET'} {job.path} HTTP/1.1", f"Host: {HOST}:{job.port}",
            "Connection: close", "Accept-Language: zh-hans"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    raw = ("\r\n".join(head) + "\r\n\r\n").encode() + (body or b"")
    started = time.perf_counter()
    status, payload, error, attempts = 0, b"", "", 0
    while attempts < RETRIES:
        attempts += 1
        try:
            status, payload = await asyncio.wait_for(_exchange(job.port, raw), TIMEOUT)
            error = ""
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status, error = 0, f"{type(exc).__name__}: {exc}"
        if status and status < 500:
            break
        if status:
            error = payload[:200].decode(errors="replace")
    latency = time.perf_counter() - started
    result = Result(started - t0, latency, status, attempts, index, error=error)
    if body is not None and status in (200, 201):
        result.application_id = json.loads(payload)["id"]
    elif body is not None and status:
        result.error = result.error or payload[:300].decode(errors="replace")
    return result


async def _exchange(port: int, raw: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(raw)
        await writer.drain()
        data = await reader.read()  # the server closes the connection after its answer
    finally:
        writer.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, payload
