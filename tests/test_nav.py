"""The navigation as data (safeguide.core.nav), on its own: chapters and modules read from a nav, and a release's
nav checked exactly as MkDocs 1.6 checks mkdocs.yml's (core has no MkDocs import, so it has its own check)."""

from __future__ import annotations

from typing import Any

import pytest
from mkdocs.config import config_options
from mkdocs.config.base import ValidationError

from safeguide.core import nav

NAV: list[Any] = [
    {"Home": "index.md"},
    {"Guidance": ["why-share.md", {"Consent": "consent.md"}, {"More": ["x.md"]}, "law.md"]},
    {"Learn": ["learn/index.md", {"Module one": "learn/one.md"}, "learn/two.md", "learn/README.md"]},
    "about.md",
]


def test_chapters_and_modules_from_a_nav() -> None:
    assert nav.numbers_from_nav(NAV, "Guidance") == {"why-share.md": 1, "consent.md": 2, "law.md": 3}
    assert nav.modules_from_nav(NAV, "Learn") == [nav.Module("learn/one.md", "Module one"), nav.Module("learn/two.md", "")]
    assert nav.numbers_from_nav(NAV, "Missing") == {} and nav.modules_from_nav(NAV, "Missing") == []


@pytest.mark.parametrize(
    "value",
    [
        NAV,
        [],
        None,
        "index.md",
        {"Home": "index.md"},
        [{"Home": "index.md", "Other": "x.md"}],
        [3],
        [{"Section": [{"a": "a.md"}, 4]}],
        [{"Section": {"Inner": "x.md"}}],
        [{"Section": None}],
        [{"External": "https://example.org/"}],
    ],
)
def test_a_nav_is_checked_as_mkdocs_checks_it(value: Any) -> None:
    try:
        expected: Any = config_options.Nav().validate(value)
        mkdocs_error = None
    except ValidationError as e:
        mkdocs_error = str(e)
    if mkdocs_error is None:
        assert nav.checked_nav(value) == expected
    else:
        with pytest.raises(nav.NavError) as raised:
            nav.checked_nav(value)
        assert str(raised.value) == mkdocs_error
