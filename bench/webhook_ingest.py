"""Webhook ingest benchmark: signed deliveries against gunicorn in production settings.

Run: `python -m bench.webhook_ingest [--seconds 30] [--connections 8] [--outage 20] [--append]`
(also run by `make bench`, which collects the printed section into docs/benchmarks.md).

The load generator is `wrk` (Debian package; installed here with apt-get when missing and
running as root) with bench/webhook_ingest.lua sending pre-signed bodies, each a distinct
comment, so the generator takes a few percent of a CPU. Without wrk, a Python generator is used
and the section says so: it takes about half of a 2-CPU machine, and its figures are lower.

Two runs against a fresh PostgreSQL database and a Redis server of its own (started here on
a free port, never the machine's shared one), each after a short warm-up:
1. steady: keep-alive connections on loopback, each sending in turn, for `--seconds`;
2. broker outage: the same, with the Redis server shut down (`shutdown nosave`, so queued
   messages are lost too) for `--outage` seconds in the middle.
Each run checks that every delivery answered 200 is stored, then waits until every one is
processed by a Celery worker (the sweep, run by beat each minute, requeues what the broker
lost) and prints a Markdown section with the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from meta.signing import sign_body
from socialdatalab import celery_command
from tests.sandbox_process import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ACCOUNT_ID = "17841499999999999"
SECRET = "bench-instagram-app-secret"
DATABASE = "sdl_webhooks_bench"
RESULTS = ROOT / "docs" / "benchmarks.md"
LUA = Path(__file__).with_name("webhook_ingest.lua")
WARM_UP_SECONDS = 3.0
ENDPOINT_APP = "socialdatalab.wsgi"
# --compare: the same load on the same gunicorn configuration, against these instead of the endpoint.
BASELINES = (("trivial Django view", "bench.trivial_wsgi:application"), ("bare WSGI", "bench.bare_wsgi:application"))
# Distinct bodies written for wrk per second of load: above any rate this stack can reach, so
# no delivery repeats (a repeat would be stored twice but make one comment).
BODIES_PER_SECOND = 4000
# After the script stops writing, the answers still on their way have this long to arrive.
WRK_GRACE_SECONDS = 3


def environment(db_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "socialdatalab.settings",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # loopback: no TLS terminator in front
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMBEDDED_BROKER": "false",
        "META_APP_ID": "100000000000001",
        "META_APP_SECRET": "bench-meta-app-secret",
        "INSTAGRAM_APP_ID": "200000000000002",
        "INSTAGRAM_APP_SECRET": SECRET,
        "META_WEBHOOK_VERIFY_TOKEN": "bench-verify-token",
        "TOKEN_ENCRYPTION_KEYS": "m1uYyc2mZ2Q3fGd8lX3bJ0o3u0Xw3O3C8Q5n9mHc3rE=",
        "META_SANDBOX_URL": "http://127.0.0.1:9",
        "LOG_LEVEL": "WARNING",
    }


def body_for(run: str, n: int) -> bytes:
    value = {
        "id": f"{run}-{n}",
        "from": {"id": str(10**14 + n), "username": f"pessoa{n % 997}"},
        "text": f"Comentário {n} \\u00e9 bem-vindo",
        "media": {"id": "18099999999999999", "media_product_type": "FEED"},
    }
    entry = {"id": ACCOUNT_ID, "time": int(time.time()), "field": "comments", "value": value}
    return json.dumps({"object": "instagram", "entry": [entry]}, separators=(",", ":")).encode()


def signed(body: bytes) -> str:
    return sign_body(body, SECRET)


def find_wrk() -> str | None:
    """wrk on the PATH, installed from Debian first when it is missing and we may."""
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True)
        if shutil.which("wrk") is None:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True)
    return shutil.which("wrk")


def load_wrk(wrk: str, port: int, run: str, seconds: float, threads: int, connections: int) -> dict[str, Any]:
    """Closed-loop load from wrk; the Lua script cycles through bodies signed in advance."""
    bodies = ROOT / "var" / "bench" / f"webhook-bodies-{run}.tsv"
    with open(bodies, "w") as out:
        for n in range(int(seconds * BODIES_PER_SECOND)):
            body = body_for(run, n)
            out.write(f"{signed(body)}\t{body.decode()}\n")
    # The script aligns its start on the next second and stops writing after `seconds`.
    duration = f"-d{seconds + 1 + WRK_GRACE_SECONDS:.0f}s"
    command = [wrk, f"-t{threads}", f"-c{connections}", duration, "--timeout", "10s", "-s", str(LUA)]
    started = time.monotonic()
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}/webhooks/meta/", "--", str(bodies), str(threads), f"{seconds:.0f}"],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.monotonic() - started
    bodies.unlink()
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    r = {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", line)}
    answered, non_2xx, errors = int(r["answered"]), int(r["non2xx"]), int(r["errors"])
    statuses = {200: answered - non_2xx}
    if non_2xx:
        statuses[-1] = non_2xx  # wrk counts them without telling which status
    if errors:
        statuses[0] = errors
    return {
        "sent": int(r["sent"]),
        "answered": answered,
        "ok": answered - non_2xx,
        "statuses": statuses,
        "seconds": seconds,
        "rate": answered / seconds,
        "p50_ms": r["p50"],
        "p99_ms": r["p99"],
        "max_ms": r["max"],
        "wall_s": elapsed,
        "exhausted": int(r["sent"]) > seconds * BODIES_PER_SECOND,
    }


def _connection_loop(port: int, run: str, offset: int, step: int, stop_at: float, out: list[Any]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = offset
    latencies, statuses = [], {}
    while time.monotonic() < stop_at:
        body = body_for(run, n)
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signed(body), "Connection": "keep-alive"}
        started = time.perf_counter()
        try:
            conn.request("POST", "/webhooks/meta/", body, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
        n += step
    out.append((latencies, statuses))


def _generator_process(port: int, run: str, first: int, threads: int, step: int, stop_at: float, queue: Any) -> None:
    out: list[Any] = []
    workers = [
        threading.Thread(target=_connection_loop, args=(port, run, first + i, step, stop_at, out))
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies = [value for chunk, _ in out for value in chunk]
    statuses: dict[int, int] = {}
    for _, chunk in out:
        for status, count in chunk.items():
            statuses[status] = statuses.get(status, 0) + count
    queue.put((latencies, statuses))


def load(port: int, run: str, seconds: float, processes: int, threads: int) -> dict[str, Any]:
    """Closed-loop load: `processes x threads` keep-alive connections, each sending in turn."""
    queue: Any = multiprocessing.Queue()
    stop_at = time.monotonic() + seconds
    step = processes * threads
    procs = [
        multiprocessing.Process(target=_generator_process, args=(port, run, p * threads, threads, step, stop_at, queue))
        for p in range(processes)
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.monotonic() - started
    latencies = sorted(value for chunk, _ in results for value in chunk)
    statuses: dict[int, int] = {}
    for _, chunk in results:
        for status, count in chunk.items():
            statuses[status] = statuses.get(status, 0) + count

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "sent": len(latencies),
        "answered": len(latencies),
        "ok": statuses.get(200, 0),
        "statuses": statuses,
        "seconds": elapsed,
        "wall_s": elapsed,
        "rate": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": latencies[-1] * 1000,
        "mean_ms": statistics.mean(latencies) * 1000,
    }


def _jiffies(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pids: set[int]) -> set[int]:
    """The processes under `pids` (gunicorn's and Celery's workers), found through /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
    tree, grown = set(pids), True
    while grown:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        grown = bool(found)
        tree |= found
    return tree


