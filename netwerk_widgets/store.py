"""The answer store: tidy, append-only, SQLite by default and any SQLAlchemy URL on request.

Every answer value is one row (session, participant, block, question, item, field, value,
value_num, answered_at). An edit appends a new row; the current answer is the latest row for
its key; nothing is ever updated or deleted (the database refuses it).

The store location comes from ``NETWERK_DB_URL`` (any SQLAlchemy URL, e.g.
``postgresql+psycopg://user@host/db``); without it, a SQLite file in the user's data folder,
away from anything Voilà serves.

Each session also keeps the workbook template it was created with (a *snapshot*: the YAML
text, name, version and content hash; :meth:`Store.create_session`), so a session never
depends on the template's file again; :func:`netwerk_widgets.templates.template_for` reads it.

The same database also holds the *results cache* of :mod:`netwerk_widgets.worker`: group
results computed once per session, block, language and state of the answers, which every
page and server sharing the store reads. Those rows are not answers: they may be deleted
and computed again.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable
from typing import Any

from ._backends import Backend, backend_for
from ._codes import check_new_code, new_code, new_secret, normal_code, pseudonym
from ._records import (
    ANSWER_COLUMNS,
    Answer,
    Participant,
    Session,
    TemplateSnapshot,
    clean_text,
    now,
)
from ._redact import redact_text, redact_url
from ._results_cache import CachedResults as CachedResults
from ._results_cache import ResultsCache
from ._results_cache import state_at_least as state_at_least
from .errors import NetwerkError, SessionError, StoreError, TemplateError
from .messages import messages
from .settings import DB_URL, settings

ENV_URL = DB_URL


def default_url() -> str:
    """The store URL: ``NETWERK_DB_URL`` or a SQLite file in the user's data folder."""
    return settings().store_url


