"""The class as the server knows it: who joined, each student's saved answers, open or closed.

Everything lives in the class's store file (tables ``class_meta`` and ``class_students`` beside the
submissions), so a reload, a dropped connection or a restarted server loses nothing; a copy in memory
serves every page read without touching the disk. All changes go through one :class:`BatchWorker` (the
*writer*): it applies the queued changes of a moment in one transaction (each in its own savepoint, so one
bad change fails alone) and updates the copy in memory only after the commit.

A student is known by the SHA-256 of their resume token only; their respondent code (``enterprise_id`` of
their submissions) is random and never typed by anyone, so nothing a student can type reaches another
student's answers.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from .._store import Receipt, ResponseStore
from .._validate import Submission
from ._security import new_token, token_hash
from ._worker import BatchWorker

__all__ = ["PROFILE_FIELDS", "ClassState", "Job", "Student"]

PROFILE_FIELDS = ("enterprise_name", "sector", "size", "province", "respondent_role")
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS class_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS class_students (
        token_sha256       TEXT PRIMARY KEY,
        code               TEXT NOT NULL UNIQUE,
        joined_at          TEXT NOT NULL,
        lang               TEXT NOT NULL,
        profile            TEXT NOT NULL DEFAULT '{}',
        answers            TEXT NOT NULL DEFAULT '{}',
        page               INTEGER NOT NULL DEFAULT 0,
        revision           INTEGER NOT NULL DEFAULT 0,
        submitted_revision INTEGER NOT NULL DEFAULT -1,
        submitted          TEXT NOT NULL DEFAULT '{}',
        response_id        TEXT NOT NULL DEFAULT '',
        versions           INTEGER NOT NULL DEFAULT 0
    )""",
)

Answers = Mapping[str, tuple[int | None, float | None, str]]


@dataclass(frozen=True)
class Student:
    """One student of the class. ``answers`` are the saved draft; ``submitted`` the levels last submitted."""

    code: str
    token_sha256: str
    joined_at: datetime
    lang: str = "vi"
    profile: Mapping[str, str] = field(default_factory=dict)
    answers: Answers = field(default_factory=dict)
    page: int = 0
    revision: int = 0
    submitted_revision: int = -1
    submitted: Mapping[str, int | None] = field(default_factory=dict)
    response_id: str = ""
    versions: int = 0

    @property
    def has_submitted(self) -> bool:
        return self.versions > 0

    @property
    def up_to_date(self) -> bool:
        """Submitted, and nothing changed since."""
        return self.has_submitted and self.submitted_revision == self.revision


class Job(NamedTuple):
    """A change for the writer: ``change(con)`` inside the transaction, ``after(result)`` once committed.

    ``durable=False`` (page saves) lets the batch commit without waiting for the disk, see
    :meth:`ResponseStore.write`; any durable job in a batch makes the whole batch durable.
    """

    change: Callable[[sqlite3.Connection], Any]
    after: Callable[[Any], Any]
    durable: bool = True


def _now() -> str:
    return datetime.now(UTC).isoformat()


