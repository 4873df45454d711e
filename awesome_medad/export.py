"""Catalogue -> citation and data formats: BibTeX, CSL-JSON, CSV and JSON.

Researchers cite from the list, so every export holds **one record per
paper** (a cross-listed paper is exported once, with all its sections), in
catalogue order, and is a pure function of the catalogue: same input, same
bytes.

Citation keys
    The key is the paper's catalogue ``id`` (``chen2018unsupervised``, made by
    :func:`awesome_medad.ids.make_paper_id`).  It is *not* recomputed from
    author, year and title, so fixing a typo in a title never breaks the
    ``\\cite{}`` of people who already use the key.  Ids are unique in a loaded
    catalogue; should two papers still clash (BibTeX compares keys without
    regard to case), later ones get ``b``, ``c``, ... appended, as
    ``make_paper_id`` does.

Entry types (:func:`entry_type`), from the venue
    arXiv -> ``@misc`` with ``eprint`` / ``archivePrefix``; journals (MIA,
    TMI, "Medical Image Analysis", "... Transactions on ...", "Journal of
    ...") -> ``@article``; conferences and workshops (MICCAI, MIDL, ISBI,
    "... Workshop", SPIE "Medical Imaging 2017: ...") -> ``@inproceedings``;
    anything else -> ``@misc`` with ``howpublished``.  An arXiv id (the
    ``arxiv`` field or an arXiv link) is exported as ``eprint`` for every type.

BibTeX text
    LaTeX specials (``\\ { } $ & % # _ ^ ~``) are escaped, words with inner
    capitals (``MRI``, ``AnoGAN``) are wrapped in braces so styles do not
    lower-case them, non-ASCII text stays UTF-8 (biber and modern BibTeX read
    it), ``url`` and ``doi`` are verbatim fields and are written unescaped.
    A truncated author list (``et_al``) ends in ``and others``.

CSV
    One row per paper; list cells are joined with ``"; "`` (authors,
    sections) and ``" | "`` (links as ``kind: url``).  A cell that starts with
    ``= + - @`` or a tab gets a leading ``'`` so spreadsheets do not run it as
    a formula (the catalogue accepts contributions from anyone).

JSON (``--format json``): the whole catalogue, shaped as::

    {
      "format": "medad-catalogue", "version": 1,
      "title": "...", "intro": "..." | null, "updated": "2020-08-10" | null,
      "contact": "..." | null, "toc_heading": "Overview", "footer": "..." | null,
      "chart": {"path": "docs/papers-per-year.svg", "alt": null} | null,
      "sections": [{"id": "deep-learning", "path": "deep-learning",
                    "heading": "...", "toc": "..." | null, "sections": [...]}],
      "papers": [{"id": "chen2018unsupervised", "key": "chen2018unsupervised",
                  "type": "inproceedings", "title": "...", "short": null,
                  "authors": ["Chen"], "et_al": true, "venue": "MIDL'18",
                  "year": 2018, "sections": ["deep-learning/brain-mri"],
                  "links": [{"kind": "pdf", "url": "https://..."}],
                  "arxiv": "1806.04972" | null, "doi": "..." | null,
                  "raw": null}]
    }

``year`` is the effective year (the catalogue's, else derived from the venue);
``key`` is the citation key used by the other formats.  With ``--section`` /
``--year`` only the matching papers are listed; the section tree is always
complete so paths stay resolvable.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from awesome_medad.catalogue import Catalogue, Paper, Section
from awesome_medad.errors import MedadError
from awesome_medad.ids import arxiv_id, doi_from_text
from awesome_medad.venues import venue_name

FORMATS = ("bibtex", "csl-json", "csv", "json")
JSON_FORMAT_VERSION = 1

JOURNALS = {
    "mia": "Medical Image Analysis",
    "media": "Medical Image Analysis",
    "tmi": "IEEE Transactions on Medical Imaging",
    "tpami": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "pami": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "tip": "IEEE Transactions on Image Processing",
    "tbme": "IEEE Transactions on Biomedical Engineering",
    "jbhi": "IEEE Journal of Biomedical and Health Informatics",
    "ijcv": "International Journal of Computer Vision",
    "cmig": "Computerized Medical Imaging and Graphics",
    "melba": "Machine Learning for Biomedical Imaging",
}
CONFERENCES = {
    "miccai": "Medical Image Computing and Computer Assisted Intervention",
    "midl": "Medical Imaging with Deep Learning",
    "isbi": "IEEE International Symposium on Biomedical Imaging",
    "ipmi": "Information Processing in Medical Imaging",
    "mlmi": "Machine Learning in Medical Imaging",
    "cvpr": "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    "iccv": "IEEE/CVF International Conference on Computer Vision",
    "eccv": "European Conference on Computer Vision",
    "wacv": "IEEE/CVF Winter Conference on Applications of Computer Vision",
    "bmvc": "British Machine Vision Conference",
    "neurips": "Advances in Neural Information Processing Systems",
    "nips": "Advances in Neural Information Processing Systems",
    "icml": "International Conference on Machine Learning",
    "iclr": "International Conference on Learning Representations",
    "aaai": "AAAI Conference on Artificial Intelligence",
    "ijcai": "International Joint Conference on Artificial Intelligence",
    "spie": "SPIE Medical Imaging",
}
_CONFERENCE_WORDS = re.compile(
    r"\b(workshops?|conference|proceedings|symposium|congress|meeting|medical imaging \d{4}|"
    r"medical imaging:)", re.IGNORECASE)
_JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|letters|review|magazine|medical image analysis|nature|neuroimage|"
    r"radiology|scientific reports|plos|frontiers)\b", re.IGNORECASE)
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("id", "type", "title", "short", "authors", "et_al", "venue", "year", "sections",
               "arxiv", "doi", "url", "links")


# -- selection -------------------------------------------------------------------------------
def parse_years(text: str) -> tuple[int, int]:
    """``2020`` -> (2020, 2020); ``2018-2020``, ``2018-`` and ``-2019`` are ranges."""
    match = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
    if not match or not (match[1] or match[3]) or (not match[2] and match[3]):
        raise MedadError(f"--year {text!r}: give a year (2020) or a range (2018-2020, 2018-)")
    low = int(match[1]) if match[1] else 0
    high = int(match[3]) if match[3] else (low if not match[2] else 9999)
    if low > high:
        raise MedadError(f"--year {text!r}: the range is empty ({low} > {high})")
    return low, high


def select(catalogue: Catalogue, sections: Sequence[str] = (),
           years: tuple[int, int] | None = None) -> tuple[Paper, ...]:
    """Papers listed under any of ``sections`` (path prefixes) and published within ``years``.

    An unknown section is an error rather than an empty export: a typo in a
    script would otherwise silently produce an empty bibliography.
    """
    known = [s.path for s in catalogue.walk()]
    for wanted in sections:
        if wanted.strip("/") not in known:
            raise MedadError(f"--section {wanted!r}: no such section; known sections: "
                             + ", ".join(known))
    prefixes = [s.strip("/") for s in sections]
    return tuple(p for p in catalogue.papers
                 if _in_sections(p, prefixes) and _in_years(p, years))


def _in_sections(paper: Paper, prefixes: Sequence[str]) -> bool:
    if not prefixes:
        return True
    return any(path == pre or path.startswith(pre + "/") for path in paper.sections
               for pre in prefixes)


def _in_years(paper: Paper, years: tuple[int, int] | None) -> bool:
    if years is None:
        return True
    return paper.year is not None and years[0] <= paper.year <= years[1]


# -- venues and identifiers --------------------------------------------------------------------
def _first_word(name: str) -> str:
    match = re.match(r"[A-Za-z]+", name)
    return match.group(0).lower() if match else ""


def entry_type(paper: Paper) -> str:
    """``article``, ``inproceedings`` or ``misc`` (arXiv and unknown venues)."""
    return _venue_type(paper.venue or "")


@functools.lru_cache(maxsize=4096)
def _venue_type(venue: str) -> str:
    """A list has few distinct venues and many papers: classify each venue once."""
    if "arxiv" in venue.lower() or not venue:
        return "misc"
    name = venue_name(venue)
    if _CONFERENCE_WORDS.search(venue) or _first_word(name) in CONFERENCES:
        return "inproceedings"
    if _first_word(name) in JOURNALS or _JOURNAL_WORDS.search(name):
        return "article"
    return "misc"


def container_title(paper: Paper) -> str:
    """The journal or proceedings name, abbreviations spelled out: ``MIDL'18`` ->
    ``Medical Imaging with Deep Learning (MIDL)``."""
    name = venue_name(paper.venue)
    word = _first_word(name)
    if name.lower() == "arxiv":
        return ""
    if word in JOURNALS and len(name) <= len(word) + 1:
        return JOURNALS[word]
    if word in CONFERENCES and name[: len(word)].lower() == word:
        rest = name[len(word):].strip()
        full = f"{CONFERENCES[word]} ({name[: len(word)]})"
        return f"{full} {rest}" if rest else full
    return name


def paper_arxiv(paper: Paper) -> str | None:
    """The arXiv id from the ``arxiv`` field, else from the first arXiv link."""
    if paper.arxiv:
        return paper.arxiv
    for _, url in paper.links:
        found = arxiv_id(url) if "arxiv.org" in url.lower() else None
        if found:
            return found
    return None


def paper_doi(paper: Paper) -> str | None:
    """The DOI field, else one embedded in a doi.org or publisher link (not a search link)."""
    if paper.doi:
        return paper.doi
    for kind, url in paper.links:
        if "scholar" not in kind and "scholar." not in url and "10." in url:
            found = doi_from_text(url)
            if found:
                return found
    return None


def paper_url(paper: Paper) -> str | None:
    """The paper's own page: its ``pdf`` link, else the first non-search, non-code link."""
    links = dict(paper.links)
    if "pdf" in links:
        return links["pdf"]
    for kind, url in paper.links:
        if "scholar" not in kind and "code" not in kind:
            return url
    ident = paper_arxiv(paper)
    if ident:
        return f"https://arxiv.org/abs/{ident}"
    doi = paper_doi(paper)
    return f"https://doi.org/{doi}" if doi else None


