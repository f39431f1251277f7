"""The response store: every submission of every questionnaire, in one SQLite file.

Why SQLite (standard library) rather than a folder of JSON/CSV files or a server database: a class submits
at once from many kernels (Voila starts one process per browser tab), and SQLite gives atomic, isolated
transactions across processes with nothing to install or run. The file lives in WAL mode so readers (the
teacher's notebook) never block writers; each submission is one ``BEGIN IMMEDIATE`` transaction, which takes
the write lock before reading the respondent's last version number, so two tabs submitting the same code at
the same moment get versions n+1 and n+2, never two n+1. ``busy_timeout`` makes a writer wait its turn, and a
writer that still finds the file locked retries after a short random pause until its deadline (SQLite's busy
handler is not fair: under a burst of writers one of them could otherwise lose every round).

A store remembers every rubric it was used with *by content* (id, version, SHA-256 and a copy of the YAML,
:meth:`ResponseStore.record_rubric`), and :meth:`ResponseStore.rubric` rebuilds a rubric from that copy or
from dxlab's shipped rubrics: a string read from the file is never turned into a path, so a crafted store
holding a rubric id such as ``../../etc/passwd`` makes dxlab open nothing. ``readonly=True`` opens the file
with SQLite's ``mode=ro`` URI (``immutable=1`` on a medium where not even the WAL index can be created), so a
store on a read-only medium can still be summarised and exported.

Answers are kept long (one row per submission and criterion), so any rubric fits the same schema and no
criterion id — let alone anything a respondent typed — ever becomes a column name or SQL text: every value
is a bound parameter. Every version of every submission is kept; :meth:`ResponseStore.to_frame` returns
the latest per respondent by default.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._validate import Answer, Submission, check_submission

if TYPE_CHECKING:  # pandas and the rubric model load lazily: worker processes only write
    import pandas as pd

    from ..rubric import Rubric

__all__ = [
    "CLASS_STORE_ENV",
    "META_COLUMNS",
    "Receipt",
    "RecordedRubric",
    "ResponseStore",
    "StoredSubmission",
    "default_store_path",
    "find_class_store",
]

CLASS_STORE_ENV = "DXLAB_CLASS_STORE"

SCHEMA_VERSION = 2
META_COLUMNS = [
    "response_id",
    "enterprise_id",
    "submitted_at",
    "wave",
    "sector",
    "size",
    "province",
    "respondent_role",
    "enterprise_name",
    "version",
    "rubric_id",
    "rubric_version",
    "lang",
]
# Unambiguous characters for generated respondent codes (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 6

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dxlab_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id     TEXT NOT NULL UNIQUE,
    rubric_id       TEXT NOT NULL,
    rubric_version  TEXT NOT NULL,
    enterprise_id   TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    submitted_at    TEXT NOT NULL,
    wave            TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    sector          TEXT NOT NULL,
    size            TEXT NOT NULL,
    province        TEXT NOT NULL,
    respondent_role TEXT NOT NULL,
    lang            TEXT NOT NULL,
    UNIQUE (rubric_id, enterprise_id, version)
);
CREATE TABLE IF NOT EXISTS answers (
    seq          INTEGER NOT NULL REFERENCES submissions (seq),
    position     INTEGER NOT NULL,
    criterion_id TEXT NOT NULL,
    level        INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 9),
    percent      REAL CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
    comment      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (seq, criterion_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS submissions_by_code ON submissions (rubric_id, enterprise_id, version);
CREATE TABLE IF NOT EXISTS rubrics (
    sha256      TEXT PRIMARY KEY,
    rubric_id   TEXT NOT NULL,
    version     TEXT NOT NULL,
    yaml        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""
# The most a recorded rubric copy may weigh: the shipped ones are under 100 kB.
_RUBRIC_LIMIT = 2_000_000


def default_store_path(start: str | Path | None = None) -> Path:
    """``data/raw/responses.sqlite`` under the project root (the folder holding ``pyproject.toml``) found by
    walking up from ``start`` (default: the working directory); under ``start`` itself when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "data").is_dir():
            return folder / "data" / "raw" / "responses.sqlite"
    return here / "data" / "raw" / "responses.sqlite"


