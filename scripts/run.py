"""`make run`: the web app, the Meta sandbox, a Celery worker and Celery beat in one terminal.

Standard library only. Logs are prefixed by process. Uses Redis at
REDIS_URL, starts a local redis-server when one is installed but not running, and otherwise
falls back to Celery's filesystem broker under var/ with an in-memory Redis stand-in for the
cache, locks and rate budgets (one line says so).

Stopping: Ctrl-C, or any TERM/INT/HUP (a supervisor's to the whole process group, which make
forwards once more), stops every child once. The children stay in the launcher's process group,
so a SIGKILL to the group takes them along, and they are told to stop should the launcher die
alone (Linux). The sandbox keeps its state in var/sandbox-state.pickle (SANDBOX_STATE_FILE), so a
second run continues the first. A worker or beat that dies is started again; the web server, the
sandbox or the Redis stand-in dying stops everything (see supervise()).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COLOURS = {"redis": "36", "web": "32", "sandbox": "35", "worker": "34", "beat": "33"}
GRACE = 15  # seconds the children get to stop before they are killed
SETTLE = 0.5  # a group-wide signal reached the children too: let them act on it before ours
RESTARTED = {"worker", "beat"}
CRASH_LOOP = (5, 60.0)  # this many restarts within these seconds: it cannot start, so give up
PR_SET_PDEATHSIG = 1
LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
STOPPING: list[int] = []  # the signals received; set by on_signal, read by the main loop


def redis_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis(env: dict[str, str]) -> list[str] | None:
    """Make REDIS_URL answer. Returns the command of a stand-in to run when no Redis can be had."""
    url = env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    if redis_answers(url):
        return None
    server = shutil.which("redis-server")
    parsed = urlparse(url)
    if server and parsed.hostname in ("127.0.0.1", "localhost"):
        subprocess.run(
            [server, "--daemonize", "yes", "--port", str(parsed.port or 6379), "--save", "", "--appendonly", "no",
             "--dir", str(ROOT / "var"), "--logfile", str(ROOT / "var" / "redis.log")],
            check=False,
        )  # fmt: skip
        for _ in range(50):
            if redis_answers(url):
                print(f"run: started redis-server for {url}")
                return None
            time.sleep(0.1)
    subprocess.run([PYTHON, "-m", "pip", "install", "-q", "-r", str(ROOT / "requirements-local.txt")], check=True)
    port = free_port()
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    env["EMBEDDED_BROKER"] = "true"
    for folder in ("broker/queue", "broker/processed", "broker/control"):
        (ROOT / "var" / folder).mkdir(parents=True, exist_ok=True)
    print(
        "run: no Redis could be had; Celery uses the embedded filesystem broker under var/broker "
        f"and an in-memory Redis stand-in on port {port} keeps the cache and locks"
    )
    return [PYTHON, "scripts/redis_stand_in.py", "--port", str(port)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def on_signal(signum: int, _frame: object) -> None:
    # Only a note: the main loop stops everything once, and a second signal (make forwards the
    # TERM a supervisor sent to the whole group) cannot interrupt a shutdown under way.
    STOPPING.append(signum)


def die_with_launcher() -> None:
    """Runs in each child before exec: a TERM reaches it when the launcher dies (even by SIGKILL)."""
    if LIBC is not None:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def pump(name: str, process: subprocess.Popen[bytes]) -> None:
    prefix = f"\033[{COLOURS[name]}m{name:>8} |\033[0m " if sys.stdout.isatty() else f"{name:>8} | "
    assert process.stdout is not None
    for line in iter(process.stdout.readline, b""):
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


class Child:
    """One supervised process, started again (when it may be) under the same name."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name, self.command, self.env = name, command, env
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts: deque[float] = deque()

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, preexec_fn=die_with_launcher if LIBC is not None else None,
        )  # fmt: skip
        threading.Thread(target=pump, args=(self.name, self.process), daemon=True).start()
        print(f"run: {self.name} started (pid {self.process.pid})", flush=True)

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def may_restart(self) -> bool:
        if self.name not in RESTARTED:
            return False
        now, (most, window) = time.monotonic(), CRASH_LOOP
        while self.restarts and self.restarts[0] < now - window:
            self.restarts.popleft()
        self.restarts.append(now)
        return len(self.restarts) <= most

    def signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)


