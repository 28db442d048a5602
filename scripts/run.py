"""`make run`: the web app, the Meta sandbox, a Celery worker and Celery beat in one terminal.

Standard library only. Logs are prefixed by process; Ctrl-C stops them all. Uses Redis at
REDIS_URL, starts a local redis-server when one is installed but not running, and otherwise
falls back to Celery's filesystem broker under var/ with an in-memory Redis stand-in for the
cache, locks and rate budgets (one line says so).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COLOURS = {"redis": "36", "web": "32", "sandbox": "35", "worker": "34", "beat": "33"}


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


def pump(name: str, process: subprocess.Popen[bytes]) -> None:
    prefix = f"\033[{COLOURS[name]}m{name:>8} |\033[0m " if sys.stdout.isatty() else f"{name:>8} | "
    assert process.stdout is not None
    for line in iter(process.stdout.readline, b""):
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DEBUG", "true")
    web_port, sandbox_port = env.get("WEB_PORT", "8000"), env.get("SANDBOX_PORT", "8001")
    env.setdefault("META_SANDBOX_URL", f"http://127.0.0.1:{sandbox_port}")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{web_port}")
    (ROOT / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
    stand_in = ensure_redis(env)
    manage("migrate", "--noinput", "-v", "0", env=env)
    commands = {
        **({"redis": stand_in} if stand_in else {}),
        "sandbox": [PYTHON, "-m", "sandbox", "--port", sandbox_port, "--seed", "42"],
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload"],
        "worker": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "socialdatalab",
            "worker",
            "-l",
            "INFO",
            "-Q",
            "webhooks,collect,publish,default",
            "--concurrency",
            "2",
        ],
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "socialdatalab",
            "beat",
            "-l",
            "INFO",
        ],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in commands.items():
        processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        threading.Thread(target=pump, args=(name, processes[name]), daemon=True).start()
        if name == "redis":
            wait_for_port(urlparse(env["REDIS_URL"]).port or 6379)
        if name == "sandbox":
            wait_for_port(int(sandbox_port))
            manage("seed_demo", env=env)
    wait_for_port(int(web_port))
    print(
        f"\nrun: SocialDataLab is up at http://127.0.0.1:{web_port}/ (Meta sandbox at "
        f"http://127.0.0.1:{sandbox_port}/_sandbox/)\n"
        "run: log in with “Continue with Instagram” or “Continue with Facebook” and pick a sandbox account,\n"
        "run: or sign in as demo / socialdatalab-demo at /auth/login/. Ctrl-C stops everything.\n"
    )
    return supervise(processes)


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"run: nothing answered on port {port} within {timeout:.0f}s")


def supervise(processes: dict[str, subprocess.Popen[bytes]]) -> int:
    def stop(*_: object) -> None:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C (or a TERM from a supervisor) stops every process; the children run in sessions of
    # their own so that one signal does not reach them twice.
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        dead = [name for name, process in processes.items() if process.poll() is not None]
        print(f"run: {', '.join(dead)} stopped; stopping the rest")
        return 1
    except KeyboardInterrupt:
        print("\nrun: stopping")
        return 0
    finally:
        stop()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