def find_class_store(start: str | Path | None = None) -> Path | None:
    """The class store to read: ``$DXLAB_CLASS_STORE`` if set, else the newest ``data/raw/classes/*.sqlite``.

    ``dxlab class serve`` keeps each class in ``data/raw/classes/class-<CODE>.sqlite`` under the project
    (see :func:`default_store_path` for how the project is found); "newest" is by last change, the store's
    write-ahead log included, so the class being taught right now wins. Returns ``None`` when there is no
    class store, or when ``$DXLAB_CLASS_STORE`` is ``demo`` (a notebook then shows a synthetic class).

    Raises
    ------
    FileNotFoundError
        ``$DXLAB_CLASS_STORE`` names a file that does not exist.
    """
    chosen = os.environ.get(CLASS_STORE_ENV, "").strip()
    if chosen.lower() == "demo":
        return None
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{CLASS_STORE_ENV}={chosen}: no such store")
        return path
    folder = default_store_path(start).parent / "classes"
    stores = [p for p in folder.glob("*.sqlite") if p.is_file()] if folder.is_dir() else []

    def changed(path: Path) -> float:
        wal = path.with_name(path.name + "-wal")
        return max(path.stat().st_mtime, wal.stat().st_mtime if wal.exists() else 0.0)

    return max(stores, key=lambda p: (changed(p), p.name)) if stores else None


@dataclass(frozen=True)
class Receipt:
    """What the store gives back for a saved submission."""

    response_id: str
    enterprise_id: str
    version: int
    submitted_at: datetime


@dataclass(frozen=True)
class StoredSubmission:
    receipt: Receipt
    submission: Submission


