"""python -m sandbox --port 8001 [--host 127.0.0.1] [--seed 42]"""

from __future__ import annotations

import argparse

from .server import make_server


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.seed)
    host, port = server.server_address[:2]
    print(f"Meta sandbox listening on http://{host}:{port} (seed {args.seed})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
