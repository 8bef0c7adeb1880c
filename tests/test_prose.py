"""course.prose: glue that MyST-NB reads, and refuses values that would mislead in the text."""

from __future__ import annotations

import ast
from unittest import mock

import pytest

from course import prose


def captured(values: dict) -> list[tuple[dict, dict]]:
    with mock.patch.object(prose, "display") as shown:
        prose.glue_all(values)
    return [(c.args[0], c.kwargs["metadata"]) for c in shown.call_args_list]


def test_glue_writes_what_myst_nb_reads():
    ((data, meta),) = captured({"iran_first": 2019})
    assert meta == {"scrapbook": {"name": "iran_first", "mime_prefix": prose.GLUE_PREFIX}}
    assert list(data) == [prose.GLUE_PREFIX + "text/plain"]
    # MyST-NB's {glue:text} role literal-evals the stored text/plain
    assert ast.literal_eval(data[prose.GLUE_PREFIX + "text/plain"]) == "2019"


def test_myst_nb_glue_writes_the_same():
    myst_glue = pytest.importorskip("myst_nb").glue
    with mock.patch("myst_nb.ext.glue.ipy_display") as shown:
        myst_glue("x", "2.6", display=False)
    ours = captured({"x": "2.6"})[0]
    assert shown.call_args.args[0] == ours[0]
    assert shown.call_args.kwargs["metadata"]["scrapbook"] == ours[1]["scrapbook"]


def test_text_formats_integers_and_keeps_strings():
    assert prose.text(2030) == "2030"  # a year; a views function writes a count as f"{n:,}"
    assert prose.text("0.5") == "0.5"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2.5, "format the float"),
        (float("nan"), "NaN"),
        (True, "True/False"),
        ("  ", "empty"),
        ([1], "cannot glue a list"),
    ],
)
def test_refuses_values_that_would_mislead(value, message):
    with pytest.raises(TypeError, match=message):
        prose.text(value)


def test_glue_all_checks_everything_before_writing():
    with mock.patch.object(prose, "display") as shown, pytest.raises(TypeError):
        prose.glue_all({"ok": 1, "bad": 1.5})
    shown.assert_not_called()
    with pytest.raises(ValueError, match="identifier"):
        prose.glue_all({"not ok": 1})
    with pytest.raises(ValueError, match="empty"):
        prose.glue_all({})


@pytest.mark.parametrize(
    ("years", "phrase", "every"),
    [
        ([2019, 2022, 2023, 2024, 2025], "2019 and every year from 2022 to 2025", False),
        ([2025, 2019, 2020, 2021, 2022, 2023, 2024, 2022], "every year from 2019 to 2025", True),
        ([2016, 2024], "2016 and 2024", False),
        ([2016, 2017], "2016 and 2017", True),
        ([2012, 2013, 2014, 2016, 2019, 2020], "every year from 2012 to 2014, 2016, 2019 and 2020", False),
        ([2019], "2019", False),
    ],
)
def test_years_phrase_never_overstates(years, phrase, every):
    assert prose.years_phrase(years) == phrase
    assert prose.held_every_year(years) is every


def test_years_phrase_and_number_word_refuse_bad_input():
    with pytest.raises(ValueError, match="no years"):
        prose.years_phrase([])
    assert prose.number_word(7) == "seven" and prose.number_word(13) == "13"
    for bad in (-1, 2.0, True):
        with pytest.raises(ValueError, match="count"):
            prose.number_word(bad)