@dataclass(frozen=True)
class RecordedRubric:
    """A rubric as a store recorded it: id, version, the SHA-256 of its YAML text, and when."""

    rubric_id: str
    version: str
    sha256: str
    recorded_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class ResponseStore:
    """Every questionnaire submission, every version, in one SQLite file.

    Parameters
    ----------
    path : str or Path, optional
        The SQLite file (created with its folder if missing). Default: ``data/raw/responses.sqlite`` under
        the project root — see :func:`default_store_path`.
    timeout : float
        Seconds a writer waits for another writer's transaction before giving up (``busy_timeout``).

    Examples
    --------
    >>> import dxlab, tempfile, pathlib
    >>> from dxlab.questionnaire import Submission, Answer
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> store = dxlab.ResponseStore(pathlib.Path(tempfile.mkdtemp()) / "class.sqlite")
    >>> receipt = store.submit(Submission(r.id, enterprise_id="NHOM1", sector="J", size="small",
    ...                                   answers={c: Answer(level=3) for c in r.criterion_ids}))
    >>> receipt.version, len(store)
    (1, 1)
    >>> row = store.to_frame(r).iloc[0]
    >>> row["enterprise_id"], int(row["version"]), int(row["CUS.ENG.1"])
    ('NHOM1', 1, 3)
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0, readonly: bool = False):
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        self.timeout = float(timeout)
        self.readonly = bool(readonly)
        self._uri_flags = "mode=ro"
        if self.path.exists() and self.path.is_dir():
            raise ValueError(f"{self.path} is a folder; give the path of a .sqlite file")
        if self.readonly:
            self._open_readonly()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._initialise()

    def __repr__(self) -> str:
        return f"ResponseStore({str(self.path)!r}{', readonly=True' if self.readonly else ''})"

    # -- connections -----------------------------------------------------------------------------------
    def _connect(self, *, any_thread: bool = False) -> sqlite3.Connection:
        try:
            if self.readonly:
                uri = f"{self.path.resolve().as_uri()}?{self._uri_flags}"
                con = sqlite3.connect(uri, timeout=self.timeout, isolation_level=None, uri=True)
            else:
                con = sqlite3.connect(
                    self.path, timeout=self.timeout, isolation_level=None, check_same_thread=not any_thread
                )
            con.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if not self.readonly:
                con.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise ValueError(f"{self.path}: cannot open the response store: {exc}") from None
        return con

    def _open_readonly(self) -> None:
        """Check a store opened with ``readonly=True``; fall back to ``immutable=1`` where SQLite cannot even
        create the WAL index beside the file (a read-only medium: then nobody can be writing to it)."""
        if not self.path.is_file():
            raise FileNotFoundError(f"no response store at {self.path}")
        for flags in ("mode=ro", "immutable=1"):
            self._uri_flags = flags
            try:
                con = self._connect()
                try:
                    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                    found = (
                        con.execute("SELECT value FROM dxlab_meta WHERE key = 'schema_version'").fetchone()
                        if "dxlab_meta" in tables
                        else None
                    )
                finally:
                    con.close()
            except (sqlite3.OperationalError, ValueError):
                continue
            except sqlite3.DatabaseError as exc:
                raise ValueError(f"{self.path}: not a dxlab response store ({exc})") from None
            if found is None or "submissions" not in tables:
                raise ValueError(f"{self.path}: not a dxlab response store (no submissions table)")
            if int(found[0]) > SCHEMA_VERSION:
                raise ValueError(f"{self.path}: written by a newer dxlab (store schema {found[0]}); upgrade dxlab")
            return
        raise ValueError(f"{self.path}: cannot open the response store read-only")

    def _writable(self) -> None:
        if self.readonly:
            raise ValueError(f"{self.path}: the store was opened read-only; open it with readonly=False to write")

    def _transaction(self, con: sqlite3.Connection, mode: str = "IMMEDIATE") -> _Transaction:
        return _Transaction(con, mode)

    def _initialise(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            con = self._connect()
            try:
                # Switching to WAL needs a moment alone with the file; when a whole class opens a fresh
                # store at once, the losers may see SQLITE_BUSY here without the busy handler, so retry.
                mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                with self._transaction(con):
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            con.execute(statement)
                    con.execute(
                        "INSERT OR IGNORE INTO dxlab_meta (key, value) VALUES ('schema_version', ?)",
                        (str(SCHEMA_VERSION),),
                    )
                    found = int(con.execute("SELECT value FROM dxlab_meta WHERE key = 'schema_version'").fetchone()[0])
                    if found < SCHEMA_VERSION:  # version 1 only lacked the rubrics table, created above
                        con.execute(
                            "UPDATE dxlab_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
                        )
            except sqlite3.OperationalError as exc:
                if ("locked" in str(exc) or "busy" in str(exc)) and time.monotonic() < deadline:
                    time.sleep(0.02 + secrets.randbelow(50) / 1000)
                    continue
                raise ValueError(f"{self.path}: cannot open the response store: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise ValueError(f"{self.path}: not a dxlab response store ({exc})") from None
            finally:
                con.close()
            break
        if mode.lower() != "wal":
            raise ValueError(
                f"{self.path}: could not switch the store to WAL mode (journal mode is {mode!r}); "
                f"is it on a network drive? Put it on a local disk"
            )
        if found > SCHEMA_VERSION:
            raise ValueError(
                f"{self.path}: written by a newer dxlab (store schema {found}, this dxlab reads "
                f"up to {SCHEMA_VERSION}); upgrade dxlab"
            )

    # -- writing ---------------------------------------------------------------------------------------
    def submit(self, submission: Submission) -> Receipt:
        """Save one submission as one transaction and return its :class:`Receipt`.

        The submission passes :func:`~dxlab.questionnaire.check_submission` first (lengths, control
        characters, code and id shapes, number ranges); check it against the rubric with
        :func:`~dxlab.questionnaire.validate_submission` before, as :class:`~dxlab.Questionnaire` does.
        An empty ``enterprise_id`` gets a new six-character code. The version is one more than the
        respondent's last for the same rubric; earlier versions are kept.
        """
        return self.submit_many([submission])[0]

    def submit_many(self, submissions: Iterable[Submission]) -> list[Receipt]:
        """Save several submissions in one transaction (all or none); returns their receipts in order."""
        self._writable()
        checked = [check_submission(s) for s in submissions]
        return self.write(lambda con: [self._insert(con, sub) for sub in checked])

    def write(
        self,
        work: Callable[[sqlite3.Connection], Any],
        *,
        durable: bool = True,
        connection: sqlite3.Connection | None = None,
    ) -> Any:
        """Run ``work(con)`` in one ``BEGIN IMMEDIATE`` transaction and return what it returns.

        ``durable=False`` commits without waiting for the disk (``synchronous = NORMAL``): the change
        survives the program crashing but not the machine losing power before the next durable commit —
        fit for drafts that are saved again every few seconds, not for submissions.

        A file locked by another writer is retried after a short random pause until ``timeout``:
        ``busy_timeout`` already waits inside SQLite, and the retry covers the writers its unfair busy handler
        leaves locked out when many processes write at the same moment. ``work`` may therefore run more
        than once and must only touch the database. Raises ``ValueError`` when the file stays locked.

        ``connection`` (from :meth:`connect`) is used and kept open instead of a new one, for a long-lived
        writer that commits many small transactions.
        """
        self._writable()
        deadline = time.monotonic() + self.timeout
        while True:
            con = connection or self._connect()
            try:
                con.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                with self._transaction(con):
                    return work(con)
            except sqlite3.OperationalError as exc:
                if not ("locked" in str(exc) or "busy" in str(exc)):
                    raise
                if time.monotonic() >= deadline:
                    raise ValueError(
                        f"{self.path}: the response store stayed locked for {self.timeout:g} s: {exc}"
                    ) from None
            finally:
                if connection is None:
                    con.close()
            time.sleep(0.005 + secrets.randbelow(45) / 1000)

    def connect(self) -> sqlite3.Connection:
        """A connection to the store with dxlab's settings, for :meth:`write` (close it when done).

        It may be closed from another thread than the one using it; use it from one thread at a time.
        """
        return self._connect(any_thread=True)

    def insert(self, con: sqlite3.Connection, submission: Submission) -> Receipt:
        """Save ``submission`` inside a transaction of :meth:`write` (checked first, as by :meth:`submit`)."""
        return self._insert(con, check_submission(submission))

    def _insert(self, con: sqlite3.Connection, sub: Submission) -> Receipt:
        code = sub.enterprise_id or self._new_code(con)
        version = con.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE rubric_id = ? AND enterprise_id = ?",
            (sub.rubric_id, code),
        ).fetchone()[0]
        response_id = uuid.uuid4().hex
        submitted_at = _now()
        cursor = con.execute(
            "INSERT INTO submissions (response_id, rubric_id, rubric_version, enterprise_id, version, "
            "submitted_at, wave, enterprise_name, sector, size, province, respondent_role, lang) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                response_id,
                sub.rubric_id,
                sub.rubric_version,
                code,
                version,
                submitted_at.isoformat(),
                sub.wave,
                sub.enterprise_name,
                sub.sector,
                sub.size,
                sub.province,
                sub.respondent_role,
                sub.lang,
            ),
        )
        seq = cursor.lastrowid
        con.executemany(
            "INSERT INTO answers (seq, position, criterion_id, level, percent, comment) VALUES (?, ?, ?, ?, ?, ?)",
            [(seq, i, crit_id, a.level, a.percent, a.comment) for i, (crit_id, a) in enumerate(sub.answers.items())],
        )
        return Receipt(response_id, code, int(version), submitted_at)

    @staticmethod
    def _new_code(con: sqlite3.Connection) -> str:
        while True:
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
            if con.execute("SELECT 1 FROM submissions WHERE enterprise_id = ? LIMIT 1", (code,)).fetchone() is None:
                return code

    def import_frame(
        self, responses: pd.DataFrame, rubric: Rubric | str, *, wave: str | None = None, source: str = "responses"
    ) -> list[Receipt]:
        """Store a wide frame of levels (e.g. :func:`dxlab.sample.synthetic_responses`) in one transaction.

        Each row becomes a submission: ``enterprise_id`` (or a new code), the metadata columns present, and
        one level per criterion column. Rows are checked against the rubric first; the first bad row raises
        ``ValueError`` naming its position and the problems, and nothing is stored.
        """
        import pandas as pd

        from ..rubric import load_rubric
        from ._validate import SubmissionError, validate_submission

        rubric = load_rubric(rubric)  # type: ignore[arg-type]  # a Rubric passes through
        submissions = []
        criteria = [c for c in rubric.criterion_ids if c in responses.columns]

        def text(value: Any) -> str:
            return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)

        for position, (_, row) in enumerate(responses.iterrows()):
            answers = {c: Answer(level=None if pd.isna(row[c]) else int(row[c])) for c in criteria}
            sub = Submission(
                rubric.id,
                str(rubric.version),
                enterprise_id=text(row.get("enterprise_id")),
                enterprise_name=text(row.get("enterprise_name")),
                sector=text(row.get("sector")),
                size=text(row.get("size")),
                province=text(row.get("province")),
                respondent_role=text(row.get("respondent_role")),
                wave=wave if wave is not None else text(row.get("wave")),
                answers=answers,
            )
            try:
                submissions.append(validate_submission(sub, rubric, required=(), required_fields=()))
            except SubmissionError as exc:
                raise ValueError(f"{source}: row {position}: " + "; ".join(exc.messages("en"))) from None
        return self.submit_many(submissions)

    def record_rubric(self, rubric: Rubric | str) -> RecordedRubric:
        """Keep a copy of ``rubric``'s YAML in the store (once per content) and return what was recorded.

        The copy is what :meth:`rubric` reads back later, so a class's results stay readable with the exact
        rubric it answered, even where that YAML file is gone or has since been edited.
        """
        from ..rubric import load_rubric

        self._writable()
        rubric = load_rubric(rubric)  # type: ignore[arg-type]  # a Rubric passes through
        if not rubric.path:
            raise ValueError(f"rubric {rubric.id!r} was not loaded from a file; record it from its YAML file")
        text = Path(rubric.path).read_text(encoding="utf-8-sig")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        now = _now().isoformat()
        self.write(
            lambda con: con.execute(
                "INSERT OR IGNORE INTO rubrics (sha256, rubric_id, version, yaml, recorded_at) VALUES (?, ?, ?, ?, ?)",
                (digest, rubric.id, str(rubric.version), text, now),
            )
        )
        return next(r for r in self.recorded_rubrics() if r.sha256 == digest)

    def recorded_rubrics(self) -> list[RecordedRubric]:
        """Every rubric recorded with :meth:`record_rubric`, oldest first (none in a version-1 store)."""
        con = self._connect()
        try:
            if not _has_table(con, "rubrics"):
                return []
            rows = con.execute(
                "SELECT rubric_id, version, sha256, recorded_at FROM rubrics ORDER BY recorded_at, rowid"
            ).fetchall()
        finally:
            con.close()
        return [RecordedRubric(rid, version, digest, datetime.fromisoformat(at)) for rid, version, digest, at in rows]

    def rubric(self, rubric_id: str | None = None, version: str | None = None) -> Rubric:
        """The rubric the store's submissions were answered with, never read from a path the store names.

        Looks first for a recorded copy (:meth:`record_rubric`) of ``rubric_id`` (default: the store's one
        rubric), the newest one of ``version`` if given, whose SHA-256 still matches; then for a rubric
        shipped with dxlab of exactly that id. A stored id is only ever compared with these, so an id like
        ``../../etc/passwd`` opens no file.

        Raises
        ------
        ValueError
            The store names several rubrics and none was chosen, or the rubric is neither recorded nor shipped.
        """
        from ..rubric import list_rubrics, load_rubric

        if rubric_id is None:
            ids = self.rubric_ids() or list(dict.fromkeys(r.rubric_id for r in self.recorded_rubrics()))
            if len(ids) != 1:
                raise ValueError(
                    f"{self.path} holds {'no' if not ids else 'several'} rubrics "
                    f"({', '.join(ids) or 'none'}); pass rubric_id="
                )
            rubric_id = ids[0]
        text = self._recorded_yaml(rubric_id, version)
        if text is not None:
            return _rubric_from_text(text, rubric_id, self.path)
        if rubric_id in set(list_rubrics()["id"]):
            return load_rubric(rubric_id)
        raise ValueError(
            f"{self.path}: rubric {rubric_id[:100]!r} is neither recorded in the store nor shipped "
            f"with dxlab; pass the rubric (its YAML file) explicitly"
        )

    def _recorded_yaml(self, rubric_id: str, version: str | None) -> str | None:
        con = self._connect()
        try:
            if not _has_table(con, "rubrics"):
                return None
            query, params = "SELECT sha256, yaml FROM rubrics WHERE rubric_id = ?", [rubric_id]
            if version is not None:
                query, params = query + " AND version = ?", [rubric_id, str(version)]
            rows = con.execute(query + " ORDER BY recorded_at DESC, rowid DESC", params).fetchall()
        finally:
            con.close()
        for digest, text in rows:
            if len(text) <= _RUBRIC_LIMIT and hashlib.sha256(text.encode("utf-8")).hexdigest() == digest:
                return text
        return None

    # -- reading ---------------------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of submissions stored, every version counted."""
        con = self._connect()
        try:
            return int(con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
        finally:
            con.close()

    def rubric_ids(self) -> list[str]:
        """The rubric ids with at least one submission, in order of first submission."""
        con = self._connect()
        try:
            rows = con.execute("SELECT rubric_id FROM submissions GROUP BY rubric_id ORDER BY MIN(seq)").fetchall()
        finally:
            con.close()
        return [r[0] for r in rows]

    def latest(self, enterprise_id: str, rubric: Rubric | str | None = None) -> StoredSubmission | None:
        """The last saved submission for a respondent code (any case), or ``None`` if there is none."""
        from ._validate import clean_code

        code, problems = clean_code(enterprise_id)
        if problems or not code:
            return None
        rubric_id = _rubric_id(rubric)
        con = self._connect()
        try:
            with self._transaction(con, "DEFERRED"):
                query = (
                    "SELECT seq, response_id, rubric_id, rubric_version, enterprise_id, version, submitted_at, "
                    "wave, enterprise_name, sector, size, province, respondent_role, lang FROM submissions "
                    "WHERE enterprise_id = ?"
                )
                params: tuple = (code,)
                if rubric_id is not None:
                    query += " AND rubric_id = ?"
                    params += (rubric_id,)
                row = con.execute(query + " ORDER BY seq DESC LIMIT 1", params).fetchone()
                if row is None:
                    return None
                answers = con.execute(
                    "SELECT criterion_id, level, percent, comment FROM answers WHERE seq = ? ORDER BY position",
                    (row[0],),
                ).fetchall()
        finally:
            con.close()
        (_, response_id, rid, rversion, code, version, submitted_at, wave, name, sector, size, province, role, lang) = (
            row
        )
        submission = Submission(
            rid,
            rversion,
            code,
            name,
            sector,
            size,
            province,
            role,
            wave,
            lang,
            {c: Answer(level, percent, comment) for c, level, percent, comment in answers},
        )
        return StoredSubmission(
            Receipt(response_id, code, int(version), datetime.fromisoformat(submitted_at)), submission
        )

    def history(self, enterprise_id: str | None = None) -> pd.DataFrame:
        """One row per stored submission (every version): ids, version, time, rubric, answered count."""
        import pandas as pd

        from ._validate import clean_code

        query = (
            "SELECT s.response_id, s.enterprise_id, s.version, s.submitted_at, s.rubric_id, s.wave, "
            "COUNT(a.level) AS answered FROM submissions s LEFT JOIN answers a ON a.seq = s.seq "
        )
        params: tuple = ()
        if enterprise_id is not None:
            code, _ = clean_code(enterprise_id)
            query += "WHERE s.enterprise_id = ? "
            params = (code,)
        query += "GROUP BY s.seq ORDER BY s.seq"
        con = self._connect()
        try:
            rows = con.execute(query, params).fetchall()
        finally:
            con.close()
        frame = pd.DataFrame(
            rows, columns=["response_id", "enterprise_id", "version", "submitted_at", "rubric_id", "wave", "answered"]
        )
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="ISO8601")
        return frame.astype({"version": "int64", "answered": "int64"})

    def to_frame(
        self, rubric: Rubric | str | None = None, *, latest_only: bool = True, wave: str | None = None
    ) -> pd.DataFrame:
        """Responses in dxlab's standard wide shape, ready for :func:`dxlab.score`.

        Parameters
        ----------
        rubric : Rubric or str, optional
            Keep this rubric's submissions and give one column per criterion of it, in rubric order (criteria
            nobody answered are all ``<NA>``). Default: the one rubric in the store (``ValueError`` if there
            are several); its shipped definition is used when it loads, else the criteria found.
        latest_only : bool
            Only each respondent's latest version (default), or every version.
        wave : str, optional
            Only submissions of this wave.

        Returns
        -------
        DataFrame
            ``response_id, enterprise_id, submitted_at (UTC), wave, sector (VSIC letter, categorical), size
            (ordered categorical), province, respondent_role, enterprise_name, version, rubric_id,
            rubric_version, lang``, then one ``Int8`` level column per criterion id, ``percent.<id>``
            (``Float64``) for percentage-band criteria, and ``comment.<id>`` per criterion. One row per
            submission in submission order; blank text fields are ``<NA>``.
        """
        import pandas as pd

        from ._vsic import SIZES, VSIC_SECTIONS

        rubric_obj = _load(rubric)
        rubric_id = rubric_obj.id if rubric_obj is not None else _rubric_id(rubric)
        if rubric_id is None:
            ids = self.rubric_ids()
            if len(ids) > 1:
                raise ValueError(
                    f"{self.path} holds submissions for several rubrics ({', '.join(ids)}); pass rubric= one of them"
                )
            rubric_id = ids[0] if ids else None
            rubric_obj = self._stored_rubric(rubric_id) if rubric_id else None

        where, params = ["s.rubric_id = ?"], [rubric_id]
        if latest_only:
            where.append(
                "s.version = (SELECT MAX(t.version) FROM submissions t WHERE t.rubric_id = s.rubric_id "
                "AND t.enterprise_id = s.enterprise_id)"
            )
        if wave is not None:
            where.append("s.wave = ?")
            params.append(str(wave))
        clause = " AND ".join(where)
        con = self._connect()
        try:
            with self._transaction(con, "DEFERRED"):  # one snapshot for both queries
                subs = con.execute(
                    "SELECT s.seq, s.response_id, s.enterprise_id, s.submitted_at, s.wave, s.sector, s.size, "
                    "s.province, s.respondent_role, s.enterprise_name, s.version, s.rubric_id, s.rubric_version, "
                    f"s.lang FROM submissions s WHERE {clause} ORDER BY s.seq",
                    params,
                ).fetchall()
                answers = con.execute(
                    "SELECT a.seq, a.position, a.criterion_id, a.level, a.percent, a.comment FROM answers a "
                    f"JOIN submissions s ON s.seq = a.seq WHERE {clause}",
                    params,
                ).fetchall()
        finally:
            con.close()

        meta = pd.DataFrame(subs, columns=["seq", *META_COLUMNS])
        long = pd.DataFrame(answers, columns=["seq", "position", "criterion_id", "level", "percent", "comment"])
        if rubric_obj is not None:
            criteria = list(rubric_obj.criterion_ids)
            percent_ids = [c.id for c in rubric_obj.all_criteria if c.answer == "percent_band"]
        else:
            order = long.groupby("criterion_id")["position"].min().sort_values(kind="stable")
            criteria = list(order.index)
            percent_ids = [c for c in criteria if long.loc[long["criterion_id"] == c, "percent"].notna().any()]

        seqs = meta["seq"].to_numpy()

        def spread(values: str) -> pd.DataFrame:
            wide = long.pivot(index="seq", columns="criterion_id", values=values) if len(long) else pd.DataFrame()
            return wide.reindex(index=seqs, columns=criteria)

        frame = meta.drop(columns="seq")
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="ISO8601")
        frame["version"] = frame["version"].astype("int64")
        for name in ("wave", "province", "respondent_role", "enterprise_name", "rubric_version", "lang"):
            frame[name] = frame[name].astype("str").replace("", pd.NA)  # type: ignore[call-overload]
        frame["sector"] = pd.Categorical(frame["sector"].replace("", None), categories=list(VSIC_SECTIONS))
        frame["size"] = pd.Categorical(frame["size"].replace("", None), categories=list(SIZES), ordered=True)
        levels = spread("level")
        parts = {
            c: pd.array(levels[c].to_numpy(dtype="float64", na_value=float("nan")), dtype="Float64").astype("Int8")
            for c in criteria
        }
        percents = spread("percent")
        parts |= {
            f"percent.{c}": pd.array(percents[c].to_numpy(dtype="float64", na_value=float("nan")), dtype="Float64")
            for c in percent_ids
        }
        comments = spread("comment")
        parts |= {
            f"comment.{c}": pd.array(comments[c].replace("", None).to_numpy(dtype=object), dtype="str")
            for c in criteria
        }
        out = pd.concat([frame.reset_index(drop=True), pd.DataFrame(parts, index=range(len(frame)))], axis=1)
        out.attrs["source"] = str(self.path)
        return out

    def _stored_rubric(self, rubric_id: str) -> Rubric | None:
        try:
            return self.rubric(rubric_id)
        except ValueError:  # the criteria found in the answers give the columns
            return None


