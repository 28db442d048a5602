"""A story's JSON body read in bounded memory: `asset_base64` is decoded as it streams in.

The body can hold a 100 MB video as 133 MB of base64. Reading it whole, then decoding it, held
about 2.5 times the file in the web process. Here the body is read in 64 KB chunks; the
characters of the top-level `asset_base64` string go straight into a streaming base64 decoder
that writes the file to a temporary file, and the rest of the JSON (a few hundred bytes) is
parsed with the standard json module, the asset standing in as a placeholder.
"""

from __future__ import annotations

import binascii
import re
import tempfile
from typing import IO

CHUNK = 64 * 1024
MAX_OTHER_BYTES = 64 * 1024  # everything but the asset: ids, types, a page id
PLACEHOLDER = '"\\u0000streamed-asset"'
_DATA_URL = re.compile(rb"^data:[\w.+-]+/[\w.+-]+;base64,", re.IGNORECASE)
_WHITESPACE = b" \t\r\n"
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"/": b"/", b"\\": b"\\", b'"': b'"'}


class BodyTooLarge(ValueError):
    """More than the body cap, or more JSON around the asset than a story needs."""


class StreamedAsset:
    """The decoded file, on disk; `invalid` when the text was not base64."""

    def __init__(self, limit: int) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()
        self.size = 0
        self.limit = limit
        self.invalid = False
        self.too_large = False
        self._pending = b""
        self._prefix_checked = False
        self._padded = False

    def feed(self, text: bytes) -> None:
        if self.invalid:
            return
        if not self._prefix_checked:
            text = self._strip_prefix(text)
            if text is None:
                return
        text = self._pending + text.translate(None, _WHITESPACE)
        usable = len(text) - len(text) % 4
        self._pending = text[usable:]
        if usable:
            self._decode(text[:usable])

    def _strip_prefix(self, text: bytes) -> bytes | None:
        """Wait for enough characters to tell a `data:…;base64,` prefix from the payload."""
        head = (self._pending + text).lstrip(_WHITESPACE)
        if head.lower().startswith(b"data:"[: len(head)]) and b"," not in head and len(head) < 256:
            self._pending = head
            return None
        self._pending, self._prefix_checked = b"", True
        return _DATA_URL.sub(b"", head, count=1)

    def _decode(self, text: bytes) -> None:
        if self._padded:  # padding only ends the text
            self.invalid = True
            return
        try:
            content = binascii.a2b_base64(text, strict_mode=True)  # validates in C, unlike b64decode's regex
        except (binascii.Error, ValueError):
            self.invalid = True
            return
        self._padded = text.endswith(b"=")
        self.size += len(content)
        if self.size > self.limit:
            self.too_large = True
        else:
            self.file.write(content)

    def finish(self) -> None:
        if not self._prefix_checked:
            self.feed(b"")
            if not self._prefix_checked:  # only a prefix, and not a valid one
                self.invalid = True
        if self._pending.translate(None, _WHITESPACE) or self.size == 0:
            self.invalid = True
        self.file.seek(0)

    def head(self, length: int) -> bytes:
        self.file.seek(0)
        data = self.file.read(length)
        self.file.seek(0)
        return data

    def close(self) -> None:
        self.file.close()


class _Scanner:
    """Splits a JSON body into the small rest and the streamed top-level `asset_base64` string."""

    def __init__(self, limit: int) -> None:
        self.rest = bytearray()
        self.limit = limit
        self.asset: StreamedAsset | None = None
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._string_at = 0
        self._last_key: bytes | None = None
        self._key_done = False
        self._awaiting_asset = False
        self._streaming = False
        self._escape = b""

    def feed(self, chunk: bytes) -> None:
        position = 0
        while position < len(chunk):
            if self._streaming:
                position = self._stream(chunk, position)
            else:
                self._scan(chunk[position : position + 1])
                position += 1
        if len(self.rest) > MAX_OTHER_BYTES:
            raise BodyTooLarge()

    def _scan(self, char: bytes) -> None:
        if self._in_string:
            self.rest += char
            if self._escaped:
                self._escaped = False
            elif char == b"\\":
                self._escaped = True
            elif char == b'"':
                self._in_string = False
                if self._depth == 1:
                    self._last_key, self._key_done = bytes(self.rest[self._string_at : -1]), True
            return
        if char in b" \t\r\n":
            self.rest += char
            return
        if self._awaiting_asset:
            self._awaiting_asset = False
            if char == b'"':
                self.asset = StreamedAsset(self.limit)
                self.rest += PLACEHOLDER.encode()
                self._streaming = True
                return
        if char == b":" and self._depth == 1 and self._key_done:
            self._awaiting_asset = self._last_key == b"asset_base64" and self.asset is None
        elif char == b'"':
            self._in_string, self._string_at = True, len(self.rest) + 1
        elif char in b"{[":
            self._depth += 1
        elif char in b"}]":
            self._depth -= 1
        self._key_done = False
        self.rest += char

    def _stream(self, chunk: bytes, position: int) -> int:
        assert self.asset is not None
        if self._escape:
            return self._finish_escape(chunk, position)
        # bytes.find is memchr: the 133 MB of a video go through at memory speed.
        ends = [i for i in (chunk.find(b'"', position), chunk.find(b"\\", position)) if i != -1]
        end = min(ends) if ends else len(chunk)
        self.asset.feed(chunk[position:end])
        if not ends:
            return end
        if chunk[end : end + 1] == b'"':
            self._streaming = False
            self.asset.finish()
        else:
            self._escape = b"\\"
        return end + 1

    def _finish_escape(self, chunk: bytes, position: int) -> int:
        """JSON escapes inside the base64 text: `\\n` line wraps, `\\/`, and the odd `\\u00XX`."""
        assert self.asset is not None
        self._escape += chunk[position : position + 1]
        if self._escape[1:2] == b"u" and len(self._escape) < 6:
            return position + 1
        code = self._escape[1:2]
        if code == b"u":
            try:
                value = chr(int(self._escape[2:6], 16)).encode("ascii")
            except (ValueError, UnicodeEncodeError):
                value = b"!"
        else:
            value = _ESCAPES.get(code, b"!")
        self.asset.feed(value)  # "!" is not base64: the text is refused as such
        self._escape = b""
        return position + 1

    def done(self) -> bytes:
        if self._streaming and self.asset is not None:
            self.asset.invalid = True  # the body ended inside the string: the JSON error says so
            self.asset.finish()
            self.rest += b'"'
        return bytes(self.rest)


def read_body(stream: IO[bytes], max_body: int, asset_limit: int) -> tuple[bytes, StreamedAsset | None]:
    """(the JSON with the asset replaced by PLACEHOLDER, the streamed asset or None)."""
    scanner = _Scanner(asset_limit)
    total = 0
    try:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > max_body:
                raise BodyTooLarge()
            scanner.feed(chunk)
    except BaseException:
        if scanner.asset is not None:
            scanner.asset.close()
        raise
    return scanner.done(), scanner.asset
