"""Load a demo session (a fictional network with its answers) from a YAML file.

The file gives the session, its participants and their answers per block and question, in
the shape a person would write them down; :func:`answers_from_mapping` turns them into
store rows following the template's question kinds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError
from .store import Answer, Session, Store
from .templates import (
    DEFAULT_TEMPLATE,
    UNKNOWN,
    Block,
    Question,
    Template,
    builtin_templates,
    template_for,
)

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def answers_from_mapping(
    template: Template, answers: dict[str, dict[str, Any]], source: str = "demo"
) -> list[Answer]:
    """Answers written as ``{block: {question: value}}`` as store rows.

    Values by kind: text → str; scale → a number, ``"weet_niet"``, or ``[number, comment]``;
    choice → an option id; multichoice → a list of option ids; table → a list of
    ``{column: value}`` rows; matrix → ``{item: option id}``.
    """
    rows: list[Answer] = []
    for block_id, questions in answers.items():
        try:
            block = template.block(block_id)
        except KeyError:
            raise TemplateError(
                source,
                f"answers.{block_id}",
                f"dit blok staat niet in het sjabloon {template.name}",
            ) from None
        for question_id, value in questions.items():
            try:
                question = block.question(question_id)
            except KeyError:
                raise TemplateError(
                    source, f"answers.{block_id}.{question_id}", "deze vraag staat niet in het blok"
                ) from None
            try:
                rows.extend(_rows(block, question, value))
            except (TypeError, ValueError, AttributeError) as exc:
                raise TemplateError(
                    source, f"answers.{block_id}.{question_id}", f"past niet bij deze vraag: {exc}"
                ) from None
    return rows


def _rows(block: Block, question: Question, value: Any) -> list[Answer]:
    def one(
        text: str | None, item: str = "", field: str = "", number: float | None = None
    ) -> Answer:
        return Answer(block.id, question.id, text, item=item, field=field, value_num=number)

    if question.kind == "text":
        return [one(str(value), field="text")]
    options = {o.id for o in question.options}
    if question.kind == "choice":
        if value not in options:
            raise ValueError(f"{value!r} is geen optie; kies uit {', '.join(sorted(options))}")
        return [one(str(value), field="choice")]
    if question.kind == "multichoice":
        chosen = set(value)
        if chosen - options:
            raise ValueError(f"{sorted(chosen - options)} zijn geen opties")
        return [
            one("1" if o.id in chosen else "0", o.id, "selected", float(o.id in chosen))
            for o in question.options
        ]
    if question.kind == "scale":
        score, comment = value if isinstance(value, list) else [value, None]
        if score != UNKNOWN and not (
            isinstance(score, int) and question.scale_min <= score <= question.scale_max
        ):
            msg = f"{score!r} is geen score van {question.scale_min} tot {question.scale_max}"
            raise ValueError(msg)
        rows = [
            one(UNKNOWN, field="score")
            if score == UNKNOWN
            else one(str(int(score)), field="score", number=float(score))
        ]
        if comment:
            rows.append(one(str(comment), field="comment"))
        return rows
    if question.kind == "matrix":
        return [one(str(level), str(item), "level") for item, level in value.items()]
    scales = {c.id for c in question.columns if c.kind == "scale"}
    return [
        one(str(text), f"r{index}", column, float(text) if column in scales else None)
        for index, row in enumerate(value, start=1)
        for column, text in row.items()
    ]


def load_demo(store: Store, path: Path | str = DEMO_DIR) -> list[Session]:
    """Put the demo sessions in the store (a YAML file, or every ``*.yaml`` in a folder).

    A session that is already there is left as it is, so loading twice changes nothing.
    """
    path = Path(path)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return [load_session_file(store, file) for file in files]


def load_session_file(store: Store, path: Path) -> Session:
    """Put one session with its participants and answers from a YAML file in the store."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    info = data["session"]
    existing = store.find_session(info["code"])
    if existing is not None:
        return existing
    reference = str(info.get("template", DEFAULT_TEMPLATE))
    if reference not in builtin_templates():  # a file: next to the demo file, or as given
        beside = path.parent / reference
        reference = str((beside if beside.exists() else Path(reference)).resolve())
    session = store.create_session(
        info["title"],
        code=info["code"],
        network=info.get("network"),
        template=reference,
        trainer_key=info.get("trainer_key"),
        created_at=info.get("created_at"),
    )
    template = template_for(session, store)  # the answers follow the stored snapshot
    for person in data["participants"]:
        participant = store.join(
            session.code,
            person.get("name", ""),
            participant_id=person.get("id"),
            token=person.get("token"),
        )
        rows = answers_from_mapping(template, person.get("answers", {}), str(path))
        store.append(participant, rows, template_version=template.version)
    revealed = info.get("revealed", [])
    for block in [b.id for b in template.blocks] if revealed == "all" else revealed:
        store.set_revealed(session.code, block, True)
    return session
