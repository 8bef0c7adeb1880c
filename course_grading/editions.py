"""Editions of an exercise: the same questions asked of other data.

A question in a master may declare the **parameters** its text, solution and tests take
(which state, which years, which series, which threshold) and the values they may take,
in its ``# BEGIN QUESTION`` raw cell::

    # BEGIN QUESTION
    name: q3
    points: 2
    params:
      - {country: Kazakhstan, last: 2014}     # the first set: the public edition
      - {country: Kyrgyzstan, last: 2014}
      - {country: Uzbekistan, last: 2012}
    check:
      q3: {kind: whole}

``params`` is either a list of parameter sets (each a mapping; every set names the same
parameters) or a mapping from each parameter to its list of values, which stands for
every combination of them (the first value of each list makes the first set). The
**first set is the public edition's** (the book's exercise pages and ``make exercises``);
a class edition draws one of the *other* sets for each question (:func:`draw`), so an
answer printed for the public edition is never a class edition's answer.

In the question's cells, from ``# BEGIN QUESTION`` to ``# END QUESTION`` (text,
solution and tests), ``{{ name }}`` stands for a parameter's value:

* in the BEGIN QUESTION cell's other settings (``check:``, an option's feedback), a
  setting that is only ``{{ name }}`` takes the value itself (a number stays a number),
  and longer texts have it written in (quote such YAML texts: ``"{{ a }}"``);

* in Markdown and raw cells, as text (``Kazakhstan``, ``2014``);
* in code cells, as a Python literal (``'Kazakhstan'``, ``2014``): write
  ``COUNTRY = {{ country }}`` once and use ``COUNTRY`` in f-strings and messages.

A ``{{ name }}`` outside a question, or naming a parameter its question does not declare,
is an error; so is a set that lacks a parameter another set has.

:func:`render` returns the master with one set chosen for each question and the
``params`` lists removed: an ordinary otter master, which :mod:`course_grading.assign`
builds as before. Nothing here is secret: a class edition's secrecy is in *which* set
each question takes, drawn from the class name and the instructor's secret.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import re
from typing import Any

__all__ = [
    "EditionError",
    "PLACEHOLDER",
    "question_params",
    "public_choice",
    "draw",
    "render",
    "edition_count",
]

#: ``{{ name }}``: a parameter's value in a question's cells.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_BEGIN = re.compile(r"#\s*BEGIN QUESTION\s*", re.IGNORECASE)
_END = re.compile(r"#\s*END QUESTION\s*", re.IGNORECASE)


class EditionError(ValueError):
    """A master's parameters are malformed; the message says where and how to fix it."""


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _first_line(cell: dict[str, Any]) -> str:
    lines = _source(cell).strip().splitlines()
    return lines[0].strip() if lines else ""


def _question_config(cell: dict[str, Any]) -> dict[str, Any] | None:
    if cell.get("cell_type") != "raw" or not _BEGIN.fullmatch(_first_line(cell)):
        return None
    import yaml

    text = "\n".join(_source(cell).strip().splitlines()[1:])
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise EditionError(f"a BEGIN QUESTION cell is not valid YAML ({exc})") from None


def _sets(name: str, params: Any) -> list[dict[str, Any]]:
    """The parameter sets of question ``name`` (``params`` as written in its config)."""
    if isinstance(params, dict):
        if not params or not all(isinstance(v, list) and v for v in params.values()):
            raise EditionError(
                f"question {name}: 'params' as a mapping must give each parameter a non-empty "
                "list of values, e.g. params: {country: [Kazakhstan, Kyrgyzstan]}"
            )
        keys = list(params)
        sets = [dict(zip(keys, combo)) for combo in itertools.product(*(params[k] for k in keys))]
    elif isinstance(params, list) and params and all(isinstance(s, dict) and s for s in params):
        sets = [dict(s) for s in params]
    else:
        raise EditionError(
            f"question {name}: 'params' must be a list of parameter sets "
            "(- {country: Kazakhstan, last: 2014}) or a mapping of lists"
        )
    keys = set(sets[0])
    for i, s in enumerate(sets):
        if set(s) != keys:
            raise EditionError(
                f"question {name}: parameter set {i + 1} names {sorted(s)}, the first names {sorted(keys)}"
            )
        for k, v in s.items():
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)):
                raise EditionError(f"question {name}: {k!r} is not a valid parameter name")
            if not isinstance(v, (str, int, float, bool)) and not (
                isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v)
            ):
                raise EditionError(
                    f"question {name}: parameter {k} = {v!r}: a value must be a text, a number, "
                    "or a list of them"
                )
    seen: set[str] = set()
    for s in sets:
        key = repr(sorted(s.items()))
        if key in seen:
            raise EditionError(f"question {name}: the parameter set {s} is listed twice")
        seen.add(key)
    return sets


