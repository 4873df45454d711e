"""Exports: exact BibTeX / CSL-JSON / CSV / JSON for a small catalogue, a BibTeX round trip
through bibtexparser, venue classification, filters and the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from click.testing import CliRunner
from pylatexenc.latex2text import LatexNodes2Text

from awesome_medad.catalogue import Catalogue, Paper, load_catalogue
from awesome_medad.cli import main
from awesome_medad.errors import MedadError
from awesome_medad.export import (
    CSV_COLUMNS,
    citation_keys,
    container_title,
    entry_type,
    export,
    latex_escape,
    parse_years,
    protect_case,
    select,
    venue_name,
)
from tests.conftest import REPO

SMALL = r"""title: Small list
updated: 2021-03-04
sections:
  - id: dl
    heading: Deep learning
    sections:
      - id: mri
        heading: Brain MRI
      - id: oct
        heading: Retinal OCT
  - id: classic
    heading: Classic methods
papers:
  - id: zhou2020encoding
    authors: [Kang Zhou, "Müller, Jörg"]
    title: 'Encoding {Structure} & Texture: 50% of $x_1$ #1 ~ ^ \ in P-Net'
    venue: MIA, 2020
    year: 2020
    sections: [dl/oct, dl/mri]
    links:
      pdf: https://example.org/papers/p_net%20v2.pdf?a=1&b=2#page=3
      code: https://github.com/ClancyZhou/P_Net_Anomaly_Detection
    doi: 10.1016/j.media.2020.101_x
  - id: schlegl2017unsupervised
    authors: [Schlegl]
    et_al: true
    title: Unsupervised Anomaly Detection with GANs to Guide Marker Discovery
    short: AnoGAN
    venue: MICCAI'17 workshop
    year: 2017
    sections: [dl/mri]
    links:
      google scholar: https://scholar.google.com/scholar?q=AnoGAN
      pdf: https://arxiv.org/abs/1703.05921v1
  - id: chen2018deep
    authors: [Chen]
    et_al: true
    title: 'Deep generative models in the real-world: an open challenge'
    venue: arxiv, 2018
    sections: [dl/mri]
    links:
      pdf: https://arxiv.org/pdf/1806.05452.pdf
    arxiv: '1806.05452'
  - id: report
    authors: [Smith and Wesson Lab]
    title: '=cmd|stuff a technical report'
    venue: Tech report
    sections: [classic]
  - id: 2020salad
    title: 'SALAD: Self-Supervised Aggregation Learning'
    venue: MICCAI'20
    year: 2020
    sections: [classic]
