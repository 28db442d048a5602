"""A Redis-protocol server in this process (fakeredis), for `make run` when no Redis can be had.

It serves what needs shared state across the web, worker and beat processes (cache, locks,
rate budgets); Celery's broker is the filesystem one under var/broker.
"""

import argparse

from fakeredis import TcpFakeServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    server = TcpFakeServer(("127.0.0.1", port), server_type="redis")
    print(f"redis stand-in listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
