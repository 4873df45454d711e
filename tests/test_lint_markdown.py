"""Every lint rule on plain Markdown lists: a failing and a passing case, exact positions."""

from __future__ import annotations

import pytest

from awesome_medad.config import Config
from awesome_medad.lint.runner import lint_documents
from awesome_medad.markdown import read_markdown
from awesome_medad.problems import Level, Problem


def lint(text: str, config: Config | None = None) -> list[Problem]:
    return lint_documents([read_markdown(text, "list.md")], config)


def only(problems: list[Problem], rule: str) -> list[tuple[int, int, Level]]:
    return [(p.line, p.column, p.level) for p in problems if p.rule == rule]


TOC = "# List\n## Contents\n- [A](#a)\n- [B](#b)\n"
E, W, N = Level.ERROR, Level.WARNING, Level.INFO

CASES = [
    # rule, failing text, expected findings, passing text
    ("anchor-missing", "# Brain MRI\n\nSee [x](#brain-mr).\n", [(3, 5, E)],
     "# Brain MRI\n\nSee [x](#brain-mri).\n"),
    ("anchor-missing", '<a name="anchor-1"></a>\n\n[x](#anchor-2)\n', [(3, 1, E)],
     '<a name="anchor-1"></a>\n\n[x](#anchor-1) [y](#top) [z](list.md#anchor-1)\n'),
    ("toc-missing", TOC + "## A\n- [p](https://x.org/a)\n## B\n- [q](https://x.org/b)\n"
     "## C\n- [r](https://x.org/c)\n", [(9, 1, W)],
     TOC + "- [C](#c)\n## A\n- [p](https://x.org/a)\n## B\n- [q](https://x.org/b)\n"
     "## C\n- [r](https://x.org/c)\n"),
    ("toc-order", "# List\n## Contents\n- [B](#b)\n- [A](#a)\n- [C](#c)\n## A\n- [p](https://x.org/a)\n"
     "## B\n- [q](https://x.org/b)\n## C\n- [r](https://x.org/c)\n", [(3, 3, W)],
     "# List\n## Contents\n- [A](#a)\n- [B](#b)\n- [C](#c)\n## A\n- [p](https://x.org/a)\n"
     "## B\n- [q](https://x.org/b)\n## C\n- [r](https://x.org/c)\n"),
    ("toc-label", "# L\n## Contents\n- [Brain](#brain-mri)\n- [CT](#ct)\n## Brain MRI\n"
     "- [p](https://x.org/a)\n## CT\n- [q](https://x.org/b)\n", [(3, 3, W)],
     "# L\n## Contents\n- [Brain MRI](#brain-mri)\n- [CT](#ct)\n## Brain MRI\n"
     "- [p](https://x.org/a)\n## CT\n- [q](https://x.org/b)\n"),
    ("duplicate-paper", "# L\n## A\n- [Deep SVDD](https://x.org/1)\n- [Deep  svdd.](https://x.org/2)\n",
     [(4, 1, E)], "# L\n## A\n- [Deep SVDD](https://x.org/1)\n- [Deep SAD](https://x.org/2)\n"),
    ("duplicate-paper", "# L\n## A\n- [One title](https://arxiv.org/abs/1806.04972)\n"
     "- [Another name](https://arxiv.org/pdf/1806.04972v2.pdf)\n", [(4, 1, E)],
     "# L\n## A\n- [One title](https://arxiv.org/abs/1806.04972)\n"
     "- [Another name](https://arxiv.org/abs/1806.04973)\n"),
    ("near-duplicate", "# L\n## A\n- [Deep Autoencoding Models for Anomaly Segmentation](https://x.org/1)"
     "\n- [Deep Autoencoding Model for Anomaly Segmentation](https://x.org/2)\n", [(4, 1, W)],
     "# L\n## A\n- [Deep Autoencoding Models for Anomaly Segmentation](https://x.org/1)"
     "\n- [Memory Augmented Networks for Retinal Screening](https://x.org/2)\n"),
    ("duplicate-url", "# L\n## A\n- [First paper](https://x.org/p.pdf)\n"
     "- [Second paper](http://www.x.org/p.pdf/)\n", [(4, 18, E)],
     "# L\n## A\n- [First paper](https://x.org/p.pdf)\n- [Second paper](https://x.org/q.pdf)\n"),
    ("cross-listed", "# L\n## A\n- [P-Net](https://x.org/p)\n## B\n- [P-Net](https://x.org/p)\n",
     [(5, 1, N)], "# L\n## A\n- [P-Net](https://x.org/p)\n## B\n- [Q-Net](https://x.org/q)\n"),
    ("url-malformed", "# L\n## A\n- T [pdf]() [x](www.example.com/a)\n", [(3, 11, E), (3, 17, E)],
     "# L\n## A\n- T [pdf](https://example.com/a)\n"),
    ("url-malformed", "# L\n## A\n- T [pdf](http://x.org/a b.pdf) [c](http://x.org/a_(b.pdf)\n",
     [(3, 5, E), (3, 33, E)], "# L\n## A\n- T [pdf](http://x.org/a%20b.pdf) [c](<http://x.org/a_(b.pdf>)\n"),
    ("url-malformed", "# L\n## A\n- T [pdf](https://x.org/a)b).pdf)\n", [(3, 11, E)],
     "# L\n## A\n- T [pdf](https://x.org/a(b).pdf) (see the [code](https://x.org/c))\n"),
    ("url-scheme", "# L\n## A\n- T [pdf](ftp://x.org/a.pdf)\n", [(3, 11, E)],
     "# L\n## A\n- T [pdf](https://x.org/a.pdf) [mail](mailto:a@x.org) [rel](docs/a.md)\n"),
    ("url-insecure", "# L\n## A\n- T [pdf](http://x.org/a.pdf)\n", [(3, 11, W)],
     "# L\n## A\n- T [pdf](https://x.org/a.pdf)\n"),
    ("link-repeated", "# L\n## A\n- [T](https://x.org/a) [pdf](https://x.org/a/)\n", [(3, 30, W)],
     "# L\n## A\n- [T](https://x.org/a) [pdf](https://x.org/a.pdf)\n"),
    ("section-empty", "# L\n## A\n## B\n- [T](https://x.org/a)\n", [(2, 1, W)],
     "# L\n## A\nComing soon.\n## B\n- [T](https://x.org/a)\n"),
    ("paper-no-link", "# L\n## A\n- Some Title [code](https://github.com/a/b)\n", [(3, 1, W)],
     "# L\n## A\n- Some Title [pdf](https://x.org/a.pdf) [code](https://github.com/a/b)\n"
     "- Not yet public [MICCAI'20]\n"),
    ("venue-year", "# L\n## 2019\n- [A] [A Title] [CVPR'20] [[pdf]](https://x.org/a.pdf)\n",
     [(3, 1, W)], "# L\n## 2019\n- [A] [A Title] [CVPR'19] [[pdf]](https://x.org/a.pdf)\n"),
]