def _busy_jiffies() -> int:
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + irq + softirq + steal


def _service_jiffies(cursor: Any) -> int:
    """CPU of what serves every job on the machine and does part of our work too: PostgreSQL's
    WAL writer, checkpointer and background writer, and interrupt handling. Counted with the
    other jobs; shown apart. (The kernel's worker threads come and go, so their CPU cannot be
    taken as a difference; it stays with the other jobs.)"""
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE backend_type IN ('walwriter', 'checkpointer', 'background writer')"
    )
    irq, softirq = map(int, Path("/proc/stat").read_text().split()[6:8])
    return irq + softirq + sum(_jiffies(row[0]) for row in cursor.fetchall())


class Stack:
    """PostgreSQL database, private Redis, gunicorn, a Celery worker and beat, for one benchmark."""

    def __init__(self, workers: int, threads: int, worker_class: str) -> None:
        self.web_port = free_port()
        self.redis_port = free_port()
        self.db_url = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = environment(self.db_url, self.redis_url)
        self.workers, self.threads, self.worker_class = workers, threads, worker_class
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = ROOT / "var" / "bench"
        self.logs.mkdir(parents=True, exist_ok=True)

    def spawn(self, name: str, *command: str) -> None:
        log = open(self.logs / f"webhook-{name}.log", "wb")
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_redis(self) -> None:
        self.spawn(
            "redis",
            "redis-server",
            "--port",
            str(self.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        )
        wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            )
        )

    def stop_redis(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True)
        self.processes.pop("redis").wait(timeout=10)

    def up(self) -> None:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        self.start_redis()
        self.start_web(ENDPOINT_APP)

    def start_web(self, app: str) -> None:
        """gunicorn serving `app`, always with the same configuration (the comparison depends on it)."""
        self.spawn(
            "gunicorn",
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        )
        wait_for(lambda: _handshake_ok(self.web_port))

    def restart_web(self, app: str) -> None:
        process = self.processes.pop("gunicorn")
        process.terminate()
        process.wait(timeout=30)
        self.start_web(app)

    def start_processing(self, concurrency: int, niceness: int) -> None:
        self.spawn(
            "worker",
            "nice",
            "-n",
            str(niceness),
            *celery_command.worker(
                "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
                queues=("webhooks", "collect", "default"), loglevel="WARNING",
            ),
        )  # fmt: skip
        self.spawn(
            "beat",
            *celery_command.beat("--schedule", str(self.logs / "celerybeat-schedule"), loglevel="WARNING"),
        )

    def hold_processing(self, held: bool) -> None:
        """SIGSTOP (or SIGCONT) the Celery worker and its pool: under --compare every target is
        loaded with the worker present and idle, and the endpoint's deliveries are processed in
        the drain after its load, so the three figures are measured on the same machine."""
        for pid in sorted(_children({self.processes["worker"].pid})):
            try:
                os.kill(pid, signal.SIGSTOP if held else signal.SIGCONT)
            except ProcessLookupError:
                continue

    def cpu_snapshot(self) -> tuple[int, dict[str, int], int]:
        """(all busy CPU of the machine, the part used by each of this benchmark's pieces, the
        shared services' part) in clock ticks: the stack's processes and their children,
        PostgreSQL's backends on the bench database, this process with its exited children (wrk)
        as the generator; and `_service_jiffies`."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DATABASE])
            backends = {row[0] for row in cursor.fetchall()}
            service = _service_jiffies(cursor)
        parts = {"postgres": sum(_jiffies(pid) for pid in backends)}
        for name, process in self.processes.items():
            key = "celery" if name in ("worker", "beat") else name
            parts[key] = parts.get(key, 0) + sum(_jiffies(pid) for pid in _children({process.pid}) - backends)
        own = os.times()
        own_ticks = (own.user + own.system + own.children_user + own.children_system) * os.sysconf("SC_CLK_TCK")
        parts["generator"] = int(own_ticks)
        return _busy_jiffies(), parts, service

    def down(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if name == "redis":
                subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True)
            else:
                process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def _handshake_ok(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    conn.request("GET", "/webhooks/meta/?hub.mode=subscribe&hub.challenge=7&hub.verify_token=bench-verify-token")
    return conn.getresponse().read() == b"7"


def wait_for(check: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("benchmark stack did not come up")


def setup_django(stack: Stack) -> None:
    os.environ.update(stack.env)
    import django

    django.setup()
    from accounts.models import Organization
    from collector.models import Platform, Profile

    organization = Organization.objects.create(name="Benchmark")
    Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id=ACCOUNT_ID)


def counts(run: str) -> dict[str, int]:
    from collector.models import Comment
    from webhooks.models import EventStatus, WebhookEvent

    events = WebhookEvent.objects.filter(body__contains=f'"id":"{run}-')
    return {
        "stored": events.count(),
        "unprocessed": events.exclude(status=EventStatus.PROCESSED).count(),
        "comments": Comment.objects.filter(meta_id__startswith=f"{run}-").count(),
    }


def drain(run: str, expected: int, timeout: float = 900) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        now = counts(run)
        if now["unprocessed"] == 0 and now["comments"] >= expected:
            return time.monotonic() - started
        time.sleep(2)
    raise RuntimeError(f"{run}: not everything was processed within {timeout:.0f}s: {counts(run)}")


def generate(stack: Stack, args: argparse.Namespace, tag: str, seconds: float) -> dict[str, Any]:
    """One load run with the chosen generator against the stack's gunicorn (and the machine's
    1-minute load average when it started: the other jobs sharing the CPUs)."""
    started_load = os.getloadavg()[0]
    if args.wrk:
        result = load_wrk(args.wrk, stack.web_port, tag, seconds, args.processes, args.connections)
    else:
        result = load(stack.web_port, tag, seconds, args.processes, args.connections // args.processes)
    return {**result, "load": started_load}


def run_once(stack: Stack, run: str, args: argparse.Namespace, outage: float) -> dict[str, Any]:
    generate(stack, args, f"{run}w", WARM_UP_SECONDS)  # first requests of each gunicorn thread load code
    outage_note: dict[str, float] = {}
    if outage:

        def broker_outage() -> None:
            time.sleep((args.seconds - outage) / 2)
            outage_note["stopped_at"] = time.monotonic()
            stack.stop_redis()
            time.sleep(outage)
            stack.start_redis()
            outage_note["restarted_at"] = time.monotonic()

        threading.Thread(target=broker_outage, daemon=True).start()
    if args.compare:
        stack.hold_processing(True)
    before = stack.cpu_snapshot()
    try:
        result = generate(stack, args, run, args.seconds)
    finally:
        after = stack.cpu_snapshot()
        if args.compare:
            stack.hold_processing(False)
    result.update(cpu_used(before, after, result))
    result.update(counts(run))
    result["drain_s"] = drain(run, result["stored"])
    result.update(counts(run))
    result["outage_s"] = outage_note["restarted_at"] - outage_note["stopped_at"] if outage else 0
    return result


def cpu_used(
    before: tuple[int, dict[str, int], int], after: tuple[int, dict[str, int], int], result: dict[str, Any]
) -> dict[str, Any]:
    """CPUs busy on average during a load (this benchmark's, everything else's), and the CPU
    time per answered delivery by part (µs): the figure the other jobs on the machine change least."""
    hz = os.sysconf("SC_CLK_TCK")
    ticks = hz * result["wall_s"]
    parts = {name: after[1].get(name, 0) - used for name, used in before[1].items()}
    ours = sum(parts.values())
    answered = max(1, result["answered"])
    return {
        "cpu_ours": ours / ticks,
        "cpu_others": max(0, (after[0] - before[0]) - ours) / ticks,
        "cpu_service": (after[2] - before[2]) / ticks,
        "cpu_us": {name: 1e6 * used / hz / answered for name, used in parts.items()},
        "cpu_us_total": 1e6 * ours / hz / answered,
    }


def baseline(stack: Stack, app: str, run: str, args: argparse.Namespace) -> dict[str, Any]:
    """Rate and latency of `app` under the endpoint's load (nothing is stored: no counts), with
    the worker held as during the endpoint's load."""
    stack.restart_web(app)
    stack.hold_processing(True)
    try:
        generate(stack, args, f"{run}w", WARM_UP_SECONDS)
        before = stack.cpu_snapshot()
        result = generate(stack, args, run, args.seconds)
        return {**result, **cpu_used(before, after=stack.cpu_snapshot(), result=result)}
    finally:
        stack.hold_processing(False)
        stack.restart_web(ENDPOINT_APP)


