"""The formatting step the generator runs over everything it renders."""

from __future__ import annotations

import pytest

from trunkline.codegen.format import FormatError, format_sources


def test_sources_come_back_formatted_under_their_names() -> None:
    """Each source is returned under its own path, formatted with the project's settings."""
    sources = {
        "a/b.py": "x = {'k':1,\n  'v':[1,2]}\n",
        "c.py": "def f( a ):\n  return a\n",
    }
    assert format_sources(sources) == {
        "a/b.py": 'x = {"k": 1, "v": [1, 2]}\n',
        "c.py": "def f(a):\n    return a\n",
    }


def test_long_calls_are_wrapped_at_100_columns() -> None:
    """A call longer than 100 columns is split, as the repository's own code is."""
    args = ", ".join(f"argument_{i}" for i in range(12))
    out = format_sources({"m.py": f"value = function({args})\n"})["m.py"]
    assert max(len(line) for line in out.splitlines()) <= 100
    assert out.count("\n") > 1


def test_a_syntax_error_is_a_format_error_without_the_scratch_folder() -> None:
    """Rendered code that does not parse raises FormatError naming the problem, not a temp path."""
    with pytest.raises(FormatError, match="could not format") as caught:
        format_sources({"bad.py": "def f(:\n"})
    assert "trunkline-format-" not in str(caught.value)


def test_nothing_to_format_starts_no_process() -> None:
    """An empty set of sources is returned as is."""
    assert format_sources({}) == {}
