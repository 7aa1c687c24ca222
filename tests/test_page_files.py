"""Page files from memory (:mod:`netwerk_widgets._voila`): the lookup keeps to its folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from netwerk_widgets._voila import (
    PAGE_FILES_LIST,
    PageFile,
    chunk_bundle,
    find_in,
    read_page_files_list,
    safe_relative_path,
)


@pytest.mark.parametrize(
    "path", ["", "..", "../x.js", "a/../../x.js", "/etc/passwd", "a\\..\\x.js", "a\0.js", "."]
)
def test_paths_that_leave_the_folder_are_refused(path: str) -> None:
    assert safe_relative_path(path) is None


def test_first_folder_wins_as_in_voila(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "x.js").write_text(folder.name)
    (second / "y.js").write_text("b")
    roots = [str(first), str(second)]
    assert find_in(roots, "sub/x.js") == str(first / "sub" / "x.js")
    assert find_in(roots, "sub/../y.js") == str(second / "y.js")
    assert find_in(roots, "sub") is None  # a folder is not a file
    assert find_in(roots, "../a/sub/x.js") is None


def test_small_or_binary_files_are_not_compressed(tmp_path: Path) -> None:
    (tmp_path / "big.js").write_text("var x = 1;\n" * 500)
    (tmp_path / "small.css").write_text("a{}")
    (tmp_path / "font.woff2").write_bytes(bytes(range(256)) * 20)
    big = PageFile.read(str(tmp_path / "big.js"))
    assert big.gzipped and len(big.gzipped) < len(big.body) / 10
    assert big.content_type == "text/javascript; charset=UTF-8"
    assert PageFile.read(str(tmp_path / "small.css")).gzipped is None
    font = PageFile.read(str(tmp_path / "font.woff2"))
    assert font.gzipped is None and font.content_type == "font/woff2"


def test_chunks_run_each_in_their_own_function_in_the_listed_order(tmp_path: Path) -> None:
    (tmp_path / "1.js").write_text('"use strict";(self.c=self.c||[]).push([[1],{}])')
    (tmp_path / "2.js").write_text("(self.c=self.c||[]).push([[2],{}]) //# sourceMappingURL=x")
    bundle = chunk_bundle(["2.js", "weg.js", "1.js"], lambda p: find_in([str(tmp_path)], p))
    assert bundle.decode() == (
        ";(function () {\n(self.c=self.c||[]).push([[2],{}]) //# sourceMappingURL=x\n})();\n"
        ';(function () {\n"use strict";(self.c=self.c||[]).push([[1],{}])\n})();\n'
    )


def test_the_recorded_list_names_chunks_only(tmp_path: Path) -> None:
    chunks = read_page_files_list(PAGE_FILES_LIST)
    assert len(chunks) > 50 and len(set(chunks)) == len(chunks)
    assert all(c.startswith(("static/", "labextensions/")) and c.endswith(".js") for c in chunks)
    assert not any(c.endswith("/voila.js") or "/remoteEntry." in c for c in chunks)
    (tmp_path / "list.txt").write_text("# note\nstatic/1.js  # why\n\nstatic/2.js\n")
    assert read_page_files_list(tmp_path / "list.txt") == ["static/1.js", "static/2.js"]
