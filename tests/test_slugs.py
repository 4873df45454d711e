"""GitHub heading anchors.

``SLUGGER_FIXTURES`` is derived from github-slugger's ``test/fixtures.json``
(the cases GitHub's own anchors are checked against), run in order through
one slugger as that suite does; the Markdown table adds headings with markup
(inline code, links, images, entities) whose anchors GitHub shows.
"""

from __future__ import annotations

import pytest

from awesome_medad.markdown import read_markdown
from awesome_medad.slugs import Slugger, slug

SLUGGER_FIXTURES = [
    ("alpha", "alpha"),
    ("alpha", "alpha-1"),
    ("bravoCharlieDelta", "bravocharliedelta"),
    ("__proto__", "__proto__"),
    ("__proto__", "__proto__-1"),
    ("hasOwnProperty", "hasownproperty"),
    ("echo", "echo"),
    ("echo", "echo-1"),
    ("echo 1", "echo-1-1"),
    ("echo-1", "echo-1-2"),
    ("echo", "echo-2"),
    ("foxtrot-1", "foxtrot-1"),
    ("foxtrot", "foxtrot"),
    ("foxtrot", "foxtrot-2"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    ("heading with a period.txt", "heading-with-a-periodtxt"),
    ("exchange.bind_headers(exchange, routing [, bindCallback])",
     "exchangebind_headersexchange-routing--bindcallback"),
    (" ", "-"),
    (" a", "-a"),
    ("a ", "a-"),
    (" a ", "-a-"),
    ("-a-", "-a--1"),
    ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
    ("golf", "golf"),
    ("golf", "golf-1"),
    ("golf", "golf-2"),
    ("I ♥ unicode", "i--unicode"),
    ("dash-dash", "dash-dash"),
    ("en–dash", "endash"),
    ("em–dash", "emdash"),
    ("😄 unicode emoji", "-unicode-emoji"),
    ("😄-😄 unicode emoji", "--unicode-emoji"),
    ("😄_😄 unicode emoji", "_-unicode-emoji"),
    ("😄 - an emoji", "---an-emoji"),
    (":smile: - a gemoji", "smile---a-gemoji"),
    ("Привет", "привет"),
    ("Профили пользователей", "профили-пользователей"),
    ("Привет non-latin 你好", "привет-non-latin-你好"),
    (":ok: No underscore", "ok-no-underscore"),
    (":ok_hand: Single", "ok_hand-single"),
    (":ok_hand::hatched_chick: Two in a row with no spaces",
     "ok_handhatched_chick-two-in-a-row-with-no-spaces"),
    (":ok_hand: :hatched_chick: Two in a row", "ok_hand-hatched_chick-two-in-a-row"),
    ("a) ] } ༻ ༽ ᚜ ⁆ ⁾ ₎ ⌉ ⌋ 〉b", "a-----------b"),
    ("a_ ‿ ⁀ ⁔ ︳ ︴ ﹍ ﹎ ﹏ ＿b", "a_-‿-⁀-⁔-︳-︴-﹍-﹎-﹏-＿b"),
    ("a$ ¢ £ ¤ ¥ ֏ ؋b", "a------b"),
    ("a0 1 3 4 ١ ٢ ० २b", "a0-1-3-4-١-٢-०-२b"),
    ("a҈ ҉ ᪾ ⃝b", "a҈-҉-᪾-⃝b"),
    ("a² ¹ ½ ৴ ① ⑥b", "a-----b"),
    ("aᛮ ᛯ Ⅰ Ⅱ ⅰb", "aᛮ-ᛯ-ⅰ-ⅱ-ⅰb"),
    ("a\u2028b", "ab"),
    ("a\u2029b", "ab-1"),
    ("a\u00a0\u2003b", "ab-2"),
    ("aⓔ Ⓔ ⓘ 🄺 🅙 ¦ №b", "aⓔ-ⓔ-ⓘ-🄺-🅙--b"),
]


def test_github_slugger_fixtures_in_order() -> None:
    slugger = Slugger()
    assert [(text, slugger.slug(text)) for text, _ in SLUGGER_FIXTURES] == SLUGGER_FIXTURES


MARKDOWN_HEADINGS = [
    ("A & B", "a--b"),
    ("A &amp; B", "a--b-1"),
    ("Key: value", "key-value"),
    ("v1.2.3 release", "v123-release"),
    ("input/output", "inputoutput"),
    ("Use `foo()` here", "use-foo-here"),
    ("[Link text](https://x.org) and more", "link-text-and-more"),
    ("![logo](logo.png) Title", "-title"),
    ("**Bold** and _it_", "bold-and-it"),
    ("😄 Emoji first", "-emoji-first"),
    ("Привет мир", "привет-мир"),
    ("异常检测 综述", "异常检测-综述"),
    ("Café déjà vu", "café-déjà-vu"),
    ("foo", "foo"),
    ("foo", "foo-1"),
    ("foo 1", "foo-1-1"),
    ("Chest X-Ray in CT", "chest-x-ray-in-ct"),
    ("Out-of-Distribution (OOD) Detection", "out-of-distribution-ood-detection"),
]


def test_markdown_heading_anchors() -> None:
    text = "".join(f"## {heading}\n\ntext\n\n" for heading, _ in MARKDOWN_HEADINGS)
    doc = read_markdown(text, "a.md")
    assert [(h.line, h.anchor) for h in doc.headings] == [
        (1 + 4 * i, anchor) for i, (_, anchor) in enumerate(MARKDOWN_HEADINGS)]


@pytest.mark.parametrize(("text", "expected"), [("Brain MRI", "brain-mri"), ("", "")])
def test_slug_function(text: str, expected: str) -> None:
    assert slug(text) == expected
