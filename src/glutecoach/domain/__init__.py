"""Pure domain: plain functions over plain data. No database, HTTP, terminal or user files here
(the library's own YAML ships inside the package and is read through importlib.resources)."""