"""

BIBTEX = (r"""@article{zhou2020encoding,
  author = {Kang Zhou and Müller, Jörg},
  title = {Encoding {\{Structure\}} \& Texture: 50\% of \$x\_1\$ \#1 """
          r"""\textasciitilde{} \textasciicircum{} \textbackslash{} in {P-Net}},
  journal = {Medical Image Analysis},
  year = {2020},
  doi = {10.1016/j.media.2020.101_x},
  url = {https://example.org/papers/p_net%20v2.pdf?a=1&b=2#page=3},
}

@inproceedings{schlegl2017unsupervised,
  author = {Schlegl and others},
  title = {Unsupervised Anomaly Detection with {GANs} to Guide Marker Discovery},
  shorttitle = {AnoGAN},
  booktitle = {Medical Image Computing and Computer Assisted Intervention (MICCAI) workshop},
  year = {2017},
  eprint = {1703.05921},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/1703.05921v1},
}

@misc{chen2018deep,
  author = {Chen and others},
  title = {Deep generative models in the real-world: an open challenge},
  howpublished = {arXiv preprint arXiv:1806.05452},
  year = {2018},
  eprint = {1806.05452},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/pdf/1806.05452.pdf},
}

@misc{report,
  author = {{Smith and Wesson Lab}},
  title = {=cmd|stuff a technical report},
  howpublished = {Tech report},
}

@inproceedings{2020salad,
  title = {{SALAD:} {Self-Supervised} Aggregation Learning},
  booktitle = {Medical Image Computing and Computer Assisted Intervention (MICCAI)},
  year = {2020},
}
""")

CSV_TEXT = (
    "id,type,title,short,authors,et_al,venue,year,sections,arxiv,doi,url,links\n"
    "zhou2020encoding,article,Encoding {Structure} & Texture: 50% of $x_1$ #1 ~ ^ \\ in P-Net,,"
    '"Kang Zhou; Müller, Jörg",false,"MIA, 2020",2020,dl/oct; dl/mri,,'
    "10.1016/j.media.2020.101_x,https://example.org/papers/p_net%20v2.pdf?a=1&b=2#page=3,"
    "pdf: https://example.org/papers/p_net%20v2.pdf?a=1&b=2#page=3 | "
    "code: https://github.com/ClancyZhou/P_Net_Anomaly_Detection\n"
    "schlegl2017unsupervised,inproceedings,Unsupervised Anomaly Detection with GANs to Guide "
    "Marker Discovery,AnoGAN,Schlegl,true,MICCAI'17 workshop,2017,dl/mri,1703.05921,,"
    "https://arxiv.org/abs/1703.05921v1,google scholar: https://scholar.google.com/scholar?q=AnoGAN"
    " | pdf: https://arxiv.org/abs/1703.05921v1\n"
    "chen2018deep,misc,Deep generative models in the real-world: an open challenge,,Chen,true,"
    '"arxiv, 2018",2018,dl/mri,1806.05452,,https://arxiv.org/pdf/1806.05452.pdf,'
    "pdf: https://arxiv.org/pdf/1806.05452.pdf\n"
    "report,misc,'=cmd|stuff a technical report,,Smith and Wesson Lab,false,Tech report,,classic,"
    ",,,\n"
    "2020salad,inproceedings,SALAD: Self-Supervised Aggregation Learning,,,false,MICCAI'20,2020,"
    "classic,,,,\n"
)

CSL = [
    {"id": "zhou2020encoding", "type": "article-journal",
     "title": "Encoding {Structure} & Texture: 50% of $x_1$ #1 ~ ^ \\ in P-Net",
     "author": [{"family": "Zhou", "given": "Kang"}, {"family": "Müller", "given": "Jörg"}],
     "container-title": "Medical Image Analysis", "issued": {"date-parts": [[2020]]},
     "DOI": "10.1016/j.media.2020.101_x",
     "URL": "https://example.org/papers/p_net%20v2.pdf?a=1&b=2#page=3"},
    {"id": "schlegl2017unsupervised", "type": "paper-conference",
     "title": "Unsupervised Anomaly Detection with GANs to Guide Marker Discovery",
     "title-short": "AnoGAN", "author": [{"family": "Schlegl"}, {"literal": "others"}],
     "container-title":
         "Medical Image Computing and Computer Assisted Intervention (MICCAI) workshop",
     "issued": {"date-parts": [[2017]]}, "URL": "https://arxiv.org/abs/1703.05921v1"},
    {"id": "chen2018deep", "type": "article",
     "title": "Deep generative models in the real-world: an open challenge",
     "author": [{"family": "Chen"}, {"literal": "others"}], "publisher": "arXiv",
     "number": "arXiv:1806.05452", "issued": {"date-parts": [[2018]]},
     "URL": "https://arxiv.org/pdf/1806.05452.pdf"},
    {"id": "report", "type": "document", "title": "=cmd|stuff a technical report",
     "author": [{"literal": "Smith and Wesson Lab"}], "container-title": "Tech report"},
    {"id": "2020salad", "type": "paper-conference",
     "title": "SALAD: Self-Supervised Aggregation Learning",
     "container-title": "Medical Image Computing and Computer Assisted Intervention (MICCAI)",
     "issued": {"date-parts": [[2020]]}},
]

CLASSIC_2020_JSON = {
    "format": "medad-catalogue", "version": 1, "title": "Small list", "intro": None,
    "updated": "2021-03-04", "contact": None, "toc_heading": "Overview", "footer": None,
    "chart": None,
    "sections": [
        {"id": "dl", "path": "dl", "heading": "Deep learning", "toc": None, "sections": [
            {"id": "mri", "path": "dl/mri", "heading": "Brain MRI", "toc": None, "sections": []},
            {"id": "oct", "path": "dl/oct", "heading": "Retinal OCT", "toc": None,
             "sections": []}]},
        {"id": "classic", "path": "classic", "heading": "Classic methods", "toc": None,
         "sections": []},
    ],
    "papers": [
        {"id": "2020salad", "key": "2020salad", "type": "inproceedings",
         "title": "SALAD: Self-Supervised Aggregation Learning", "short": None, "authors": [],
         "et_al": False, "venue": "MICCAI'20", "year": 2020, "sections": ["classic"],
         "links": [], "arxiv": None, "doi": None, "raw": None},
    ],
}


@pytest.fixture
def small(write: Callable[..., Path]) -> Path:
    return write(SMALL)


@pytest.fixture
def catalogue(small: Path) -> Catalogue:
    return load_catalogue(small)


def test_bibtex_exact(catalogue: Catalogue) -> None:
    assert export(catalogue, "bibtex") == BIBTEX


def test_csv_exact(catalogue: Catalogue) -> None:
    text = export(catalogue, "csv")
    assert text == CSV_TEXT
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + len(catalogue.papers)  # one row per paper, cross-listing joined


def test_csl_json_exact(catalogue: Catalogue) -> None:
    assert export(catalogue, "csl-json") == json.dumps(CSL, ensure_ascii=False, indent=2) + "\n"


def test_json_exact_with_filters(catalogue: Catalogue) -> None:
    text = export(catalogue, "json", sections=["classic"], years=(2020, 2020))
    assert text == json.dumps(CLASSIC_2020_JSON, ensure_ascii=False, indent=2) + "\n"


def test_json_has_every_paper_once_with_all_sections(catalogue: Catalogue) -> None:
    data = json.loads(export(catalogue, "json"))
    assert [p["id"] for p in data["papers"]] == [p.id for p in catalogue.papers]
    assert data["papers"][0]["sections"] == ["dl/oct", "dl/mri"]
    assert data["papers"][0]["links"][1] == {
        "kind": "code", "url": "https://github.com/ClancyZhou/P_Net_Anomaly_Detection"}


def _decode(text: str) -> str:
    # pylatexenc (bibtexparser's own decoder) maps \textasciicircum to U+02C6 instead of "^"
    return LatexNodes2Text().latex_to_text(text).replace("\u02c6", "^")


def _strip_braces(name: str) -> str:
    return name[1:-1] if name.startswith("{") and name.endswith("}") else name


def test_bibtex_round_trips_through_bibtexparser(catalogue: Catalogue) -> None:
    text = export(catalogue, "bibtex")
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors()])
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert list(entries) == [p.id for p in catalogue.papers]
    for paper in catalogue.papers:
        entry = entries[paper.id]
        fields = {field.key: field.value for field in entry.fields}
        expected_authors = [*paper.authors, *(["others"] if paper.et_al else [])]
        assert [_decode(_strip_braces(a)) for a in fields.pop("author", [])] == expected_authors
        assert _decode(fields.pop("title")) == paper.title
        assert _decode(fields.pop("shorttitle", "")) == (paper.short or "")
        assert fields.pop("year", None) == (str(paper.year) if paper.year else None)
        assert fields.pop("doi", None) == paper.doi
        assert fields.pop("url", None) == (dict(paper.links).get("pdf"))
        eprint = fields.pop("eprint", None)
        assert eprint == (paper.arxiv or ("1703.05921" if paper.id.startswith("schlegl") else None))
        assert fields.pop("archivePrefix", None) == ("arXiv" if eprint else None)
        container = fields.pop("journal", None) or fields.pop("booktitle", None) or fields.pop(
            "howpublished", None)
        assert container is None or _decode(container) == (
            container_title(paper) or f"arXiv preprint arXiv:{paper.arxiv}")
        assert fields == {}, f"unchecked fields {fields}"
        assert entry.entry_type == entry_type(paper)


