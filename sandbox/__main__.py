"""python -m sandbox --port 8001 [--host 127.0.0.1] [--seed 42] [--state-file var/sandbox-state.pickle]"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from .server import make_server


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--state-file", type=Path, default=None, help="keep the state in this file across restarts (default: memory)"
    )
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.seed, args.state_file)

    def stop(*_: object) -> None:
        # shutdown() waits for serve_forever to return, so it cannot run in the main thread; a second
        # signal (a supervisor's TERM to the group plus the launcher's own) just asks again.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = server.server_address[:2]
    print(f"Meta sandbox listening on http://{host}:{port} (seed {args.seed})", flush=True)
    try:
        server.serve_forever()
    finally:
        if server.persister is not None:
            server.persister.close()
        server.server_close()


if __name__ == "__main__":
    main()
