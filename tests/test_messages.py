"""The interface catalogues, and that Python code knows no built-in template ids."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from netwerk_widgets.messages import Messages, catalogue, messages
from netwerk_widgets.templates import LANGUAGES, builtin_templates, load_template

PACKAGE = Path(__file__).resolve().parent.parent / "netwerk_widgets"
# A key named in code: m("results.no_answers"), messages(x)("worker.unavailable"), ...
KEY_IN_CODE = re.compile(r"""\(\s*f?["']((?:[a-z_]+\.)+[a-z_{}]+)["']""")


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    dutch = catalogue("nl")
    for language in LANGUAGES:
        other = catalogue(language)
        assert set(other) == set(dutch), language
        for key, text in other.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            expected = {f for _, f, _, _ in string.Formatter().parse(dutch[key]) if f}
            assert fields == expected, (language, key)


def test_every_key_named_in_the_code_exists() -> None:
    known = set(catalogue("nl"))
    sections = {k.split(".")[0] for k in known}
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for key in KEY_IN_CODE.findall(path.read_text(encoding="utf-8")):
            if key.split(".")[0] not in sections:
                continue  # not a message key (SQL, a file name, ...)
            if "{" in key:  # an f-string key: its fixed start must exist
                prefix = key.split("{", 1)[0]
                if not any(k.startswith(prefix) for k in known):
                    missing.append((path.name, key))
            elif key not in known:
                missing.append((path.name, key))
    assert missing == []


def test_unknown_language_falls_back_to_dutch() -> None:
    assert messages("fr").language == "nl"
    assert Messages("en")("results.no_answers") == "No answers yet."
    assert Messages("en").number(3.25, 2) == "3.25" and Messages("nl").number(3.25, 2) == "3,25"
    with pytest.raises(KeyError):
        messages("nl")("no.such.key")


def _literals(path: Path) -> set[str]:
    """String constants in code, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_python_code_knows_no_block_question_or_option_id_of_the_builtin_templates() -> None:
    ids: set[str] = set()
    for name in builtin_templates():
        template = load_template(name)
        for block in template.blocks:
            ids.add(block.id)
            for question in block.questions:
                ids.add(question.id)
                ids.update(o.id for o in question.options)
                ids.update(c.id for c in question.columns)
                ids.update(o.id for c in question.columns for o in c.options)
    # Ids that are also ordinary words of the code's own vocabulary.
    # ("register" is also a function name and a chart field, "ja"/"nee" are yes/no words.)
    ids -= {"text", "kind", "name", "role", "question", "value", "register", "ja", "nee"}
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "demo.py":  # loads the demo's answers, which name their questions
            continue
        hits = _literals(path) & ids
        if hits:
            found[str(path.relative_to(PACKAGE))] = sorted(hits)
    assert found == {}
