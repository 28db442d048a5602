"""Story assets: checked by their bytes rather than by their claim, without loading them whole.

Size limits follow Meta's story rules (reference §11.1, §11.2): Page photo stories up to
10 MB (JPEG or PNG), Instagram story images JPEG only up to 8 MB, story videos MP4 up to 100 MB.
A video's container is read box by box (ftyp, moov/mvhd, trak/tkhd, mdia/hdlr, stsd) for its
duration, frame size and codec: Page stories want 9:16, at least 540x960, 3-90 s; Instagram
story videos 3-60 s.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from publishing.models import AssetType, Channel

MB = 1024 * 1024
IMAGE_LIMIT = {Channel.FACEBOOK: 10 * MB, Channel.INSTAGRAM: 8 * MB}
VIDEO_LIMIT = 100 * MB
# Refuse absurd payloads before decoding them: 4 base64 characters carry 3 bytes.
MAX_BASE64_LENGTH = VIDEO_LIMIT * 4 // 3 + 1024
DURATION = {Channel.FACEBOOK: (3, 90), Channel.INSTAGRAM: (3, 60)}
MIN_WIDTH, MIN_HEIGHT = 540, 960
VIDEO_CODECS = {b"avc1": "H.264", b"avc3": "H.264", b"hvc1": "H.265", b"hev1": "H.265"}
ASPECT_TOLERANCE = 0.02


class AssetRejected(ValueError):
    """Decoded fine, but not a file Meta takes as this story's asset."""


@dataclass(frozen=True)
class VideoInfo:
    duration: float
    width: int
    height: int
    codec: str


def sniff(head: bytes) -> str | None:
    """The file's real format from its signature: "jpg", "png", "mp4" or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    return None


def check(head: bytes, size: int, asset_type: int, channel: str) -> str:
    """The extension to store the file under, or AssetRejected (a 400 on the field)."""
    kind = sniff(head)
    if asset_type == AssetType.IMAGE:
        allowed = ("jpg",) if channel == Channel.INSTAGRAM else ("jpg", "png")
        if kind not in allowed:
            raise AssetRejected(
                _("The file is not a JPEG image.")
                if channel == Channel.INSTAGRAM
                else _("The file is not a JPEG or PNG image.")
            )
        limit = IMAGE_LIMIT[Channel(channel)]
    else:
        if kind != "mp4":
            raise AssetRejected(_("The file is not an MP4 video."))
        limit = VIDEO_LIMIT
    if size > limit:
        raise AssetRejected(_("The file is larger than %(size)d MB.") % {"size": limit // MB})
    return kind or "bin"


def _boxes(handle: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box between two offsets."""
    position = start
    while position + 8 <= end:
        handle.seek(position)
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", handle.read(8))[0], 16
        elif size == 0:  # to the end of the file
            size = end - position
        if size < header or position + size > end:
            raise AssetRejected(_("The MP4 file is incomplete (a box is cut short)."))
        yield kind, position + header, position + size
        position += size


def _child(handle: IO[bytes], start: int, end: int, *path: bytes) -> tuple[int, int] | None:
    for kind, payload, stop in _boxes(handle, start, end):
        if kind == path[0]:
            return (payload, stop) if len(path) == 1 else _child(handle, payload, stop, *path[1:])
    return None


def _read(handle: IO[bytes], offset: int, fmt: str) -> tuple[int, ...]:
    handle.seek(offset)
    return struct.unpack(fmt, handle.read(struct.calcsize(fmt)))


def _duration(handle: IO[bytes], mvhd: tuple[int, int]) -> float:
    (version,) = _read(handle, mvhd[0], ">B")
    timescale, duration = _read(handle, mvhd[0] + (20 if version == 1 else 12), ">IQ" if version == 1 else ">II")
    if not timescale:
        raise AssetRejected(_("The MP4 file has no valid duration."))
    return duration / timescale


def _video_track(handle: IO[bytes], moov: tuple[int, int]) -> tuple[int, int, bytes] | None:
    """(width, height, codec four-cc) of the first video track."""
    for kind, start, end in _boxes(handle, *moov):
        hdlr = _child(handle, start, end, b"mdia", b"hdlr") if kind == b"trak" else None
        if hdlr is None or _read(handle, hdlr[0] + 8, ">4s")[0] != b"vide":
            continue
        tkhd = _child(handle, start, end, b"tkhd")
        stsd = _child(handle, start, end, b"mdia", b"minf", b"stbl", b"stsd")
        if tkhd is None or stsd is None or stsd[1] - stsd[0] < 16:
            raise AssetRejected(_("The MP4 file's video track is incomplete."))
        (version,) = _read(handle, tkhd[0], ">B")
        width, height = _read(handle, tkhd[0] + (88 if version == 1 else 76), ">II")
        return width >> 16, height >> 16, _read(handle, stsd[0] + 12, ">4s")[0]
    return None


def inspect_mp4(handle: IO[bytes], size: int) -> VideoInfo:
    try:
        moov = _child(handle, 0, size, b"moov")
        mvhd = _child(handle, *moov, b"mvhd") if moov else None
        if moov is None or mvhd is None:
            raise AssetRejected(_("The MP4 file is incomplete: it has no moov box with the video's description."))
        duration = _duration(handle, mvhd)
        track = _video_track(handle, moov)
    except struct.error as exc:
        raise AssetRejected(_("The MP4 file is incomplete (a box is cut short).")) from exc
    if track is None:
        raise AssetRejected(_("The MP4 file has no video track."))
    width, height, fourcc = track
    codec = VIDEO_CODECS.get(fourcc)
    if codec is None:
        raise AssetRejected(
            _("The video codec %(codec)s is not accepted: use H.264 or H.265.")
            % {"codec": fourcc.decode("latin-1").strip() or "?"}
        )
    return VideoInfo(duration, width, height, codec)


def check_story_video(handle: IO[bytes], size: int, channel: str) -> VideoInfo:
    """Meta's rules for a story video, each broken one named in the error (shown in `error`)."""
    info = inspect_mp4(handle, size)
    shortest, longest = DURATION[Channel(channel)]
    if not shortest <= info.duration <= longest:
        raise AssetRejected(
            _("The video lasts %(duration).1f s; a story video must last from %(min)d to %(max)d s.")
            % {"duration": info.duration, "min": shortest, "max": longest}
        )
    if not info.height or abs(info.width / info.height - 9 / 16) > ASPECT_TOLERANCE:
        raise AssetRejected(
            _("The video is %(width)dx%(height)d; a story video must be vertical, in 9:16 proportion.")
            % {"width": info.width, "height": info.height}
        )
    if channel == Channel.FACEBOOK and (info.width < MIN_WIDTH or info.height < MIN_HEIGHT):
        raise AssetRejected(
            _("The video is %(width)dx%(height)d; a Page story video must be at least 540x960.")
            % {"width": info.width, "height": info.height}
        )
    return info
