"""CPU per webhook delivery, by process, for the endpoint and the two references.

Run: `python -m bench.webhook_cpu [--deliveries 3000] [--profile]`

bench/webhook_ingest.py measures deliveries/s under gunicorn, which on a machine shared with
other jobs moves with their load. This measures what a delivery costs instead: each target's
WSGI application is called in one thread of a fresh process (production settings, a database
and a private redis-server of its own, the bench's signed comment bodies), and the CPU time of
that process (request threads and the batcher's), of its PostgreSQL backend, and of Redis is
divided by the number of deliveries. CPU time is what the other jobs do not change much: it
is the figure to compare changes with; rates still come from bench.webhook_ingest.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.webhook_ingest import BASELINES, ENDPOINT_APP, PYTHON, ROOT, body_for, environment, signed
from tests.sandbox_process import free_port

DATABASE = "sdl_webhooks_cpu"
WARM_UP = 300


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _environ(body: bytes) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/webhooks/meta/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_HUB_SIGNATURE_256": signed(body),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _call(app: Any, body: bytes) -> str:
    status: list[str] = []
    chunks = app(_environ(body), lambda s, headers, exc_info=None: status.append(s))
    for _ in chunks:
        pass
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0]


def measure(target: str, deliveries: int, redis_pid: int, profile: bool) -> dict[str, Any]:
    """In the child process: load `target`, warm up, then time `deliveries` calls."""
    module, _, name = target.partition(":")
    app = getattr(__import__(module, fromlist=[name or "application"]), name or "application")
    run = f"c{int(time.time() * 1000)}"
    for n in range(WARM_UP):
        assert _call(app, body_for(run + "w", n)).startswith("200"), target
    bodies = [body_for(run, n) for n in range(deliveries)]
    backend = None
    if target != BASELINES[1][1]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    pg_before, redis_before = (_ticks(backend) if backend else 0), _ticks(redis_pid)
    cpu_before = time.process_time()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
    for body in bodies:
        _call(app, body)
    if profiler:
        profiler.disable()
    time.sleep(0.2)  # the batcher's last publish
    python = time.process_time() - cpu_before
    hz = os.sysconf("SC_CLK_TCK")
    pg = ((_ticks(backend) - pg_before) / hz) if backend else 0.0
    redis = (_ticks(redis_pid) - redis_before) / hz
    if profiler:
        import pstats

        for order, lines in (("cumulative", 45), ("tottime", 25)):
            pstats.Stats(profiler, stream=sys.stderr).sort_stats(order).print_stats(lines)
    per = 1e6 / deliveries
    return {
        "target": target,
        "python_us": python * per,
        "postgres_us": pg * per,
        "redis_us": redis * per,
        "total_us": (python + pg + redis) * per,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.webhook_cpu")
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="cProfile the endpoint's calls (to stderr)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--redis-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.deliveries, args.redis_pid, args.profile)))
        return
    redis_port = free_port()
    env = environment(f"postgres://postgres@127.0.0.1:5432/{DATABASE}", f"redis://127.0.0.1:{redis_port}/0")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    try:
        rows = []
        for _ in range(args.repeat):
            for target in (ENDPOINT_APP, *(app for _, app in BASELINES)):
                command = [PYTHON, "-m", "bench.webhook_cpu", "--child", target, "--redis-pid", str(redis.pid)]
                command += ["--deliveries", str(args.deliveries)] + (["--profile"] if args.profile else [])
                done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
                if done.returncode:
                    sys.exit(done.stderr)
                if args.profile and target == ENDPOINT_APP:
                    print(done.stderr, file=sys.stderr)
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        redis.terminate()
        redis.wait(timeout=10)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    print("| target | Python µs | PostgreSQL µs | Redis µs | total µs per delivery |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['target']} | {r['python_us']:.0f} | {r['postgres_us']:.0f} | {r['redis_us']:.0f} "
            f"| {r['total_us']:.0f} |"
        )


if __name__ == "__main__":
    main()
