"""Poses from video (an estimator behind a small interface) or from pose files (JSON, CSV, TRC)."""
