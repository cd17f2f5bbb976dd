"""Storage: tables, repositories, Alembic migrations; SQLite by default, PostgreSQL by URL.

Import from the modules (`engine.open_database`, `repositories.Repository`, …): this package imports
nothing itself, so reading settings does not pay for SQLAlchemy.
"""
