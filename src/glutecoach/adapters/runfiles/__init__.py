"""Run files (FIT, GPX, TCX, gzip-compressed or in zip archives) read into domain `Run`s."""