def comparison(endpoint: dict[str, Any], baselines: list[tuple[str, dict[str, Any]]]) -> str:
    """The endpoint next to the baselines, with its share of each one's rate."""
    rows = [("webhook endpoint (`/webhooks/meta/`)", endpoint), *baselines]
    lines = [
        "| target | answered 200 | other | deliveries/s | endpoint / target | p50 ms | p99 ms "
        "| CPUs of other jobs (of which shared services) "
        "| load average | bench CPU µs per delivery |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        other = {k: v for k, v in r["statuses"].items() if k != 200}
        share = f"{endpoint['rate'] / r['rate']:.0%}" if r["rate"] else "-"
        lines.append(
            f"| {name} | {r['ok']} | {other or '-'} | {r['rate']:.0f} | {share} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r.get('cpu_others', 0):.2f} "
            f"({r.get('cpu_service', 0):.2f}) | {r.get('load', 0):.1f} | {cpu_parts(r)} |"
        )
    return "\n".join(lines) + "\n"


def cpu_parts(r: dict[str, Any]) -> str:
    """`total (gunicorn / postgres / generator)`: where the benchmark's CPU per delivery went."""
    us = r.get("cpu_us", {})
    return (
        f"{r.get('cpu_us_total', 0):.0f} ({us.get('gunicorn', 0):.0f} / {us.get('postgres', 0):.0f} / "
        f"{us.get('generator', 0):.0f})"
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} vCPU {cpu}, {memory_kb // 1024 // 1024} GB RAM, Python {platform.python_version()}"


def report(results: list[tuple[str, dict[str, Any]]], args: argparse.Namespace) -> str:
    if args.wrk:
        generator = (
            f"wrk ({args.processes} threads, {args.connections} keep-alive connections, closed loop, "
            "bench/webhook_ingest.lua cycling through bodies signed in advance)"
        )
    else:
        generator = (
            f"**the Python fallback generator** ({args.processes} processes, {args.connections} keep-alive "
            "connections; wrk was not found or not wanted, and this generator takes a large share of the CPUs)"
        )
    threads = f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    lines = [
        "## Webhook ingest (`python -m bench.webhook_ingest`)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}, shared with other jobs. gunicorn "
        f"{args.worker_class} {args.workers} workers{threads}, DJANGO_ENV=production, PostgreSQL on loopback, "
        f"a private redis-server. Load: {generator} for {args.seconds:.0f} s after a {WARM_UP_SECONDS:.0f} s "
        "warm-up; each delivery one signed Instagram comment. A Celery worker (concurrency "
        f"{args.concurrency}, `nice {args.worker_nice}`) and beat run throughout on the same machine. Goal: "
        ">= 1,000 deliveries/s answered, p99 < 50 ms, stored == sent, all processed.",
        "",
        "| run | sent | answered 200 | other | deliveries/s | p50 ms | p99 ms | max ms | stored | processed "
        "| drain s | CPUs: bench / other jobs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results:
        other = {k: v for k, v in r["statuses"].items() if k != 200}
        lines.append(
            f"| {name} | {r['sent']} | {r['ok']} | {other or '-'} | {r['rate']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['stored']} | {r['comments']} | {r['drain_s']:.0f} | "
            f"{r['cpu_ours']:.2f} / {r['cpu_others']:.2f} |"
        )
    lines += [
        "",
        "`sent` counts the requests written, `answered 200` the 200 answers received (the generator "
        "stops writing at the end and waits for the answers in flight); `stored` and `processed` are "
        "counted in the database. `drain s`: from the end of the load until every stored delivery "
        "was processed; in the outage run it includes waiting for the sweep (beat runs it each "
        "minute, for deliveries at least 10 s old) to queue again what died with Redis. `CPUs`: CPUs "
        "busy on average during the load, with this benchmark's processes (generator, gunicorn, "
        "worker, beat, Redis, PostgreSQL backends) and with everything else on the machine.",
        "",
        "The worker runs at `nice 10`: on one small machine the answers to Meta come first and "
        "processing takes the CPU left over, catching up in the drain (deliveries are processed in "
        "runs of up to 200 per message and transaction, about 0.5 ms of CPU each). On separate "
        "machines the nice level changes nothing.",
    ]
    return "\n".join(lines) + "\n"


def main() -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.webhook_ingest")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--outage", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--processes", type=int, default=2, help="generator threads (wrk) or processes")
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=2, help="of the Celery worker")
    parser.add_argument("--worker-nice", type=int, default=10, help="niceness of the Celery worker")
    parser.add_argument("--python-generator", action="store_true", help="do not use wrk")
    parser.add_argument("--steady-only", action="store_true")
    parser.add_argument(
        "--compare", action="store_true", help="also load a trivial Django view and a bare WSGI app the same way"
    )
    parser.add_argument("--append", action="store_true", help="also append the section to docs/benchmarks.md")
    args = parser.parse_args()
    args.wrk = None if args.python_generator else find_wrk()
    if args.wrk is None:
        print("using the Python load generator (wrk not found or not wanted): lower figures", file=sys.stderr)
    stack = Stack(args.workers, args.threads, args.worker_class)
    try:
        stack.up()
        setup_django(stack)
        stack.start_processing(args.concurrency, args.worker_nice)
        tag = f"b{int(time.time())}"
        results = [("steady", run_once(stack, f"{tag}s", args, 0))]
        print(json.dumps(results[-1], default=str), file=sys.stderr, flush=True)
        baselines = (
            [(name, baseline(stack, app, f"{tag}{n}", args)) for n, (name, app) in enumerate(BASELINES)]
            if args.compare
            else []
        )
        if not args.steady_only:
            results.append((f"Redis down {args.outage:.0f} s mid-run", run_once(stack, f"{tag}o", args, args.outage)))
            print(json.dumps(results[-1], default=str), file=sys.stderr, flush=True)
    finally:
        stack.down()
    section = report(results, args)
    if baselines:
        section += "\nThe same load, same gunicorn configuration, same run, three targets:\n\n"
        section += comparison(results[0][1], baselines)
        section += (
            "\n`bench CPU µs per delivery`: the CPU time this benchmark's processes used during the "
            "load divided by the answers, in total and for gunicorn / PostgreSQL's backends / the "
            "generator. On a shared machine it moves less than the rates, which follow the CPU the "
            "other jobs leave; it leaves out PostgreSQL's WAL writer and the kernel's I/O threads "
            "(counted with the other jobs, and shown in brackets in that column as `shared services`: "
            "PostgreSQL's WAL writer, checkpointer and background writer, and interrupts, "
            "which work for every job and for the endpoint's commits too).\n"
        )
    for name, r in results:
        if r["stored"] != r["sent"] or r["comments"] != r["stored"] or r.get("exhausted"):
            section += (
                f"\n**{name}: sent {r['sent']}, answered 200 {r['ok']}, stored {r['stored']}, "
                f"processed {r['comments']}.**\n"
            )
    if args.append:
        existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
        RESULTS.write_text(existing.rstrip("\n") + "\n\n" + section)
    return section


if __name__ == "__main__":
    print(main())