class Store(ResultsCache):
    """An append-only answer store over one database.

    Parameters
    ----------
    url : str, optional
        ``sqlite:///path/to/file.db`` or any SQLAlchemy URL; ``None`` means
        :func:`default_url`.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            self._db: Backend = backend_for(self.url)
            self._db.create_schema()
        except StoreError:
            raise
        except Exception as exc:
            raise _unreachable(self.url, exc) from exc

    def __repr__(self) -> str:
        return f"Store({redact_url(self.url)!r})"

    def close(self) -> None:
        """Close the connection (the store can not be used afterwards)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sessions ---------------------------------------------------------------------

    def create_session(
        self,
        title: str,
        *,
        template: str | os.PathLike[str],
        template_version: str | None = None,
        template_text: str | None = None,
        code: str | None = None,
        network: str | None = None,
        trainer_key: str | None = None,
        created_at: str | None = None,
    ) -> Session:
        """Create a session and return it with its join code and trainer key.

        The whole template is stored with the session (a snapshot: its YAML text, name,
        version and content hash), so pages, results, report and exports never need the
        file again. ``template`` is a built-in name or a file, read now; ``template_text``
        gives the YAML itself instead (``template`` then only names it). ``template_version``,
        if given, must be the template's version. ``created_at`` (ISO 8601) is only for
        loading sessions held earlier.

        Raises
        ------
        TemplateError
            When the template cannot be read or is not valid, or when its content changed
            since its version was last used for a session: answers are keyed by version, so
            a changed template needs a new ``version:``.
        SessionError
            When ``code`` is not a good session code (see :func:`._codes.check_new_code`),
            or a session with it exists already.
        """
        from .templates import content_hash, parse_template, read_template_text

        reference = os.fspath(template)
        raw = read_template_text(reference) if template_text is None else template_text
        parsed = parse_template(raw, source=reference)
        if template_version not in (None, "") and str(template_version) != parsed.version:
            problem = messages()(
                "store_check.other_version", version=parsed.version, given=template_version
            )
            raise TemplateError(reference, "version", problem)
        digest = content_hash(raw)
        session = Session(
            code=new_code() if code is None else check_new_code(code),
            title=title,
            network=(network or "").strip(),
            template=reference,
            template_version=parsed.version,
            trainer_key=trainer_key or new_secret(12),
            created_at=created_at or now(),
            template_hash=digest,
        )
        if self.find_session(session.code) is not None:
            raise SessionError(key="errors.session_exists", code=session.code)
        snapshot = {
            "hash": digest,
            "name": parsed.name,
            "version": parsed.version,
            "text": raw,
            "stored_at": now(),
            "migrated": 0,
        }
        # Two servers creating sessions under one new template version at the same moment
        # can both miss the other's snapshot row: the database's unique index lets one
        # through. With the same content the second attempt finds the row and goes on; with
        # another content it is told why.
        for attempt in range(2):
            try:
                self._insert_session(session, snapshot, reference)
                break
            except StoreError:
                with self._write() as tx:
                    self._refuse_changed(tx, reference, parsed.name, parsed.version, digest)
                if attempt or self.find_session(session.code) is not None:
                    raise
        return session

    def _insert_session(self, session: Session, snapshot: dict[str, Any], source: str) -> None:
        """Write a new session, its template snapshot and the link between them at once."""
        with self._write() as tx:
            self._refuse_changed(
                tx, source, snapshot["name"], snapshot["version"], snapshot["hash"]
            )
            tx.execute(
                "INSERT INTO template_snapshots (hash, name, version, text, stored_at,"
                " migrated) VALUES (:hash, :name, :version, :text, :stored_at, :migrated)"
                " ON CONFLICT (hash) DO NOTHING",
                snapshot,
            )
            tx.execute(
                "INSERT INTO session_templates (session, template_hash, linked_at)"
                " VALUES (:session, :hash, :stored_at)",
                {"session": session.code, **snapshot},
            )
            tx.execute(
                "INSERT INTO sessions (code, title, network, template, template_version,"
                " trainer_key, created_at) VALUES (:code, :title, :network, :template,"
                " :template_version, :trainer_key, :created_at)",
                {k: v for k, v in session.__dict__.items() if k not in ("closed", "template_hash")},
            )

    def _refuse_changed(self, tx: Any, source: str, name: str, version: str, digest: str) -> None:
        """A clear :class:`TemplateError` if another content of ``name`` ``version`` is kept."""
        from .templates import builtin_templates

        other = tx.fetch(
            "SELECT hash FROM template_snapshots WHERE name = :name AND version = :version"
            " AND hash <> :hash",
            {"name": name, "version": version, "hash": digest},
        )
        if not other:
            return
        params = {f"h{i}": row[0] for i, row in enumerate(other)}
        used = tx.fetch(
            "SELECT s.code, s.created_at FROM session_templates t JOIN sessions s"
            " ON s.code = t.session WHERE t.template_hash IN"
            f" ({', '.join(':' + key for key in params)}) ORDER BY s.created_at DESC LIMIT 1",
            params,
        )
        m = messages()
        where = (
            m("store_check.changed_where", code=used[0][0], date=used[0][1][:10]) if used else ""
        )
        problem = m(
            "store_check.changed_version",
            name=name,
            version=version,
            where=where,
            next=_next_version(version),
        )
        if source in builtin_templates():  # not the trainer's own file
            problem += " " + m("store_check.changed_builtin")
        raise TemplateError(source, "version", problem)

    def attach_template(self, code: str, text: str) -> str:
        """Keep ``text`` as the template snapshot of a session made before snapshots existed.

        For sessions whose row names only a file (see :func:`templates.template_for`): the
        file's text is stored (marked ``migrated``) and linked to the session, unless the
        session has a snapshot already. Returns the hash of the session's snapshot.
        """
        from .templates import content_hash, parse_template

        session = self.session(code)
        parsed = parse_template(text, source=session.template)
        digest = content_hash(text)
        stamp = now()
        with self._write() as tx:
            tx.execute(
                "INSERT INTO template_snapshots (hash, name, version, text, stored_at,"
                " migrated) VALUES (:hash, :name, :version, :text, :stored_at, 1)"
                " ON CONFLICT (hash) DO NOTHING",
                {
                    "hash": digest,
                    "name": parsed.name,
                    "version": parsed.version,
                    "text": text,
                    "stored_at": stamp,
                },
            )
            tx.execute(
                "INSERT INTO session_templates (session, template_hash, linked_at)"
                " VALUES (:session, :hash, :at) ON CONFLICT (session) DO NOTHING",
                {"session": session.code, "hash": digest, "at": stamp},
            )
            linked = tx.fetch(
                "SELECT template_hash FROM session_templates WHERE session = :session",
                {"session": session.code},
            )
        return str(linked[0][0])

    def template_snapshot(self, digest: str) -> TemplateSnapshot | None:
        """The stored template with this content hash, or ``None``."""
        rows = self._read(
            "SELECT hash, name, version, text, stored_at, migrated FROM template_snapshots"
            " WHERE hash = :hash",
            {"hash": digest},
        )
        return _snapshot(rows[0]) if rows else None

    def template_snapshots(
        self, name: str | None = None, version: str | None = None
    ) -> list[TemplateSnapshot]:
        """Every stored template (of ``name``, of ``version``, if given), oldest first."""
        where, params = [], {}
        if name is not None:
            where.append("name = :name")
            params["name"] = name
        if version is not None:
            where.append("version = :version")
            params["version"] = str(version)
        condition = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._read(
            "SELECT hash, name, version, text, stored_at, migrated FROM template_snapshots"
            f"{condition} ORDER BY stored_at, hash",
            params,
        )
        return [_snapshot(row) for row in rows]

    def find_session(self, code: str) -> Session | None:
        """The session with this code (trimmed, any case), or ``None``; deleted ones too."""
        found = self._sessions("WHERE s.code = :code", {"code": normal_code(code)})
        return found[0] if found else None

    def _sessions(self, where: str = "", params: dict[str, Any] | None = None) -> list[Session]:
        """Sessions with their state, in one query each for the rows and the events: a
        row with an odd code (from an older version) is returned as it is, never looked
        up again, so it cannot break the others."""
        rows = self._read(
            "SELECT s.code, s.title, s.network, s.template, s.template_version, s.trainer_key,"
            " s.created_at, t.template_hash FROM sessions s LEFT JOIN session_templates t"
            f" ON t.session = s.code {where} ORDER BY s.created_at, s.code",
            params,
        )
        if not rows:
            return []
        one = {"code": rows[0][0]} if len(rows) == 1 else {}
        events = self._read(
            "SELECT session, event FROM session_events WHERE event IN"
            f" ('closed', 'opened', 'deleted') {'AND session = :code' if one else ''} ORDER BY id",
            one,
        )
        closed: dict[str, bool] = {}
        deleted: set[str] = set()
        for session, event in events:
            if event == "deleted":
                deleted.add(session)
            else:
                closed[session] = event == "closed"
        return [
            Session(
                *fields,
                closed=closed.get(fields[0], False),
                template_hash=digest or "",
                deleted=fields[0] in deleted,
            )
            for *fields, digest in rows
        ]

    def session(self, code: str) -> Session:
        """The session with this code; a clear :class:`SessionError` if there is none."""
        session = self.find_session(code or "")
        if session is None:
            raise SessionError(key="errors.unknown_session", code=(code or "").strip()[:40])
        return session

    def sessions(self, *, deleted: bool = False) -> list[Session]:
        """All sessions, oldest first; deleted ones only with ``deleted=True``."""
        return [s for s in self._sessions() if deleted or not s.deleted]

    def delete_session(self, code: str, key: str) -> Session:
        """Delete a session (with its trainer key): an appended tombstone event.

        The session is no longer listed and nobody can join it or save answers; everything
        stays in the store (export still works) until :meth:`purge_session`.
        """
        session = self.check_trainer_key(code, key)
        if not session.deleted:
            self._log_event(session.code, "deleted", "")
        return self.session(session.code)

    def purge_session(self, code: str, key: str) -> int:
        """Erase a session and everything of it (answers, participants, events, results),
        for good; returns how many answers went. Only with the trainer key; the CLI asks for
        a confirmation first."""
        session = self.check_trainer_key(code, key)
        params = {"code": session.code}
        with self._write() as tx:
            answers = tx.fetch("SELECT COUNT(*) FROM answers WHERE session = :code", params)
            with self._db.append_only_lifted(tx):
                tx.execute("DELETE FROM answers WHERE session = :code", params)
            for table in ("participants", "results_cache", "results_requests"):
                tx.execute(f"DELETE FROM {table} WHERE session = :code", params)
            tx.execute("DELETE FROM session_events WHERE session = :code", params)
            tx.execute("DELETE FROM session_templates WHERE session = :code", params)
            tx.execute("DELETE FROM sessions WHERE code = :code", params)
        return int(answers[0][0])

    def set_closed(self, code: str, closed: bool) -> None:
        """Close a session for new answers, or open it again."""
        session = self.session(code)
        self._log_event(session.code, "closed" if closed else "opened", "")

    def check_trainer_key(self, code: str, key: str) -> Session:
        """The session, if ``key`` is its trainer key; a clear :class:`SessionError` if not."""
        session = self.session(code)
        if not secrets.compare_digest((key or "").encode(), session.trainer_key.encode()):
            raise SessionError(key="errors.wrong_key")
        return session

    def set_revealed(self, code: str, block: str, revealed: bool) -> None:
        """Show a block's group results to the participants, or hide them again."""
        session = self.session(code)
        self._log_event(session.code, "revealed" if revealed else "hidden", block)

    def revealed_blocks(self, code: str) -> set[str]:
        """The blocks whose group results the trainer has shown to the participants."""
        rows = self._read(
            "SELECT detail, event FROM session_events WHERE session = :code AND event IN"
            " ('revealed', 'hidden') ORDER BY id",
            {"code": code.strip().upper()},
        )
        state: dict[str, bool] = {}
        for block, event in rows:
            state[block] = event == "revealed"
        return {block for block, shown in state.items() if shown}

    def progress(self, code: str) -> dict[str, int]:
        """How many participants have a current answer in each block (blank answers aside:
        a field typed in and cleared again does not count)."""
        rows = self._read(
            "SELECT a.block, COUNT(DISTINCT a.participant) FROM answers a JOIN (SELECT MAX(id)"
            " AS id FROM answers WHERE session = :code GROUP BY participant, block, question,"
            " item, field) latest ON a.id = latest.id WHERE a.value IS NOT NULL"
            " AND TRIM(a.value) <> '' GROUP BY a.block",
            {"code": code.strip().upper()},
        )
        return {block: int(count) for block, count in rows}

    def revision(self, code: str) -> int:
        """A number that grows whenever an answer is added to the session (for refreshing)."""
        rows = self._read(
            "SELECT COALESCE(MAX(id), 0) FROM answers WHERE session = :code",
            {"code": code.strip().upper()},
        )
        return int(rows[0][0])

    def _log_event(self, code: str, event: str, detail: str) -> None:
        with self._write() as tx:
            tx.execute(
                "INSERT INTO session_events (session, event, detail, at)"
                " VALUES (:session, :event, :detail, :at)",
                {"session": code, "event": event, "detail": detail, "at": now()},
            )

    def add_workshop_event(
        self, code: str, kind: str, target: str = "", detail: str = "", screen: str = ""
    ) -> int:
        """Append one event of a trainer screen (see :mod:`netwerk_widgets.workshop`);
        returns its id."""
        session = self.session(code)
        with self._write() as tx:
            tx.execute(
                "INSERT INTO workshop_events (session, kind, target, detail, screen, at)"
                " VALUES (:session, :kind, :target, :detail, :screen, :at)",
                {
                    "session": session.code,
                    "kind": kind,
                    "target": target,
                    "detail": detail,
                    "screen": screen,
                    "at": now(),
                },
            )
            return int(
                tx.fetch(
                    "SELECT MAX(id) FROM workshop_events WHERE session = :session",
                    {"session": session.code},
                )[0][0]
            )

    def workshop_events(
        self, code: str, kinds: Iterable[str], *, last_only: bool = False
    ) -> list[tuple[int, str, str, str, str, str]]:
        """Events of ``kinds`` of a session, oldest first: ``(id, kind, target, detail,
        screen, at)``; with ``last_only`` just the newest one (or none)."""
        names = sorted(set(kinds))
        params: dict[str, Any] = {f"k{i}": kind for i, kind in enumerate(names)}
        wanted = ", ".join(":" + key for key in params)
        params["code"] = code.strip().upper()
        sql = (
            "SELECT id, kind, target, detail, screen, at FROM workshop_events"
            f" WHERE session = :code AND kind IN ({wanted})"
            + (" ORDER BY id DESC LIMIT 1" if last_only else " ORDER BY id")
        )
        return [tuple(row) for row in self._read(sql, params)]

    # --- participants -----------------------------------------------------------------

    def join(
        self,
        code: str,
        display_name: str = "",
        *,
        participant_id: str | None = None,
        token: str | None = None,
    ) -> Participant:
        """Add a participant to a session; an empty name joins anonymously under a pseudonym.

        ``participant_id`` and ``token`` are generated; give them only for fixed demo data.
        """
        session = self.session(code)
        if session.deleted:
            raise SessionError(key="store_check.deleted")
        if session.closed:
            raise SessionError(key="errors.closed_join")
        name = " ".join(clean_text(display_name or "").split())[:80]
        participant_id = participant_id or "p-" + secrets.token_hex(4)
        with self._write() as tx:
            if not name:  # a pseudonym no one else in the session has (read in the write lock)
                taken = tx.fetch(
                    "SELECT display_name FROM participants WHERE session = :session",
                    {"session": session.code},
                )
                anonymous_name = pseudonym(participant_id, {n for (n,) in taken})
            participant = Participant(
                id=participant_id,
                session=session.code,
                token=token or new_secret(16),
                display_name=name or anonymous_name,
                anonymous=not name,
            )
            tx.execute(
                "INSERT INTO participants (id, session, token, display_name, anonymous,"
                " joined_at) VALUES (:id, :session, :token, :display_name, :anonymous,"
                " :joined_at)",
                {
                    **participant.__dict__,
                    "anonymous": int(participant.anonymous),
                    "joined_at": now(),
                },
            )
        return participant

    def participant(self, code: str, token: str) -> Participant:
        """The participant behind a personal link; :class:`SessionError` if it is not valid."""
        rows = self._read(
            "SELECT id, session, token, display_name, anonymous FROM participants"
            " WHERE token = :token AND session = :session",
            {"token": token or "", "session": (code or "").strip().upper()},
        )
        if not rows or self.session(rows[0][1]).deleted:
            raise SessionError(key="errors.invalid_link")
        pid, session, token, name, anonymous = rows[0]
        return Participant(pid, session, token, name, bool(anonymous))

    def participants(self, code: str) -> list[Participant]:
        """The participants of a session, in the order they joined."""
        rows = self._read(
            "SELECT id, session, token, display_name, anonymous FROM participants"
            " WHERE session = :session ORDER BY joined_at, id",
            {"session": code.upper()},
        )
        return [Participant(p, s, t, n, bool(a)) for p, s, t, n, a in rows]

    # --- answers ----------------------------------------------------------------------

    def append(
        self, participant: Participant, answers: Iterable[Answer], *, template_version: str = ""
    ) -> int:
        """Append answers of one participant in one transaction; returns how many.

        Raises :class:`SessionError` when the session is closed and :class:`StoreError`
        when the database cannot be written; in both cases nothing is stored.
        """
        session = self.session(participant.session)
        if session.deleted:
            raise SessionError(key="store_check.deleted_answers")
        if session.closed:
            raise SessionError(key="errors.closed_save")
        version = template_version or session.template_version
        stamp = now()
        rows = [
            {
                "session": session.code,
                "participant": participant.id,
                "block": a.block,
                "question": a.question,
                "item": a.item,
                "field": a.field,
                "value": clean_text(a.value) if isinstance(a.value, str) else a.value,
                "value_num": a.value_num,
                "answered_at": stamp,
                "template_version": version,
            }
            for a in answers
        ]
        with self._write() as tx:
            for row in rows:
                tx.execute(
                    "INSERT INTO answers (session, participant, block, question, item, field,"
                    " value, value_num, answered_at, template_version) VALUES (:session,"
                    " :participant, :block, :question, :item, :field, :value, :value_num,"
                    " :answered_at, :template_version)",
                    row,
                )
        return len(rows)

    def answer_count(self, code: str, participant: str) -> int:
        """How many answer values a participant has stored (every edit counts; one indexed
        count, cheap enough for a page to ask every few seconds)."""
        rows = self._read(
            "SELECT COUNT(*) FROM answers WHERE session = :code AND participant = :participant",
            {"code": code.strip().upper(), "participant": participant},
        )
        return int(rows[0][0])

    def current(
        self, session: str | None = None, participant: str | None = None, *, history: bool = False
    ) -> list[dict[str, Any]]:
        """Current answers (latest per key) as plain dicts, or every row with ``history``.

        This is the pandas-free path that participant kernels use; analysts want
        :func:`load_answers`.
        """
        names = (*ANSWER_COLUMNS, "template_version", "id")
        rows = self.current_rows(session, participant, history=history)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def current_rows(
        self, session: str | None = None, participant: str | None = None, *, history: bool = False
    ) -> list[tuple]:
        """:meth:`current` as plain tuples in the order of ``ANSWER_COLUMNS``, then
        ``template_version`` and ``id`` (for building a DataFrame without a dict per row)."""
        where, params = [], {}
        if session is not None:
            where.append("a.session = :session")
            params["session"] = session.upper()
        if participant is not None:
            where.append("a.participant = :participant")
            params["participant"] = participant
        condition = (" WHERE " + " AND ".join(where)) if where else ""
        columns = ", ".join(f"a.{c}" for c in (*ANSWER_COLUMNS, "template_version", "id"))
        if history:
            sql = f"SELECT {columns} FROM answers a{condition} ORDER BY a.id"
        else:
            sql = (
                f"SELECT {columns} FROM answers a JOIN (SELECT MAX(id) AS id FROM answers a"
                f"{condition} GROUP BY a.session, a.participant, a.block, a.question, a.item,"
                f" a.field) latest ON a.id = latest.id ORDER BY a.id"
            )
        return self._read(sql, params)

    # --- plumbing ---------------------------------------------------------------------

    def _read(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        try:
            return self._db.query(sql, params)
        except Exception as exc:
            raise _unreachable(self.url, exc) from exc

    def _write(self) -> _WriteGuard:
        return _WriteGuard(self)


class _WriteGuard:
    """A write transaction whose database errors become one clear :class:`StoreError`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cm: Any = None

    def __enter__(self) -> Any:
        try:
            self._cm = self._store._db.transaction()
            return self._cm.__enter__()
        except NetwerkError:
            raise  # already a message for people (a store file that is gone)
        except Exception as exc:
            raise _unreachable(self._store.url, exc) from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        try:
            self._cm.__exit__(exc_type, exc, tb)
        except Exception as error:
            if error is exc and isinstance(exc, NetwerkError):
                raise
            raise _unreachable(self._store.url, error) from error
        if isinstance(exc, Exception) and not isinstance(exc, NetwerkError):
            raise _unreachable(self._store.url, exc) from exc
        return False


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (default: ``NETWERK_DB_URL`` or the user's SQLite file)."""
    return Store(url)


def _snapshot(row: tuple) -> TemplateSnapshot:
    digest, name, version, text, stored_at, migrated = row
    return TemplateSnapshot(digest, name, version, text, stored_at, bool(migrated))


def _next_version(version: str) -> str:
    """``version`` with its last number one higher (``1.0`` → ``1.1``, ``3`` → ``4``)."""
    found = re.search(r"(\d+)(\D*)$", version)
    if found is None:
        return f"{version}.1"
    return f"{version[: found.start(1)]}{int(found.group(1)) + 1}{found.group(2)}"


def _unreachable(url: str, exc: BaseException) -> StoreError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    problem = redact_text(detail, url)
    return StoreError(key="errors.store_unreachable", url=redact_url(url), problem=problem)
