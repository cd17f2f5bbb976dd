"""Why a video or pose file cannot be used."""

from __future__ import annotations

from glutecoach.domain.errors import InvalidInput


class VideoError(InvalidInput):
    """Not a readable video (or pose file): the message names the file and what is wrong.
    Never worth retrying with the same file."""
