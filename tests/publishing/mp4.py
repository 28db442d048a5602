"""The smallest MP4 files whose boxes describe a story video: ftyp, moov (mvhd, one video trak), mdat."""

from __future__ import annotations

import struct

FTYP = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"  # the contract's "AAAAIGZ0eXBpc29t"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full_box(kind: bytes, payload: bytes) -> bytes:
    return box(kind, b"\x00\x00\x00\x00" + payload)  # version 0, no flags


def video_track(width: int, height: int, codec: bytes, duration: int) -> bytes:
    tkhd = full_box(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, 1, 0, duration) + b"\x00" * 52 + struct.pack(">II", width << 16, height << 16),
    )
    hdlr = full_box(b"hdlr", b"\x00" * 4 + b"vide" + b"\x00" * 12 + b"VideoHandler\x00")
    stsd = full_box(b"stsd", struct.pack(">I", 1) + box(codec, b"\x00" * 78))
    stbl = box(b"stbl", stsd)
    return box(b"trak", tkhd + box(b"mdia", hdlr + box(b"minf", stbl)))


def mp4(seconds: float = 10, width: int = 1080, height: int = 1920, codec: bytes = b"avc1", media: int = 256) -> bytes:
    timescale = 1000
    duration = int(seconds * timescale)
    mvhd = full_box(b"mvhd", struct.pack(">IIII", 0, 0, timescale, duration) + b"\x00" * 80)
    moov = box(b"moov", mvhd + video_track(width, height, codec, duration))
    return FTYP + moov + box(b"mdat", b"\x00" * media)