def test_shipped_catalogue_exports_one_entry_per_paper() -> None:
    catalogue = load_catalogue(REPO / "data" / "papers.yaml")
    library = bibtexparser.parse_string(export(catalogue, "bibtex"))
    assert not library.failed_blocks
    assert len(library.entries) == len(catalogue.papers)
    pnet = [e for e in library.entries if e.key == "zhou2020encoding"]
    assert len(pnet) == 1  # cross-listed in two sections, exported once
    types = {e.key: e.entry_type for e in library.entries}
    assert types["chen2020unsupervised"] == "article"       # MIA, 2020
    assert types["seebock2019exploiting"] == "article"      # TMI, 2019
    assert types["baur2018deep"] == "inproceedings"         # MICCAI'18 workshop
    assert types["alex2017generative"] == "inproceedings"   # SPIE Medical Imaging 2017
    assert types["chen2018deep"] == "misc"                  # arxiv, 2018


@pytest.mark.parametrize(("venue", "name", "kind"), [
    ("MIDL'18", "MIDL", "inproceedings"),
    ("MICCAI'18 workshop", "MICCAI workshop", "inproceedings"),
    ("arxiv, 2020", "arXiv", "misc"),
    ("arXiv 2019", "arXiv", "misc"),
    ("MIA, 2020", "MIA", "article"),
    ("TMI, 2019", "TMI", "article"),
    ("Medical Image Analysis 2021", "Medical Image Analysis", "article"),
    ("IEEE Transactions on Medical Imaging, 2022", "IEEE Transactions on Medical Imaging",
     "article"),
    ("Journal of Digital Imaging 2020", "Journal of Digital Imaging", "article"),
    ("Medical Imaging 2017: Image Processing", "Medical Imaging: Image Processing",
     "inproceedings"),
    ("CVPR 2023", "CVPR", "inproceedings"),
    ("Proceedings of the Fancy Symposium 2021", "Proceedings of the Fancy Symposium",
     "inproceedings"),
    ("Tech report", "Tech report", "misc"),
    (None, "", "misc"),
])
def test_venue_classification(venue: str | None, name: str, kind: str) -> None:
    paper = Paper(id="p", title="T", sections=("a",), index=0, venue=venue)
    assert venue_name(venue) == name
    assert entry_type(paper) == kind


