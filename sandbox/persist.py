"""Keeping the sandbox's State on disk, so a second `make run` continues the first.

Generic on purpose: every attribute of State is saved (whatever is added to State later), except
what cannot be pickled (its lock). A file is only loaded back when it was written by a sandbox
with the same seed and the same shape of State (attribute names, the attributes of the sandbox's
own objects, the fields of its dataclasses); anything else is discarded with a message, because
half-compatible state fails later and far from its cause. Saves are atomic (temp file + rename),
coalesced by a thread after requests (every request may change the state: even GETs count calls),
and made once more at shutdown.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import itertools
import os
import pickle
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .state import State

FORMAT = 1  # bump when the meaning of saved data changes without its shape changing
MIN_INTERVAL = 0.5  # seconds between two saves: bursts of requests make one write
LOCKS = (type(threading.Lock()), type(threading.RLock()))  # belong to this process only


def _count(counter: itertools.count) -> tuple[Any, tuple[int]]:
    # Pickling itertools.count is deprecated (gone in Python 3.14); its repr holds the next value.
    match = re.fullmatch(r"count\((\d+)\)", repr(counter))
    if match is None:
        raise pickle.PicklingError(f"cannot save {counter!r}")
    return itertools.count, (int(match.group(1)),)


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, itertools.count: _count}
    pickler.dump(value)
    return buffer.getvalue()


def _own(value: object) -> bool:
    module = type(value).__module__
    return module == "sandbox" or module.startswith("sandbox.")


def schema(state: State) -> str:
    """A fingerprint of the State's shape, taken from a fresh State (never from loaded data)."""
    parts = []
    for name, value in sorted(vars(state).items()):
        inner = sorted(vars(value)) if _own(value) and hasattr(value, "__dict__") else []
        parts.append(f"{name}:{type(value).__qualname__}{inner}")
    for module_name, module in sorted(sys.modules.items()):
        if module is None or not (module_name == "sandbox" or module_name.startswith("sandbox.")):
            continue
        for cls in vars(module).values():
            if dataclasses.is_dataclass(cls) and isinstance(cls, type) and cls.__module__ == module_name:
                parts.append(f"{module_name}.{cls.__qualname__}{[f.name for f in dataclasses.fields(cls)]}")
    parts.append(f"format {FORMAT}")
    return hashlib.sha256("\n".join(sorted(set(parts))).encode()).hexdigest()


class Persister:
    def __init__(self, state: State, path: Path) -> None:
        self.state, self.path = state, path
        self.schema = schema(state)
        self.dirty = threading.Event()
        self.closed = False
        self.unsaved: set[str] = set()  # attributes that cannot be pickled (reported once)
        self.thread = threading.Thread(target=self._run, name="sandbox-persist", daemon=True)

    # ------------------------------------------------------------ loading
    def load(self) -> bool:
        """Replace the fresh state's attributes by the saved ones; False (with a message) when none fit."""
        if not self.path.exists():
            return False
        try:
            saved = pickle.loads(self.path.read_bytes())  # noqa: S301 - our own file under var/
            fits = saved.get("schema") == self.schema and saved.get("seed") == self.state.seed
        except Exception as exc:  # noqa: BLE001 - any unreadable file is discarded the same way
            fits, saved = False, {"error": repr(exc)}
        if not fits:
            why = saved.get("error") or "written by a sandbox of another version or seed"
            print(f"sandbox: {self.path} discarded ({why}); starting from a fresh state", file=sys.stderr, flush=True)
            return False
        with self.state.lock:
            vars(self.state).update(saved["attributes"])
        print(f"sandbox: state loaded from {self.path}", flush=True)
        return True

    # ------------------------------------------------------------ saving
    def start(self) -> None:
        self.thread.start()

    def touch(self) -> None:
        self.dirty.set()

    def close(self) -> None:
        """Stop the saver thread and write the state one last time."""
        self.closed = True
        self.dirty.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)
        self.save()

    def _run(self) -> None:
        while not self.closed:
            self.dirty.wait()
            if self.closed:
                return
            self.dirty.clear()
            self.save()
            time.sleep(MIN_INTERVAL)

    def _attributes(self, checked: bool) -> dict[str, Any]:
        attributes = {}
        for name, value in vars(self.state).items():
            if name in self.unsaved or isinstance(value, LOCKS):
                continue
            if not checked:
                attributes[name] = value
                continue
            try:
                _dumps(value)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                self.unsaved.add(name)
                print(f"sandbox: State.{name} is not saved ({exc})", file=sys.stderr, flush=True)
                continue
            attributes[name] = value
        return attributes

    def _payload(self, checked: bool) -> bytes:
        return _dumps({"schema": self.schema, "seed": self.state.seed, "attributes": self._attributes(checked)})

    def save(self) -> None:
        with self.state.lock:
            try:
                payload = self._payload(checked=False)
            except (pickle.PicklingError, TypeError, AttributeError):
                # Something new cannot be pickled: find it, say so once, and save the rest.
                payload = self._payload(checked=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise
