"""What a trainer screen does during a workshop, as appended events in the store.

Hiding an answer, showing it again, merging two spellings of a name, sending everyone to a
block and starting or stopping a timer are rows of ``workshop_events`` (append-only, like the
answers): nothing is ever deleted or changed, the current state is read from the events.
Each event says what, when and from which trainer screen.

This module stays light (no pandas): participant kernels read the pace and the timer with it.
Applying hides and merges to a DataFrame of answers is :mod:`netwerk_widgets.names`.
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import SessionError
from .store import Store

HIDE, SHOW, MERGE, UNMERGE = "hide", "show", "merge", "unmerge"
PACE, TIMER, TIMER_STOP = "pace", "timer", "timer_stop"
MAX_TIMER_MINUTES = 120
MAX_TOPIC = 200


def new_screen_id() -> str:
    """A name for one trainer screen (which screen did what, in the events)."""
    return "scherm-" + secrets.token_hex(3)


# --- hidden answers -----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class AnswerKey:
    """One answer as the trainer sees it: a participant's answer to a question, or one row
    (``item``) of a table; hiding it hides every field of it."""

    participant: str
    block: str
    question: str
    item: str = ""

    def encode(self) -> str:
        return json.dumps([self.participant, self.block, self.question, self.item])

    @classmethod
    def decode(cls, text: str) -> AnswerKey:
        participant, block, question, item = json.loads(text)
        return cls(str(participant), str(block), str(question), str(item))


def hide_answer(store: Store, code: str, key: AnswerKey, *, screen: str = "") -> int:
    """Hide an answer from group views, the projector and the report (never deleted)."""
    return store.add_workshop_event(code, HIDE, key.encode(), "", screen)


def show_answer(store: Store, code: str, key: AnswerKey, *, screen: str = "") -> int:
    """Show a hidden answer again."""
    return store.add_workshop_event(code, SHOW, key.encode(), "", screen)


def hidden_answers(store: Store, code: str) -> set[AnswerKey]:
    """The answers of a session that are hidden now (the latest event per answer wins)."""
    state: dict[AnswerKey, bool] = {}
    for _id, kind, target, *_rest in store.workshop_events(code, (HIDE, SHOW)):
        state[AnswerKey.decode(target)] = kind == HIDE
    return {key for key, hidden in state.items() if hidden}


# --- merged names -------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def normal_name(text: object) -> str:
    """A name as compared in shared lists: case, accents, spaces and punctuation left out.

    ``"Stichting  Leergeld."`` and ``"stichting leergeld"`` are the same name;
    ``"Gemeente West-Betuwe"`` and ``"gemeente west betuwe"`` too.
    """
    folded = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub(" ", plain).split())


def merge_names(
    store: Store, code: str, list_ref: str, name: str, into: str, *, screen: str = ""
) -> int:
    """Count ``name`` as ``into`` in the shared list ``list_ref`` (``block.question.column``).

    The original spellings stay in the store; group views, network measures, GraphML and
    exports read the merged name (:func:`merged_names`).
    """
    if normal_name(name) == "" or normal_name(into) == "":
        raise SessionError(key="workshop.errors.merge_two")
    detail = json.dumps({"name": str(name), "into": str(into)}, ensure_ascii=False)
    return store.add_workshop_event(code, MERGE, list_ref, detail, screen)


def unmerge_name(store: Store, code: str, list_ref: str, name: str, *, screen: str = "") -> int:
    """Undo a merge: ``name`` counts as itself again."""
    detail = json.dumps({"name": str(name)}, ensure_ascii=False)
    return store.add_workshop_event(code, UNMERGE, list_ref, detail, screen)


def merged_names(store: Store, code: str) -> dict[str, dict[str, str]]:
    """Per shared list, each merged name (normalised) and the name it counts as.

    Chains are followed (a into b, b into c: a counts as c); a merge into itself is ignored.
    """
    lists: dict[str, dict[str, str]] = {}
    for _id, kind, target, detail, *_rest in store.workshop_events(code, (MERGE, UNMERGE)):
        data = json.loads(detail)
        names = lists.setdefault(target, {})
        if kind == MERGE and normal_name(data["name"]) != normal_name(data["into"]):
            names[normal_name(data["name"])] = str(data["into"])
        else:
            names.pop(normal_name(data["name"]), None)
    for names in lists.values():
        for key in list(names):
            seen = {key}
            into = names[key]
            while normal_name(into) in names and normal_name(into) not in seen:
                seen.add(normal_name(into))
                into = names[normal_name(into)]
            names[key] = into
    return {target: names for target, names in lists.items() if names}


# --- pacing and the timer -----------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """The block the trainer sent everyone to."""

    id: int
    block: str
    lock: bool
    """Whether blocks after it stay closed until the trainer gets there."""
    at: str


def send_everyone(
    store: Store, code: str, block: str, *, lock: bool = False, screen: str = ""
) -> int:
    """Send every participant's page to ``block`` ("Iedereen naar ...")."""
    return store.add_workshop_event(code, PACE, block, json.dumps({"lock": bool(lock)}), screen)


def current_pace(store: Store, code: str) -> Pace | None:
    """Where the trainer sent everyone last, or ``None``."""
    rows = store.workshop_events(code, (PACE,), last_only=True)
    if not rows:
        return None
    event_id, _kind, block, detail, _screen, at = rows[0]
    return Pace(int(event_id), block, bool(json.loads(detail or "{}").get("lock")), at)


@dataclass(frozen=True)
class Timer:
    """A timer for an exchange round."""

    id: int
    minutes: float
    topic: str
    started_at: datetime
    running: bool
    """``False`` once the trainer stopped it (it may still be shown as stopped)."""

    @property
    def ends_at(self) -> datetime:
        return self.started_at + timedelta(minutes=self.minutes)

    def remaining(self, moment: datetime | None = None) -> float:
        """Seconds left (0 when the time is up)."""
        moment = moment or datetime.now(UTC)
        return max(0.0, (self.ends_at - moment).total_seconds())


def start_timer(
    store: Store, code: str, minutes: float, topic: str = "", *, screen: str = ""
) -> int:
    """Start (or restart) the timer of an exchange round, shown on every page."""
    if not 0 < float(minutes) <= MAX_TIMER_MINUTES:
        raise SessionError(key="workshop.errors.timer_range", most=MAX_TIMER_MINUTES)
    detail = json.dumps(
        {"minutes": float(minutes), "topic": " ".join(str(topic).split())[:MAX_TOPIC]},
        ensure_ascii=False,
    )
    return store.add_workshop_event(code, TIMER, "", detail, screen)


def stop_timer(store: Store, code: str, *, screen: str = "") -> int:
    """Stop the timer."""
    return store.add_workshop_event(code, TIMER_STOP, "", "", screen)


def current_timer(store: Store, code: str) -> Timer | None:
    """The latest timer of the session (running or stopped), or ``None``."""
    rows = store.workshop_events(code, (TIMER, TIMER_STOP))
    started = [row for row in rows if row[1] == TIMER]
    if not started:
        return None
    event_id, _kind, _target, detail, _screen, at = started[-1]
    data = json.loads(detail)
    stopped = rows[-1][1] == TIMER_STOP
    return Timer(
        int(event_id),
        float(data["minutes"]),
        str(data.get("topic", "")),
        datetime.fromisoformat(at),
        running=not stopped,
    )


def clock(seconds: float) -> str:
    """``mm:ss`` for a number of seconds (rounded up: 0:00 only when the time is up)."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