def test_no_venue_with_arxiv_id_is_misc_with_eprint() -> None:
    paper = Paper(id="p", title="T", sections=("a",), index=0,
                  links=(("pdf", "https://arxiv.org/abs/2101.00001v3"),))
    assert entry_type(paper) == "misc"
    assert "  eprint = {2101.00001},\n" in export(
        Catalogue(title="x", sections=(), papers=(paper,)), "bibtex")


@pytest.mark.parametrize(("text", "escaped"), [
    ("50% & $5 #1 a_b", r"50\% \& \$5 \#1 a\_b"),
    ("{x} ~ ^ \\", r"\{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}"),
    ("Müller – Ångström", "Müller – Ångström"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
])
def test_latex_escape(text: str, escaped: str) -> None:
    assert latex_escape(text) == escaped


def test_protect_case_braces_words_with_inner_capitals() -> None:
    assert protect_case("Brain MRI with f-AnoGAN: a Study") == (
        "Brain {MRI} with {f-AnoGAN:} a Study")


def test_citation_keys_are_ids_deduplicated_case_insensitively() -> None:
    papers = [Paper(id=i, title="T", sections=("a",), index=n)
              for n, i in enumerate(["chen2018unsupervised", "chen2018unsupervised",
                                     "chen2018unsupervisedb", "chen2018unsupervised", "Zhou",
                                     "zhou"])]
    assert [key for key, _ in citation_keys(papers)] == [
        "chen2018unsupervised", "chen2018unsupervisedb", "chen2018unsupervisedbb",
        "chen2018unsupervisedc", "Zhou", "zhoub"]


@pytest.mark.parametrize(("text", "years"), [
    ("2020", (2020, 2020)), ("2018-2020", (2018, 2020)), ("2018-", (2018, 9999)),
    ("-2019", (0, 2019)), (" 2018 - 2019 ", (2018, 2019)),
])
def test_parse_years(text: str, years: tuple[int, int]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["20", "abc", "2020-2018", "-", "", "2018-2019-2020"])
def test_parse_years_rejects(text: str) -> None:
    with pytest.raises(MedadError, match="--year"):
        parse_years(text)


def test_select_by_section_prefix_and_year(catalogue: Catalogue) -> None:
    ids = [p.id for p in select(catalogue, ["dl"])]
    assert ids == ["zhou2020encoding", "schlegl2017unsupervised", "chen2018deep"]
    assert [p.id for p in select(catalogue, ["dl/oct"])] == ["zhou2020encoding"]
    assert [p.id for p in select(catalogue, ["dl"], (2018, 2020))] == [
        "zhou2020encoding", "chen2018deep"]
    assert [p.id for p in select(catalogue, [], (2017, 2017))] == ["schlegl2017unsupervised"]
    assert [p.id for p in select(catalogue, ["dl/oct", "classic"])] == [
        "zhou2020encoding", "report", "2020salad"]


def test_unknown_section_is_an_error(catalogue: Catalogue) -> None:
    with pytest.raises(MedadError, match="no such section; known sections: dl, dl/mri"):
        select(catalogue, ["dl/ct"])


# -- CLI ---------------------------------------------------------------------------------------
def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "csv", "json"])
def test_cli_export_to_stdout_and_file(small: Path, tmp_path: Path, fmt: str) -> None:
    catalogue = load_catalogue(small)
    code, out, err = run("export", "--catalogue", str(small), "--format", fmt)
    assert (code, out, err) == (0, export(catalogue, fmt), "")
    target = tmp_path / f"out.{fmt}"
    assert run("export", "--catalogue", str(small), "--format", fmt, "-o", str(target)) == (
        0, "", "")
    assert target.read_text(encoding="utf-8") == export(catalogue, fmt)


