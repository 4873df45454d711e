"""Venues and their years: the one place that says what a year looks like in a venue.

The list writes venues as ``MIDL'18``, ``CVPR' 19``, ``arxiv, 2020`` or
``Medical Imaging 2017: Image Processing``; the importer, the Markdown reader,
the linters, the metadata fetcher and the exports all need to find that year
(or strip it, or tell a venue from a title), and they must agree on it::

    >>> year_from_venue("MIDL'18"), year_from_venue("arxiv, 2020")
    (2018, 2020)
    >>> is_venue("CVPR 2023"), is_venue("Deep learning for everything")
    (True, False)
    >>> venue_name("MIDL'18")
    'MIDL'

Standard library only: the Markdown reader and ``medad stats`` import this
module eagerly and must stay cheap to import.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_YYYY = r"(?:19|20)\d\d"
_YY = r"'\s?\d\d"
#: A four-digit year not part of a longer number: ``2019`` in ``CVPR 2019`` or ``MICCAI2019``.
FULL_YEAR = rf"(?<!\d){_YYYY}(?!\d)"
#: An abbreviated year after an apostrophe: ``MIDL'18``, ``ICCV' 99``.
SHORT_YEAR = rf"{_YY}(?!\d)"
#: The same two, standing as words of their own: what the Markdown reader asks of a venue
#: field, so that a citation key such as ``chen2018deep`` is not taken for one.
FULL_YEAR_WORD = rf"\b{_YYYY}\b"
SHORT_YEAR_WORD = rf"{_YY}\b"

FULL_YEAR_RE = re.compile(FULL_YEAR)
#: Any written year, four-digit or abbreviated.
YEAR_RE = re.compile(f"{FULL_YEAR}|{SHORT_YEAR}")
_SHORT_YEAR_RE = re.compile(r"'\s?(\d\d)(?!\d)")
# Years before this are not venue years (the field is younger); a four-digit number below it
# is ignored by year_from_venue, which then falls back to an abbreviated year.
_FIRST_YEAR = 1950

_KNOWN_VENUES = re.compile(
    r"(?<![\w-])(?:MICCAI|ISBI|IPMI|MIDL|MLMI|CVPR|CVPRW|ICCV|ICCVW|ECCV|NeurIPS|NIPS|ICML|ICLR|"
    r"AAAI|IJCAI|WACV|BMVC|ACCV|ICPR|ICIP|ICASSP|KDD|SIGKDD|ICDM|SDM|CIKM|WWW|ACM ?MM|UAI|"
    r"AISTATS|TMI|MIA|MedIA|TPAMI|T-PAMI|TIP|TNNLS|IJCV|JBHI|TBME|PR|arXiv|arxiv|ArXiv|"
    r"Nature|Science|Radiology|SPIE|PMLR|OpenReview)(?![\w-])")


def year_from_venue(venue: str | None) -> int | None:
    """The year a venue string implies: ``MIDL'18`` -> 2018, ``arxiv, 2020`` -> 2020.

    A four-digit year wins over an abbreviated one; ``'yy`` is read as 20yy
    unless that would be more than a year in the future (``ICCV' 99`` -> 1999).
    """
    if not venue:
        return None
    for match in FULL_YEAR_RE.finditer(venue):
        if int(match.group(0)) >= _FIRST_YEAR:
            return int(match.group(0))
    short = _SHORT_YEAR_RE.search(venue)
    if short:
        yy = int(short.group(1))
        return 2000 + yy if yy <= (dt.date.today().year % 100) + 1 else 1900 + yy
    return None


def is_venue(text: str) -> bool:
    """``MIDL'18``, ``CVPR 2023``, ``arxiv, 2020``, ``Medical Imaging 2017: ...``: short, dated.

    A known venue name counts without a year when the text is short
    (``ICCV``); anything else needs a year and at most five words, so a
    title that mentions a year is not taken for a venue.
    """
    words = text.split()
    if not words or len(words) > 8 or text.count(",") > 1:
        return False
    dated = bool(YEAR_RE.search(text))
    known = bool(_KNOWN_VENUES.search(text))
    return (known and (dated or len(words) <= 3)) or (dated and len(words) <= 5)


@functools.lru_cache(maxsize=4096)
def venue_name(venue: str | None) -> str:
    """The venue without its year: ``MIDL'18`` -> ``MIDL``, ``arxiv, 2020`` -> ``arXiv``.

    Statistics group venues by this name, so spelling variants of one venue
    across years count together.
    """
    if not venue:
        return ""
    name = YEAR_RE.sub(" ", venue)
    name = re.sub(r"\s+([:,;])", r"\1", re.sub(r"\s+", " ", name)).strip(" ,;:-")
    if name.lower() == "arxiv":
        return "arXiv"
    return name