class ClassState:
    """The students of one class and the class's open/closed switch, kept in ``store``.

    Parameters
    ----------
    store : ResponseStore
        The class's store (opened writable).
    class_code : str
        The code students type to join.
    """

    def __init__(self, store: ResponseStore, class_code: str):
        self.store = store
        self.class_code = class_code
        self.students: dict[str, Student] = {}
        self.by_code: dict[str, str] = {}
        self.is_open = True
        self.csrf_key = b""  # read from the store with the students
        self.changes = 0  # bumped after every committed change: the teacher's view recomputes on it
        self._connection: sqlite3.Connection | None = None  # the writer thread's own, opened on first use
        self._pending: dict[str, Student] = {}  # changed in the writer's open transaction, not yet committed
        store.write(self._create)
        self._load()
        self.writer = BatchWorker("writer", self._apply)

    # -- start -----------------------------------------------------------------------------------------
    def _create(self, con: sqlite3.Connection) -> None:
        for statement in _SCHEMA:
            con.execute(statement)
        con.execute(
            "INSERT INTO class_meta (key, value) VALUES ('class_code', ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value",
            (self.class_code,),
        )
        con.execute("INSERT OR IGNORE INTO class_meta (key, value) VALUES ('open', '1')")
        con.execute("INSERT OR IGNORE INTO class_meta (key, value) VALUES ('created_at', ?)", (_now(),))
        con.execute("INSERT OR IGNORE INTO class_meta (key, value) VALUES ('csrf_key', ?)", (secrets.token_hex(32),))

    def _load(self) -> None:
        con = sqlite3.connect(self.store.path)
        try:
            self.is_open = con.execute("SELECT value FROM class_meta WHERE key = 'open'").fetchone()[0] == "1"
            self.csrf_key = bytes.fromhex(
                con.execute("SELECT value FROM class_meta WHERE key = 'csrf_key'").fetchone()[0]
            )
            rows = con.execute(
                "SELECT token_sha256, code, joined_at, lang, profile, answers, page, revision, "
                "submitted_revision, submitted, response_id, versions FROM class_students "
                "ORDER BY joined_at, code"
            ).fetchall()
        finally:
            con.close()
        for (
            digest,
            code,
            joined,
            lang,
            profile,
            answers,
            page,
            revision,
            sub_rev,
            submitted,
            response_id,
            versions,
        ) in rows:
            student = Student(
                code,
                digest,
                datetime.fromisoformat(joined),
                lang,
                json.loads(profile),
                {c: (a[0], a[1], a[2]) for c, a in json.loads(answers).items()},
                page,
                revision,
                sub_rev,
                json.loads(submitted),
                response_id,
                versions,
            )
            self._remember(student)

    def _remember(self, student: Student) -> None:
        old = self.by_code.get(student.code)
        if old is not None and old != student.token_sha256:
            self.students.pop(old, None)
        self.students[student.token_sha256] = student
        self.by_code[student.code] = student.token_sha256

    def close(self) -> None:
        self.writer.close()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- the writer ------------------------------------------------------------------------------------
    def _apply(self, ops: Sequence[Job]) -> list[Any]:
        def work(con: sqlite3.Connection) -> list[Any]:
            outcomes: list[Any] = []
            self._pending.clear()  # a retried transaction starts again from what is committed
            for i, (change, _, _) in enumerate(ops):
                con.execute(f"SAVEPOINT op{i}")
                try:
                    outcomes.append(change(con))
                except Exception as exc:  # noqa: BLE001 -- this change alone fails; the batch goes on
                    con.execute(f"ROLLBACK TO op{i}")
                    outcomes.append(exc)
                con.execute(f"RELEASE op{i}")
            return outcomes

        # Page saves commit without waiting for the disk (see ResponseStore.write); a batch holding a
        # submission waits, and makes every earlier change durable with it.
        durable = any(op.durable for op in ops)
        try:
            if self._connection is None:
                self._connection = self.store.connect()
            outcomes = self.store.write(work, durable=durable, connection=self._connection)
        finally:
            self._pending.clear()
        results: list[Any] = []
        for (_, after, _), outcome in zip(ops, outcomes, strict=True):
            results.append(outcome if isinstance(outcome, Exception) else after(outcome))
        self.changes += 1
        return results

    # -- changes (each returns the job for the writer) ---------------------------------------------------
    def join_job(self, lang: str) -> Job:
        """A new student: returns ``(token, Student)`` once written; the token exists nowhere else."""
        token = new_token()
        digest = token_hash(token)

        def change(con: sqlite3.Connection) -> Student:
            while True:
                code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
                if (
                    code not in self.by_code
                    and con.execute(
                        "SELECT 1 FROM class_students WHERE code = ? UNION SELECT 1 FROM submissions "
                        "WHERE enterprise_id = ?",
                        (code, code),
                    ).fetchone()
                    is None
                ):
                    break
            joined = _now()
            con.execute(
                "INSERT INTO class_students (token_sha256, code, joined_at, lang) VALUES (?, ?, ?, ?)",
                (digest, code, joined, lang),
            )
            return Student(code, digest, datetime.fromisoformat(joined), lang)

        def after(student: Student) -> tuple[str, Student]:
            self._remember(student)
            return token, student

        return Job(change, after)

    def save_job(
        self,
        student: Student,
        *,
        profile: Mapping[str, str] | None = None,
        answers: Answers | None = None,
        page: int | None = None,
        lang: str | None = None,
    ) -> Job:
        """Merge a page's answers into the student's draft (a new revision when anything changed)."""

        def change(con: sqlite3.Connection) -> Student:
            current = self._current(student)
            new_profile = {**current.profile, **(profile or {})}
            new_answers = {**current.answers, **(answers or {})}
            changed = new_profile != dict(current.profile) or new_answers != dict(current.answers)
            updated = replace(
                current,
                profile=new_profile,
                answers=new_answers,
                page=current.page if page is None else page,
                lang=lang or current.lang,
                revision=current.revision + (1 if changed else 0),
            )
            cursor = con.execute(
                "UPDATE class_students SET profile = ?, answers = ?, page = ?, lang = ?, revision = ? "
                "WHERE token_sha256 = ?",
                (
                    json.dumps(updated.profile, ensure_ascii=False),
                    json.dumps(updated.answers, ensure_ascii=False),
                    updated.page,
                    updated.lang,
                    updated.revision,
                    updated.token_sha256,
                ),
            )
            if cursor.rowcount != 1:
                raise KeyError("this student was reset by the teacher")
            self._pending[updated.token_sha256] = updated
            return updated

        return Job(change, self._after_student, durable=False)

    def submit_job(self, student: Student, submission: Submission, levels: Mapping[str, int | None]) -> Job:
        """Store ``submission`` as the student's next version, unless this draft was already submitted."""

        def change(con: sqlite3.Connection) -> tuple[Student, Receipt | None]:
            current = self._current(student)
            if current.up_to_date:  # a double click or a resent form: stored once
                return current, None
            receipt = self.store.insert(con, submission)
            updated = replace(
                current,
                submitted_revision=current.revision,
                submitted=dict(levels),
                response_id=receipt.response_id,
                versions=receipt.version,
            )
            con.execute(
                "UPDATE class_students SET submitted_revision = ?, submitted = ?, response_id = ?, "
                "versions = ? WHERE token_sha256 = ?",
                (
                    updated.submitted_revision,
                    json.dumps(updated.submitted),
                    updated.response_id,
                    updated.versions,
                    updated.token_sha256,
                ),
            )
            self._pending[updated.token_sha256] = updated
            return updated, receipt

        def after(outcome: tuple[Student, Receipt | None]) -> tuple[Student, Receipt | None]:
            self._remember(outcome[0])
            return outcome

        return Job(change, after)

    def reset_job(self, code: str) -> Job:
        """A new resume token for the student with ``code`` (the old link stops working); answers stay."""
        token = new_token()
        digest = token_hash(token)

        def change(con: sqlite3.Connection) -> Student:
            old = self.by_code.get(code)
            if old is None:
                raise KeyError(code)
            con.execute("UPDATE class_students SET token_sha256 = ? WHERE code = ?", (digest, code))
            return replace(self.students[old], token_sha256=digest)

        def after(student: Student) -> tuple[str, Student]:
            self._remember(student)
            return token, student

        return Job(change, after)

    def open_job(self, is_open: bool) -> Job:
        def change(con: sqlite3.Connection) -> bool:
            con.execute("UPDATE class_meta SET value = ? WHERE key = 'open'", ("1" if is_open else "0",))
            return is_open

        def after(value: bool) -> bool:
            self.is_open = value
            return value

        return Job(change, after)

    def _current(self, student: Student) -> Student:
        digest = student.token_sha256
        return self._pending.get(digest) or self.students.get(digest, student)

    def _after_student(self, student: Student) -> Student:
        self._remember(student)
        return student
