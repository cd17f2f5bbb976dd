"""Why a run file was refused."""

from __future__ import annotations


class RunFileError(Exception):
    """A file that cannot be imported; the message says why, in words a runner can act on.
    Never worth retrying: the same bytes give the same answer."""

    permanent = True