def describe(code: int) -> str:
    return f"signal {signal.Signals(-code).name}" if code < 0 else f"code {code}"


def manage(*args: str, env: dict[str, str]) -> bool:
    code = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode
    if code and not STOPPING:
        print(f"run: manage.py {args[0]} failed ({describe(code)})", flush=True)
    return code == 0 and not STOPPING


def main() -> int:
    # Installed first: a signal during start-up (migrate, seed_demo) stops what was started, too.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DEBUG", "true")
    web_port, sandbox_port = env.get("WEB_PORT", "8000"), env.get("SANDBOX_PORT", "8001")
    env.setdefault("META_SANDBOX_URL", f"http://127.0.0.1:{sandbox_port}")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{web_port}")
    state_file = env.get("SANDBOX_STATE_FILE") or str(ROOT / "var" / "sandbox-state.pickle")
    (ROOT / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
    stand_in = ensure_redis(env)
    children: dict[str, Child] = {}
    try:
        if not manage("migrate", "--noinput", "-v", "0", env=env):
            return 1
        commands = {
            **({"redis": stand_in} if stand_in else {}),
            "sandbox": [PYTHON, "-m", "sandbox", "--port", sandbox_port, "--seed", "42", "--state-file", state_file],
            "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload"],
            # socialdatalab.celery_command spells the Celery command line (queues from settings).
            "worker": [PYTHON, "-m", "socialdatalab.celery_command", "worker", "--concurrency", "2"],
            "beat": [PYTHON, "-m", "socialdatalab.celery_command", "beat"],
        }  # fmt: skip
        for name, command in commands.items():
            children[name] = Child(name, command, env)
            children[name].start()
            if name == "redis" and not wait_for_port(urlparse(env["REDIS_URL"]).port or 6379):
                return 1
            # The worker starts after seed_demo: no task of an earlier run may use a token it replaces.
            if name == "sandbox" and not (wait_for_port(int(sandbox_port)) and manage("seed_demo", env=env)):
                return 1
        if not wait_for_port(int(web_port)):
            return 1
        print(
            f"\nrun: SocialDataLab is up at http://127.0.0.1:{web_port}/ (Meta sandbox at "
            f"http://127.0.0.1:{sandbox_port}/_sandbox/)\n"
            "run: log in with “Continue with Instagram” or “Continue with Facebook” and pick a sandbox account,\n"
            "run: or sign in as demo / socialdatalab-demo at /auth/login/. Ctrl-C stops everything.\n",
            flush=True,
        )
        return supervise(children)
    finally:
        stop(children)


def wait_for_port(port: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not STOPPING:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    if not STOPPING:
        print(f"run: nothing answered on port {port} within {timeout:.0f}s", flush=True)
    return False


def supervise(children: dict[str, Child]) -> int:
    """Run until a signal. A worker or beat that dies (killed, out of memory) is started again: they
    only work in the background, the site stays up meanwhile and its banner says no worker runs.
    The web server, the sandbox and the Redis stand-in are what people and every other process talk
    to; one of them dying is a bug or a taken port that a restart loop would hide, and the sandbox
    would come back without what it held since its last save: everything stops, saying why."""
    while not STOPPING:
        for child in children.values():
            code = child.exit_code()
            if code is None or STOPPING:
                continue
            if not child.may_restart():
                print(f"run: {child.name} exited ({describe(code)}); stopping the rest", flush=True)
                return 1
            print(f"run: {child.name} exited ({describe(code)}); starting it again", flush=True)
            child.start()
        time.sleep(0.2)
    return 0


def stop(children: dict[str, Child]) -> None:
    """Stop every child, once: TERM, then KILL after the grace period."""
    if STOPPING:
        print(f"\nrun: {signal.Signals(STOPPING[0]).name} received; stopping", flush=True)
        time.sleep(SETTLE)
    for child in children.values():
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for child in children.values():
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"run: {child.name} did not stop within {GRACE}s; killing it", flush=True)
            child.signal(signal.SIGKILL)
            child.process.wait()


if __name__ == "__main__":
    sys.exit(main())