def citation_keys(papers: Sequence[Paper]) -> list[tuple[str, Paper]]:
    """``(key, paper)`` pairs: the id as key, de-duplicated case-insensitively (``b``, ``c``)."""
    taken: set[str] = set()
    result: list[tuple[str, Paper]] = []
    for paper in papers:
        candidate, suffix = paper.id, ord("b")
        while candidate.lower() in taken:
            candidate = f"{paper.id}{chr(suffix)}" if suffix <= ord("z") else f"{paper.id}-{suffix}"
            suffix += 1
        taken.add(candidate.lower())
        result.append((candidate, paper))
    return result


def display_title(paper: Paper) -> str:
    """The title, or for a verbatim (``raw``) entry without one, its text without Markdown."""
    if paper.title:
        return paper.title
    text = re.sub(r"\]\([^)]*\)", "]", paper.raw or "")
    return re.sub(r"\s+", " ", text.lstrip("-* ").replace("[", "").replace("]", "")).strip()


# -- BibTeX -----------------------------------------------------------------------------------
def latex_escape(text: str) -> str:
    """Escape the characters LaTeX treats specially; everything else (UTF-8) is kept."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def protect_case(escaped: str) -> str:
    """Brace words with inner capitals (``{MRI}``, ``{f-AnoGAN:}``) so styles keep their case."""
    words = escaped.split(" ")
    return " ".join(f"{{{w}}}" if w[1:] != w[1:].lower() else w for w in words)


def bibtex_author(paper: Paper) -> str:
    """``A and B and others``; a name that contains the word "and" is braced."""
    names = [latex_escape(a.strip()) for a in paper.authors if a.strip()]
    names = [f"{{{n}}}" if re.search(r"\band\b", n, re.IGNORECASE) else n for n in names]
    if names and paper.et_al:
        names.append("others")
    return " and ".join(names)


def _verbatim(value: str) -> str:
    """A DOI or URL in a verbatim field: only braces (which would unbalance the value) change."""
    return value.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_fields(paper: Paper, kind: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of one entry of type ``kind``, values already in BibTeX form."""
    fields: list[tuple[str, str]] = []
    author = bibtex_author(paper)
    if author:
        fields.append(("author", author))
    fields.append(("title", protect_case(latex_escape(display_title(paper)))))
    if paper.short:
        fields.append(("shorttitle", latex_escape(paper.short)))
    ident = paper_arxiv(paper)
    container = latex_escape(container_title(paper))
    if kind == "misc" and not container and ident:
        # plain BibTeX styles (splncs04, IEEEtran) ignore eprint: say it where they look
        container = latex_escape(f"arXiv preprint arXiv:{ident}")
    slot = {"article": "journal", "inproceedings": "booktitle", "misc": "howpublished"}[kind]
    if container:
        fields.append((slot, container))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    doi = paper_doi(paper)
    if doi:
        fields.append(("doi", _verbatim(doi)))
    if ident:
        fields += [("eprint", _verbatim(ident)), ("archivePrefix", "arXiv")]
    url = paper_url(paper)
    if url:
        fields.append(("url", _verbatim(url)))
    return fields


