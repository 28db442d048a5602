"""The web process's batcher of stored deliveries' ids: one `process_events` message per burst.

Not to be confused with publishing/publisher.py (stories to Meta): this one publishes event ids
to the broker, from a thread of the process that stored them.
"""

from __future__ import annotations

import atexit
import os
import threading
import time

from webhooks.broker import enqueue
from webhooks.processing import PUBLISH_CHUNK, process_events

# Deliveries stored by one process within this window share one broker message.
FLUSH_SECONDS = 0.05
# While deliveries keep coming, one message per this long at most: each publish costs the web
# process about as much CPU as answering a delivery (py-spy under the bench's load: publishing
# every 50 ms was a third of a gunicorn worker's CPU at 1,000 deliveries/s on four workers).
BUSY_FLUSH_SECONDS = 0.25


class EventBatcher:
    """Coalesces the deliveries this process stored into one `process_events` message per
    flush, so a burst costs the broker (and the request) one publish per flush instead of one
    per delivery. The first delivery after a quiet spell goes out FLUSH_SECONDS later (a lone
    comment still shows in the page within a tenth of a second); under sustained load flushes
    are BUSY_FLUSH_SECONDS apart. Ids still in memory when the process dies are the sweep's to
    queue.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()
        # Held while ids are being published: once flush() returns, no publish is in flight.
        self._publishing = threading.Lock()
        self._pending: list[int] = []
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, event_id: int) -> None:
        with self._lock:
            self._pending.append(event_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="webhooks-event-batcher", daemon=True)
                self._thread.start()
        self._ready.set()

    def flush(self) -> None:
        with self._publishing:
            with self._lock:
                ids, self._pending = self._pending, []
                self._ready.clear()
            for start in range(0, len(ids), PUBLISH_CHUNK):
                enqueue(process_events, ids[start : start + PUBLISH_CHUNK])

    def _run(self) -> None:
        last_flush = 0.0
        while True:
            self._ready.wait()
            time.sleep(max(FLUSH_SECONDS, last_flush + BUSY_FLUSH_SECONDS - time.monotonic()))
            last_flush = time.monotonic()
            self.flush()


batcher = EventBatcher()
# A forked child (gunicorn's workers) inherits neither the thread nor the parent's ids.
os.register_at_fork(after_in_child=batcher.reset)
atexit.register(batcher.flush)