@pytest.mark.parametrize(("rule", "failing", "expected", "passing"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fails_then_passes(rule: str, failing: str, expected: list[tuple[int, int, Level]],
                                passing: str) -> None:
    assert only(lint(failing), rule) == expected
    assert only(lint(passing), rule) == []


def test_did_you_mean_suggests_the_closest_anchor() -> None:
    found = [p for p in lint("# Brain MRI\n# Brain MRI\n\n[x](#brain-mri-2)\n")
             if p.rule == "anchor-missing"]
    assert found[0].hint == "did you mean #brain-mri-1?"
    assert found[0].message == "link to #brain-mri-2, which is not an anchor in this file"


def test_duplicate_points_at_both_places() -> None:
    text = "# L\n## A\n- [First paper](https://x.org/p.pdf)\n- [Second paper](https://x.org/p.pdf)\n"
    (problem,) = [p for p in lint(text) if p.rule == "duplicate-url"]
    assert (problem.line, problem.column) == (4, 18)
    assert [(r.line, r.column) for r in problem.related] == [(3, 17)]


def test_same_entry_twice_under_one_heading_is_an_error_not_cross_listing() -> None:
    text = "# L\n## A\n- [P-Net](https://x.org/p)\n- [P-Net](https://x.org/p)\n"
    assert [p.rule for p in lint(text)] == ["duplicate-paper"]


def test_inline_suppression_comment() -> None:
    text = "# L\n## A\n<!-- lint-ignore: url-insecure -->\n- T [pdf](http://x.org/a.pdf)\n"
    assert only(lint(text), "url-insecure") == []
    same_line = "# L\n## A\n- T [pdf](http://x.org/a.pdf) <!-- lint-ignore: url-insecure -->\n"
    assert only(lint(same_line), "url-insecure") == []


def test_config_levels_off_and_ignore_patterns() -> None:
    import re

    text = "# L\n## A\n- T [pdf](http://x.org/a.pdf)\n- U [pdf](http://y.org/b.pdf)\n"
    config = Config(rules={"url-insecure": Level.ERROR})
    assert only(lint(text, config), "url-insecure") == [(3, 11, E), (4, 11, E)]
    assert only(lint(text, Config(rules={"url-insecure": None})), "url-insecure") == []
    ignoring = Config(ignore_urls=(re.compile(r"^http://x\.org/"),))
    assert only(lint(text, ignoring), "url-insecure") == [(4, 11, W)]


def test_links_in_comments_and_code_are_not_checked() -> None:
    text = ("# L\n\n<!-- [old](#gone) [x](http://a b) -->\n\n```\n[y](#nowhere)\n```\n\n"
            "`[z](#nope)` and <!-- [w](ftp://x) -->\n")
    assert lint(text) == []


def test_shipped_seed_list_findings() -> None:
    from tests.conftest import FIXTURES

    text = (FIXTURES / "seed.md").read_text(encoding="utf-8")
    found = [(p.rule, p.line, p.column, p.level) for p in lint(text)]
    assert found == [
        ("toc-label", 21, 3, W),
        ("url-insecure", 49, 127, W),
        ("cross-listed", 52, 1, N),
        ("url-insecure", 52, 127, W),
    ]