def bibtex_entry(key: str, paper: Paper) -> str:
    """One ``@type{key, ...}`` entry, fields aligned one per line."""
    kind = entry_type(paper)
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in bibtex_fields(paper, kind)]
    return "\n".join([*lines, "}"])


def to_bibtex(papers: Sequence[Paper]) -> str:
    """All papers as a ``.bib`` file (UTF-8)."""
    if not papers:
        return ""
    return "\n\n".join(bibtex_entry(key, paper) for key, paper in citation_keys(papers)) + "\n"


# -- CSL-JSON ---------------------------------------------------------------------------------
_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference"}


def csl_name(author: str) -> dict[str, str]:
    """``Family, Given`` or ``Given Family`` -> ``{"family": ..., "given": ...}``.

    A name with the word "and" in it (a consortium) is kept whole as a literal,
    matching the braces BibTeX gets.
    """
    author = author.strip()
    if re.search(r"\band\b", author, re.IGNORECASE):
        return {"literal": author}
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
    else:
        parts = author.split()
        family, given = (parts[-1], " ".join(parts[:-1])) if parts else (author, "")
    return {"family": family, "given": given} if given else {"family": family}


def csl_item(key: str, paper: Paper) -> dict[str, Any]:
    """One CSL-JSON item, as Zotero and pandoc read it.

    A truncated author list ends with ``{"literal": "others"}``, which is
    what pandoc makes of BibTeX's ``and others``.
    """
    kind = entry_type(paper)
    ident = paper_arxiv(paper)
    preprint = kind == "misc" and ident is not None
    csl_type = "article" if preprint else _CSL_TYPES.get(kind, "document")
    item: dict[str, Any] = {"id": key, "type": csl_type, "title": display_title(paper)}
    if paper.short:
        item["title-short"] = paper.short
    authors: list[dict[str, str]] = [csl_name(a) for a in paper.authors if a.strip()]
    if authors and paper.et_al:
        authors.append({"literal": "others"})
    if authors:
        item["author"] = authors
    container = container_title(paper)
    if container:
        item["container-title"] = container
    if preprint:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{ident}"
    if paper.year is not None:
        item["issued"] = {"date-parts": [[paper.year]]}
    _put(item, "DOI", paper_doi(paper))
    _put(item, "URL", paper_url(paper))
    return item


