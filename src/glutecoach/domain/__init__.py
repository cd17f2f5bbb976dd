"""Pure domain: plain functions over plain data. No database, HTTP, terminal or files here
(the library's packaged YAML is read through importlib.resources by the loader, which is data, not I/O
the caller controls)."""
