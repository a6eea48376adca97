"""The results database (SQLite or PostgreSQL through SQLAlchemy Core): its tables, and one transaction per stored result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError

from recqual.ingest import InputError

Json = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")  # None is SQL NULL, not JSON null
metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),  # null: the run was stopped (or is still going)
    Column("version", String(80), nullable=False),
    Column("workers", Integer),
    Column("scheduler", String(300)),  # "local processes" or the Dask scheduler's address
    Column("found", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("scored", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),
    # One row per file: re-scoring replaces the row, so a file is never counted twice.
    Column("source", Text, nullable=False, unique=True),
    Column("content_hash", String(64)),  # sha256 of the file's bytes
    Column("version", String(80), nullable=False),
    Column("context", String(64), nullable=False),  # digest of what else shaped the result: the earlier reviews, the manifest's date
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("scored_at", DateTime(timezone=True), nullable=False),
    Column("child", String(200)),
    Column("series", Text),
    Column("series_position", Integer),
    Column("previous_source", Text),
    Column("review_number", Integer),
    Column("review_date", Date),
    Column("review_month", String(7)),
    Column("next_review_date", Date),
    Column("child_first_name", String(100)),
    Column("iro", String(200)),
    Column("team", String(200)),
    Column("score", Integer),
    Column("grade", String(40)),
    Column("subscores", Json),
    Column("reasons", Json),
    Column("recommendations", Json),
    Column("issues", Json),
    Column("flags", Json),
    Column("n_recommendations", Integer),
    Column("n_flags", Integer),
    Column("n_repeated", Integer),
    Column("n_drift", Integer),
    Column("max_carried", Integer),  # the most reviews any one action has been carried across
    Column("n_unaddressed", Integer),
    Column("error", Text),  # why the file could not be scored (never its text)
    Column("text", Text),  # the record's text, only when the batch was asked to store it
    Index("ix_records_iro", "iro"),
    Index("ix_records_team", "team"),
    Index("ix_records_month", "review_month"),
    Index("ix_records_score", "score"),
)

# One row per flag, so that counts by kind, by IRO, team or month are plain GROUP BY queries.
record_flags = Table(
    "record_flags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False, index=True),
    Column("code", String(60), nullable=False, index=True),
    Column("severity", String(20)),
    Column("recommendation", String(20)),
    Column("domain", String(60)),  # for unaddressed_issue: the domain of the concern
)

DATA_COLUMNS = [c.name for c in records.columns if c.name not in ("id", "run_id", "source")]


def _url(database: str) -> str:
    """A SQLAlchemy URL for `database`: a URL as given (postgresql:// uses psycopg 3), or a file path for SQLite."""
    if "://" not in database:
        return f"sqlite:///{Path(database).expanduser().resolve()}"
    if database.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + database.split("://", 1)[1]
    return database


def describe(database: str) -> str:
    """The database for messages: the URL with any password hidden."""
    try:
        return make_url(_url(database)).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers (a report, a progress check) never block the writer; a killed writer leaves the last
    # committed transaction intact. FULL makes each commit durable before the next result is taken.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def connect(database: str, create: bool = False) -> Engine:
    """An engine on `database`; with `create`, a missing SQLite file and missing tables are created."""
    shown = describe(database)
    try:
        url = make_url(_url(database))
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            path = Path(url.database)
            if not path.parent.is_dir():
                raise InputError(shown, f"the folder {path.parent} does not exist")
            if not create and not path.exists():
                raise InputError(shown, "no such database (run `recqual batch` first)")
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError):
        raise InputError(database, "not a database URL or file path (e.g. results.db, sqlite:///results.db, postgresql://user@host/db)") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if create:
            metadata.create_all(engine)
        else:
            with engine.connect() as conn:
                conn.execute(select(func.count()).select_from(records))
    except OperationalError as err:
        engine.dispose()
        raise InputError(shown, f"cannot use the database ({_reason(err)})") from None
    return engine


def _reason(err: OperationalError) -> str:
    first = str(err.orig).strip().splitlines()[0] if err.orig is not None else err.__class__.__name__
    return first[:200]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_run(engine: Engine, version: str, workers: int, scheduler: str, found: int, skipped: int) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            insert(runs).values(started_at=now(), version=version, workers=workers, scheduler=scheduler, found=found, skipped=skipped, scored=0, failed=0)
        )
        return int(result.inserted_primary_key[0])


def finish_run(engine: Engine, run_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(runs).where(runs.c.id == run_id).values(finished_at=now()))


def stored_keys(engine: Engine, sources: list[str]) -> dict[str, tuple[str | None, str, str, bool]]:
    """For each stored source among `sources`: (content hash, version, context, scored without error)."""
    out: dict[str, tuple[str | None, str, str, bool]] = {}
    cols = (records.c.source, records.c.content_hash, records.c.version, records.c.context, records.c.error)
    with engine.connect() as conn:
        for start in range(0, len(sources), 500):
            chunk = sources[start : start + 500]
            for source, content_hash, version, context, error in conn.execute(select(*cols).where(records.c.source.in_(chunk))):
                out[source] = (content_hash, version, context, error is None)
    return out


def save(engine: Engine, run_id: int, source: str, values: dict[str, Any], flags: list[dict[str, Any]]) -> int:
    """Store one file's result in its own transaction, replacing any earlier result for the file; count it in the run."""
    row = {name: values.get(name) for name in DATA_COLUMNS}
    row["scored_at"] = now()
    try:
        return _replace(engine, run_id, source, row, flags)
    except IntegrityError:
        # Another batch stored the same file between our look and our insert: look again and replace its row.
        return _replace(engine, run_id, source, row, flags)


def _replace(engine: Engine, run_id: int, source: str, row: dict[str, Any], flags: list[dict[str, Any]]) -> int:
    counter = "failed" if row["error"] is not None else "scored"
    with engine.begin() as conn:
        existing = conn.execute(select(records.c.id).where(records.c.source == source)).scalar()
        if existing is None:
            record_id = conn.execute(insert(records).values(source=source, run_id=run_id, **row)).inserted_primary_key[0]
        else:
            record_id = existing
            conn.execute(delete(record_flags).where(record_flags.c.record_id == existing))
            conn.execute(update(records).where(records.c.id == existing).values(run_id=run_id, **row))
        if flags:
            conn.execute(insert(record_flags), [{**f, "record_id": record_id} for f in flags])
        conn.execute(update(runs).where(runs.c.id == run_id).values({counter: runs.c[counter] + 1}))
    return int(record_id)


def check_integrity(engine: Engine) -> list[str]:
    """Problems in the stored results (an empty list when sound): the engine's own check, duplicates and orphaned flags."""
    problems: list[str] = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            problems += [row[0] for row in conn.execute(text("PRAGMA integrity_check")) if row[0] != "ok"]
            problems += [f"foreign key: {tuple(row)}" for row in conn.execute(text("PRAGMA foreign_key_check"))]
        dupes = conn.execute(select(records.c.source).group_by(records.c.source).having(func.count() > 1)).scalars().all()
        problems += [f"stored twice: {s}" for s in dupes]
        orphans = conn.execute(select(func.count()).select_from(record_flags).where(~record_flags.c.record_id.in_(select(records.c.id)))).scalar_one()
        if orphans:
            problems.append(f"{orphans} flags belong to no record")
    return problems
