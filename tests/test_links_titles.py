"""Page titles and the tolerant title comparison behind ``link-mismatch``."""

from __future__ import annotations

import pytest

from awesome_medad.links.titles import any_title_matches, page_title, titles_match

ENTRY = "Unsupervised Detection of Lesions in Brain MRI using constrained adversarial auto-encoders"


@pytest.mark.parametrize(("html", "expected"), [
    ('<title>Site</title><meta name="citation_title" content="The Paper &amp; More">',
     "The Paper & More"),
    ('<meta property="og:title" content="OG  title"><title>T</title>', "OG title"),
    ("<html><head><title>\n  Plain\n  title </title></head>", "Plain title"),
    ("<html><body>no title</body>", None),
    ('<meta name="CITATION_TITLE" content="Upper">', "Upper"),
])
def test_page_title_prefers_citation_then_og_then_title(html: str, expected: str | None) -> None:
    assert page_title(html) == expected


@pytest.mark.parametrize("page", [
    ENTRY,
    ENTRY.upper(),
    "[1806.04972] Unsupervised Detection of Lesions in Brain MRI",  # arXiv, shortened
    "Unsupervised Detection of Lesions in Brain MRI Using Constrained Adversarial "
    "Auto-Encoders | SpringerLink",
    "Unsupervised detection of lesions in brain MRI using constrained adversarial autoencoders",
    "ScienceDirect",  # too short to say anything
    "Just a moment...",
])
def test_same_paper_or_uninformative_page_matches(page: str) -> None:
    assert titles_match(ENTRY, page)


@pytest.mark.parametrize("page", [
    "Deep Residual Learning for Image Recognition",
    "Attention Is All You Need - arXiv",
    "GitHub - someone/unrelated-project: a tool for parsing logs",
])
def test_another_paper_is_a_mismatch(page: str) -> None:
    assert not titles_match(ENTRY, page)


def test_markup_and_accents_are_ignored() -> None:
    assert titles_match("Unsupervised Anomaly Detection with GANs (**AnoGAN**) for Markers",
                        "Unsupervised anomaly detection with GANs (AnoGAN) for markers")
    assert titles_match("Détection d'anomalies en imagerie médicale",
                        "Detection d anomalies en imagerie medicale")


def test_a_shared_url_matches_if_any_entry_matches() -> None:
    assert any_title_matches(("Other paper about cats entirely", ENTRY), ENTRY)
    assert any_title_matches((), "anything at all here")
