"""Why a video or pose file cannot be used."""

from __future__ import annotations

from glutecoach.domain.errors import InvalidInput


class VideoError(InvalidInput):
    """Not a readable video (or pose file): the message names the file and what is wrong.
    Never worth retrying with the same file."""


class ModelError(InvalidInput):
    """A pose model file is missing or damaged. An InvalidInput so every interface shows its
    message as it shows a bad clip's (the analysis cannot run), but a 500: the fix is on the
    server (`make models`), not in what the user sent, and retrying will not help until then."""

    status_code = 500