def _put(target: dict[str, Any], key: str, value: object) -> None:
    if value is not None:
        target[key] = value


def to_csl_json(papers: Sequence[Paper]) -> str:
    """A CSL-JSON array (the format of Zotero's and pandoc's ``--bibliography x.json``)."""
    items = [csl_item(key, paper) for key, paper in citation_keys(papers)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# -- CSV --------------------------------------------------------------------------------------
def _cell(value: object) -> str:
    if value is None:
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(key: str, paper: Paper) -> list[str]:
    """One row in :data:`CSV_COLUMNS` order."""
    values: tuple[object, ...] = (
        key, entry_type(paper), display_title(paper), paper.short, "; ".join(paper.authors),
        paper.et_al, paper.venue, paper.year, "; ".join(paper.sections), paper_arxiv(paper),
        paper_doi(paper), paper_url(paper),
        " | ".join(f"{kind}: {url}" for kind, url in paper.links),
    )
    return [_cell(v) for v in values]


def to_csv(papers: Sequence[Paper]) -> str:
    """A CSV table with a header row; ``\\n`` line ends like every file medad writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(key, paper) for key, paper in citation_keys(papers))
    return buffer.getvalue()


# -- JSON -------------------------------------------------------------------------------------
def section_json(section: Section) -> dict[str, Any]:
    return {"id": section.id, "path": section.path, "heading": section.heading,
            "toc": section.toc, "sections": [section_json(c) for c in section.children]}


def paper_json(key: str, paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id, "key": key, "type": entry_type(paper), "title": paper.title,
        "short": paper.short, "authors": list(paper.authors), "et_al": paper.et_al,
        "venue": paper.venue, "year": paper.year, "sections": list(paper.sections),
        "links": [{"kind": kind, "url": url} for kind, url in paper.links],
        "arxiv": paper.arxiv, "doi": paper.doi, "raw": paper.raw,
    }


def catalogue_json(catalogue: Catalogue, papers: Sequence[Paper]) -> dict[str, Any]:
    """The documented JSON shape (see the module docstring) as plain data."""
    return {
        "format": "medad-catalogue", "version": JSON_FORMAT_VERSION,
        "title": catalogue.title, "intro": catalogue.intro,
        "updated": catalogue.updated.isoformat() if catalogue.updated else None,
        "contact": catalogue.contact, "toc_heading": catalogue.toc_heading,
        "footer": catalogue.footer,
        "chart": ({"path": catalogue.chart.path, "alt": catalogue.chart.alt}
                  if catalogue.chart else None),
        "sections": [section_json(s) for s in catalogue.sections],
        "papers": [paper_json(key, paper) for key, paper in citation_keys(papers)],
    }


def to_json(catalogue: Catalogue, papers: Sequence[Paper]) -> str:
    return json.dumps(catalogue_json(catalogue, papers), ensure_ascii=False, indent=2) + "\n"


# -- entry point ------------------------------------------------------------------------------
def export(catalogue: Catalogue, fmt: str, sections: Sequence[str] = (),
           years: tuple[int, int] | None = None) -> str:
    """The catalogue (or the papers the filters keep) in format ``fmt`` (one of :data:`FORMATS`)."""
    papers = select(catalogue, sections, years)
    if fmt == "json":
        return to_json(catalogue, papers)
    writers: dict[str, Callable[[Sequence[Paper]], str]] = {
        "bibtex": to_bibtex, "csl-json": to_csl_json, "csv": to_csv}
    if fmt not in writers:
        raise MedadError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](papers)