def test_cli_filters(small: Path) -> None:
    code, out, _ = run("export", "--catalogue", str(small), "--format", "csv",
                       "--section", "dl/mri", "--year", "2017-2018")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))] == [
        "id", "schlegl2017unsupervised", "chen2018deep"]


def test_cli_filter_matching_nothing_warns(small: Path) -> None:
    assert run("export", "--catalogue", str(small), "--year", "1999") == (
        0, "", "warning: no paper matches the --section/--year filters\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--section", "nope"], "--section 'nope': no such section"),
    (["--year", "twenty"], "--year 'twenty'"),
    (["--format", "ris"], "Invalid value for '--format'"),
])
def test_cli_bad_options_exit_2(small: Path, args: list[str], message: str) -> None:
    code, out, err = run("export", "--catalogue", str(small), *args)
    assert code == 2 and out == "" and message in err


def test_cli_invalid_catalogue_exits_2_and_leaves_output(write: Callable[..., Path],
                                                         tmp_path: Path) -> None:
    bad = write("title: x\nsections: []\npapers:\n  - id: Bad Id\n", "bad.yaml")
    target = write("old", "old.bib")
    code, _, err = run("export", "--catalogue", str(bad), "-o", str(target))
    assert code == 2
    assert "bad.yaml:4:" in err
    assert target.read_text() == "old"