def question_params(nb: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each parameterised question's name -> its parameter sets (the first: the public one)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for cell in nb.get("cells", []):
        config = _question_config(cell)
        if config and config.get("params") is not None:
            name = str(config.get("name", "?"))
            found[name] = _sets(name, config["params"])
    return found


def edition_count(nb: dict[str, Any]) -> dict[str, int]:
    """How many editions each parameterised question can take."""
    return {q: len(s) for q, s in question_params(nb).items()}


def public_choice(nb: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The public edition: the first parameter set of every question."""
    return {q: sets[0] for q, sets in question_params(nb).items()}


def draw(nb: dict[str, Any], exercise: str, edition: str, secret: bytes) -> dict[str, dict[str, Any]]:
    """A class (or student) edition: for each question, one of its sets *other than the
    public one*, chosen by HMAC-SHA256 of (exercise, edition, question) under ``secret``.
    The same inputs always give the same edition; without the secret it cannot be told
    which set a question took."""
    choice = {}
    for q, sets in question_params(nb).items():
        if len(sets) < 2:
            raise EditionError(
                f"{exercise}: question {q} has one parameter set: a class edition needs at "
                "least one more than the public one"
            )
        mac = hmac.new(secret, f"{exercise}\0{edition}\0{q}".encode(), hashlib.sha256).digest()
        choice[q] = sets[1 + int.from_bytes(mac[:8], "big") % (len(sets) - 1)]
    return choice


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(x) for x in value)
    return str(value)


def _substitute(source: str, values: dict[str, Any], literal: bool, where: str) -> str:
    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in values:
            raise EditionError(
                f"{where}: {{{{ {key} }}}} is not a parameter of this question "
                f"(it has {', '.join(sorted(values)) or 'none'})"
            )
        return repr(values[key]) if literal else _text(values[key])

    return PLACEHOLDER.sub(one, source)


def _in_config(value: Any, values: dict[str, Any], where: str) -> Any:
    """Placeholders in a question's config (its ``check:`` settings, say, an option's
    feedback): a text that is only ``{{ name }}`` takes the value itself (a number stays
    a number); in longer texts the value is written in."""
    if isinstance(value, dict):
        return {k: _in_config(v, values, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_config(v, values, where) for v in value]
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        return _substitute(value, values, False, where)
    return value


def render(nb: dict[str, Any], choice: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The master with ``choice`` (default: the public edition) put in: every placeholder
    replaced and the ``params`` lists removed from the question configs. ``nb`` is not
    changed."""
    choice = public_choice(nb) if choice is None else choice
    out = copy.deepcopy(nb)
    current: str | None = None
    values: dict[str, Any] = {}
    for i, cell in enumerate(out.get("cells", [])):
        config = _question_config(cell)
        if config is not None:
            current = str(config.get("name", "?"))
            values = choice.get(current, {}) if config.get("params") is not None else {}
            if config.get("params") is not None and current not in choice:
                raise EditionError(f"question {current}: no parameter set chosen")
            if "params" in config:
                import yaml

                del config["params"]
                config = _in_config(config, values, f"question {current}, its BEGIN QUESTION cell")
                head = _first_line(cell)
                body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
                cell["source"] = f"{head}\n{body}"
            continue
        src = _source(cell)
        if cell.get("cell_type") == "raw" and _END.fullmatch(_first_line(cell)):
            current, values = None, {}
            continue
        if not PLACEHOLDER.search(src):
            continue
        if current is None:
            raise EditionError(
                f"cell {i}: {PLACEHOLDER.search(src).group(0)} outside a question: parameters "
                "belong to the question between BEGIN QUESTION and END QUESTION"
            )
        where = f"question {current}, cell {i}"
        cell["source"] = _substitute(src, values, cell.get("cell_type") == "code", where)
    return out


def write_rendered(master: Any, folder: Any, choice: dict[str, dict[str, Any]] | None = None) -> Any:
    """Write ``master`` rendered with ``choice`` (default: the public edition) to
    ``folder/<same name>``, an ordinary otter master; return its path."""
    import json
    from pathlib import Path

    master, folder = Path(master), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / master.name
    rendered = render(json.loads(master.read_text(encoding="utf-8")), choice)
    out.write_text(json.dumps(rendered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def execute_master(path: Any, timeout: int = 120) -> int:
    """Store the public edition's outputs in a parameterised master: render it, run the
    rendered copy top to bottom (nbclient) and copy each code cell's outputs back into the
    master (the cells correspond one to one). nbval then checks the master through its
    rendered copy (``tests/test_grading.py``). Returns the number of code cells run."""
    import json
    import tempfile
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    rendered = nbformat.reads(json.dumps(render(nb)), as_version=4)
    with tempfile.TemporaryDirectory(prefix="master-run-") as tmp:
        client = NotebookClient(
            rendered, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": tmp}}
        )
        client.execute()
    count = 0
    for mine, ran in zip(nb["cells"], rendered.cells):
        if mine.get("cell_type") == "code":
            mine["outputs"] = [nbformat.from_dict(o) for o in ran.get("outputs", [])]
            mine["execution_count"] = ran.get("execution_count")
            count += 1
    nbformat.write(nbformat.from_dict(nb), str(path))  # as Jupyter saves it
    return count


if __name__ == "__main__":  # python -m course_grading.editions --execute MASTER.ipynb ...
    import sys

    args = sys.argv[1:]
    if not args or args[0] != "--execute" or len(args) < 2:
        print("usage: python -m course_grading.editions --execute exercises/masters/NAME.ipynb ...")
        sys.exit(2)
    for p in args[1:]:
        print(f"editions: {p}: stored the public edition's outputs of {execute_master(p)} code cells")
