"""The house rules on size, read from the code: no product function over 50 lines, no product
module over 300 lines doing two jobs, and no Meta host named outside meta/.

A long function or module is split by what it does (a module's name says its one job); these
tests name each offender with its length, so the split is where to start. Blank lines,
comments and docstrings count: they are read too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("accounts", "collector", "insights", "meta", "publishing", "webhooks", "socialdatalab")
MAX_FUNCTION_LINES = 50
MAX_MODULE_LINES = 300
# Longer, and still one job each: Django's one settings module, and each app's models (its tables
# with their choices and querysets: Django finds models in models.py, and migrations read them
# there). Anything else in them that grows is moved out; the list does not grow.
ONE_JOB = {
    "socialdatalab/settings.py",
    "accounts/models.py",
    "collector/models.py",
    "insights/models.py",
    "publishing/models.py",
}
# meta/ holds the Graph hosts; settings hands allauth's Facebook provider its two URLs.
HOSTS = ("FACEBOOK_GRAPH", "INSTAGRAM_GRAPH", "INSTAGRAM_API", "INSTAGRAM_WWW", "FACEBOOK_WWW", "RUPLOAD")
HOSTS_ALLOWED = {"socialdatalab/settings.py"}


def product_modules() -> Iterator[Path]:
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From its first decorator to its last line."""
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return (node.end_lineno or node.lineno) - first + 1


def test_it_finds_the_product_modules() -> None:
    found = {path.relative_to(ROOT).parts[0] for path in product_modules()}
    assert found == set(PRODUCT)


def test_no_product_function_is_over_50_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length(node)} lines)"
        for path in product_modules()
        for node in functions(ast.parse(path.read_text(), str(path)))
        if length(node) > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_no_product_module_is_over_300_lines_unless_it_has_one_job() -> None:
    long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in product_modules()
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
        and str(path.relative_to(ROOT)) not in ONE_JOB
    ]
    assert long == []


def test_no_module_outside_meta_names_a_meta_host() -> None:
    """A module that names a Graph host is building a URL to Meta: that is meta/'s job."""
    naming = [
        f"{path.relative_to(ROOT)}: {name.id}"
        for path in product_modules()
        if path.relative_to(ROOT).parts[0] != "meta" and str(path.relative_to(ROOT)) not in HOSTS_ALLOWED
        for name in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(name, ast.Name) and name.id in HOSTS
    ]
    assert naming == []
