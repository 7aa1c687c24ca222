"""The project's own files name the same dependencies, and its public surface is stable."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import netwerk_widgets

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_and_pyproject_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    named = {_name(d) for d in conda if isinstance(d, str)} - {"python", "pip"}
    assert named == wanted


def test_public_namespace_does_not_change_by_accident() -> None:
    assert sorted(netwerk_widgets.__all__) == [
        "NetwerkError",
        "SessionError",
        "Store",
        "StoreError",
        "Template",
        "TemplateError",
        "builtin_templates",
        "list_sessions",
        "load_answers",
        "load_participants",
        "load_template",
        "open_store",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < readme.index("make test") < readme.index("environment.yml")
