"""otter-grader's exception-based test files, read and run without otter.

The exercises' tests are written in otter's format (``otter assign`` writes them from the
masters, and the autograder zip for Gradescope or ``otter grade`` holds them)::

    from otter.test_files import test_case

    OK_FORMAT = False

    name = "q1"
    points = 1

    @test_case(points=0, hidden=False)
    def test_q1_form(q1):
        ...

A test case passes unless it raises. This module reads such a file and runs it with
the same rules as otter 7 (``otter.test_files.exception_test`` and
``abstract_test.TestFile``): each test function gets the answer variables its
parameters name (``None`` for a missing one); points are shared out as otter shares
them; the failure message ends with the exception's own line (``Hint: ...``).
``tests/test_grading.py`` checks that the scores equal ``otter run``'s.

It needs no otter, so the same code runs a learner's ``grader.check("q1")`` (in
JupyterLab, JupyterLite or Colab) and the grader's clean scoring process. A test file is
trusted code (it comes from the course's masters); the values it runs on are not.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["TestCase", "CaseResult", "TestFile", "parse", "CheckFileError", "parameters"]


class CheckFileError(ValueError):
    """A test file that is not in otter's exception-based format."""


class test_case:  # noqa: N801 - the name otter's test files use
    """Stand-in for ``otter.test_files.test_case``: records a test function and its settings."""

    def __init__(
        self,
        name: str | None = None,
        points: float | None = None,
        hidden: bool = False,
        success_message: str | None = None,
        failure_message: str | None = None,
    ):
        self.name = name
        self.points = points
        self.hidden = hidden
        self.success_message = success_message
        self.failure_message = failure_message
        self.test_func: Callable[..., Any] = lambda: None

    def __call__(self, test_func: Callable[..., Any]) -> test_case:
        self.test_func = test_func
        return self


@dataclass(frozen=True)
class TestCase:
    name: str
    func: Callable[..., Any] = field(repr=False)
    points: float
    hidden: bool
    params: tuple[str, ...]
    success_message: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True)
class CaseResult:
    case: TestCase
    passed: bool
    message: str


def parameters(func: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(inspect.signature(func).parameters)


def _resolve_points(total: Any, cases: list[TestCase]) -> list[TestCase]:
    """otter's ``TestFile.resolve_test_file_points``, rule for rule."""
    if isinstance(total, list):
        if len(total) != len(cases):
            raise CheckFileError("points lists a different number of values than there are test cases")
        cases = [replace(c, points=p) for c, p in zip(cases, total)]
        total = None
    elif total is not None and not isinstance(total, (int, float)):
        raise CheckFileError(f"points has an invalid type: {type(total).__name__}")
    given = [c.points for c in cases]
    for p in given:
        if p is not None and type(p) not in (int, float):
            raise CheckFileError(f"a test case has points of type {type(p).__name__}")
    pre = sum(p for p in given if p is not None)
    unset = sum(p is None for p in given)
    if total is not None:
        if pre > total:
            raise CheckFileError("the test cases specify more points than the question has")
        per = (total - pre) / unset if unset else 0.0
    elif pre == 0 and all(p in (0, None) for p in given):
        per = 1 / unset if unset else 0.0
    else:
        per = 0.0
    return [replace(c, points=c.points if c.points is not None else per) for c in cases]


@dataclass
class TestFile:
    """One question's tests: run them on answer values, then read the score."""

    name: str
    path: str
    cases: list[TestCase]
    source: str = ""
    all_or_nothing: bool = False

    @property
    def possible(self) -> float:
        return float(sum(c.points for c in self.cases))

    @property
    def variables(self) -> list[str]:
        """The answer variables the tests take, in order of first use."""
        seen: dict[str, None] = {}
        for c in self.cases:
            for p in c.params:
                seen.setdefault(p, None)
        return list(seen)

    def public(self) -> TestFile:
        return replace(self, cases=[c for c in self.cases if not c.hidden])

    def run(self, env: dict[str, Any]) -> list[CaseResult]:
        results = []
        for case in self.cases:
            try:
                case.func(**{p: (env if p == "env" else env.get(p)) for p in case.params})
            except Exception as exc:  # a failing test raises; so does a test that breaks
                results.append(CaseResult(case, False, "❌ Test case failed\n" + self._message(exc)))
            else:
                results.append(CaseResult(case, True, "✅ Test case passed"))
        return results

    def score(self, results: list[CaseResult]) -> float:
        passed = sum(r.case.points for r in results if r.passed)
        if self.all_or_nothing:
            return self.possible if all(r.passed for r in results) else 0.0
        return float(passed)

    def _message(self, exc: BaseException) -> str:
        """As otter words it: the line of the test that raised, then ``Type: message``."""
        lines = self.source.split("\n")
        lineno = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.path:
                lineno = tb.tb_lineno
                break
            tb = tb.tb_next
        text = str(exc).strip("'")
        if lineno is None:
            return f"Error in test {self.name}:\n{type(exc).__name__}: {text}"
        shown = "  " + lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        return f"Error at line {lineno} in test {self.name}:\n{shown}\n{type(exc).__name__}: {text}"


def _strip_otter_import(tree: ast.Module, path: str) -> ast.Module:
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "otter":
            if node.module != "otter.test_files" or [a.name for a in node.names] != ["test_case"]:
                raise CheckFileError(
                    f"{path}: imports {node.module}, which the course's checks do not provide"
                )
            continue
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "otter" for a in node.names):
            raise CheckFileError(f"{path}: imports otter, which the course's checks do not provide")
        body.append(node)
    tree.body = body
    return tree


def parse(source: str, path: str = "<test file>") -> TestFile:
    """Read an otter exception-based test file (``source``) into a :class:`TestFile`."""
    try:
        tree = _strip_otter_import(ast.parse(source, filename=path), path)
    except SyntaxError as exc:
        raise CheckFileError(f"{path}: not valid Python ({exc.msg}, line {exc.lineno})") from None
    env: dict[str, Any] = {"test_case": test_case, "__name__": f"course_check_{path}"}
    exec(compile(tree, path, "exec"), env)
    name = env.get("name")
    if not isinstance(name, str):
        raise CheckFileError(f"{path}: the test file does not set name = '...'")
    cases = []
    for value in list(env.values()):
        if isinstance(value, test_case):
            cases.append(
                TestCase(
                    name=value.name or f"{name} - {len(cases) + 1}",
                    func=value.test_func,
                    points=value.points,
                    hidden=bool(value.hidden),
                    params=parameters(value.test_func),
                    success_message=value.success_message,
                    failure_message=value.failure_message,
                )
            )
    return TestFile(
        name=name,
        path=path,
        cases=_resolve_points(env.get("points"), cases),
        source=source,
        all_or_nothing=bool(env.get("all_or_nothing", False)),
    )