class _Transaction:
    """``BEGIN … COMMIT`` on an autocommit connection, rolled back on any error."""

    def __init__(self, con: sqlite3.Connection, mode: str):
        self.con, self.mode = con, mode

    def __enter__(self) -> sqlite3.Connection:
        self.con.execute(f"BEGIN {self.mode}")
        return self.con

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")


def _rubric_id(rubric: Any) -> str | None:
    if rubric is None:
        return None
    if isinstance(rubric, str):
        looks_like_path = rubric.endswith((".yaml", ".yml")) or "/" in rubric or os.sep in rubric
        loaded = _load(rubric)
        return loaded.id if loaded is not None and looks_like_path else rubric
    return rubric.id


def _load(rubric: Any, quiet: bool = False) -> Rubric | None:
    if rubric is None:
        return None
    from ..rubric import load_rubric

    try:
        return load_rubric(rubric)
    except (ValueError, KeyError, FileNotFoundError):
        if quiet:
            return None
        raise


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _rubric_from_text(text: str, rubric_id: str, store_path: Path) -> Rubric:
    """Load a recorded rubric copy through a private temporary file whose name the store does not choose."""
    from dataclasses import replace

    from ..rubric import load_rubric

    with tempfile.TemporaryDirectory(prefix="dxlab-rubric-") as folder:
        path = Path(folder) / "recorded-rubric.yaml"
        path.write_text(text, encoding="utf-8")
        rubric = load_rubric(path)
    if rubric.id != rubric_id:
        raise ValueError(f"{store_path}: the recorded copy of rubric {rubric_id[:100]!r} defines {rubric.id!r}")
    return replace(rubric, path="")
