"""glutecoach: screen a runner for gluteal under-use, plan around their running, track it."""

__version__ = "0.1.0"
