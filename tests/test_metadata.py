"""arXiv and Crossref clients against a real local server serving recorded responses."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from awesome_medad.errors import NetworkError
from awesome_medad.metadata import (
    Metadata,
    MetadataNotFound,
    clean_title,
    crossref_venue,
    fetch,
    fetch_arxiv,
    fetch_crossref,
    parse_arxiv_feed,
)
from tests.api_server import ApiServer, api_server


@pytest.fixture(scope="module")
def server() -> Iterator[ApiServer]:
    with api_server() as running:
        yield running


@pytest.fixture(autouse=True)
def _local(server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDAD_ARXIV_API", server.arxiv)
    monkeypatch.setenv("MEDAD_CROSSREF_API", server.crossref)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


MADGAN = Metadata(
    title="MADGAN: unsupervised Medical Anomaly Detection GAN using multiple adjacent brain MRI "
          "slice reconstruction",
    authors=("Changhee Han", "Leonardo Rundo", "Kohei Murao", "Tomoyuki Noguchi",
             "Yuki Shimahara", "Zoltan Adam Milacski", "Saori Koshino", "Evis Sala",
             "Hideki Nakayama", "Shin'ichi Satoh"),
    year=2020, venue="arxiv, 2020", pdf="https://arxiv.org/abs/2007.13559", arxiv="2007.13559",
    doi=None)


@pytest.mark.parametrize("source", ["2007.13559v2", "arXiv:2007.13559v2",
                                    "https://arxiv.org/abs/2007.13559v2",
                                    "http://arxiv.org/pdf/2007.13559v2.pdf"])
def test_arxiv_id_with_version_suffix(source: str, server: ApiServer) -> None:
    assert fetch(source) == MADGAN
    assert "id_list=2007.13559v2" in server.requests[-1]


def test_arxiv_thirty_plus_authors_non_ascii_and_journal_doi() -> None:
    meta = fetch_arxiv("2106.05735")
    assert len(meta.authors) == 58
    assert meta.authors[0] == "Michela Antonelli" and meta.authors[-1] == "M. Jorge Cardoso"
    assert "Pablo Arbeláez" in meta.authors
    assert meta.doi == "10.1038/s41467-022-30695-9"  # the journal version's DOI, for duplicates
    assert (meta.venue, meta.year, meta.arxiv) == ("arxiv, 2021", 2021, "2106.05735")


def test_arxiv_latex_title_kept_as_written() -> None:
    meta = fetch_arxiv("2005.10686")
    assert meta.title == "Unsupervised anomaly localization using VAE and $\\beta$-VAE"
    assert meta.authors == ("Leixin Zhou", "Wenxiang Deng", "Xiaodong Wu")


def test_arxiv_unknown_id_is_a_clear_error() -> None:
    with pytest.raises(MetadataNotFound, match="arXiv does not know the paper 2101.99999"):
        fetch_arxiv("2101.99999")


def test_arxiv_error_entry_is_reported() -> None:
    with pytest.raises(MetadataNotFound, match="incorrect id format for 1234.12345"):
        fetch_arxiv("1234.12345")


@pytest.mark.parametrize("content, message", [
    (b"Rate exceeded.", "rate-limiting"),
    (b"<html>not atom", "not valid Atom XML"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feed/>', "DOCTYPE"),
])
def test_arxiv_bad_answers(content: bytes, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        parse_arxiv_feed(content, "2007.13559")


CHEN = Metadata(
    title="Unsupervised lesion detection via image restoration with a normative prior",
    authors=("Xiaoran Chen", "Suhang You", "Kerem Can Tezcan", "Ender Konukoglu"), year=2020,
    venue="MIA, 2020", pdf="https://doi.org/10.1016/j.media.2020.101713", arxiv=None,
    doi="10.1016/j.media.2020.101713")


@pytest.mark.parametrize("source", ["10.1016/j.media.2020.101713",
                                    "https://doi.org/10.1016/j.media.2020.101713",
                                    "doi:10.1016/J.MEDIA.2020.101713"])
def test_crossref_journal_article(source: str) -> None:
    assert fetch(source) == CHEN


@pytest.mark.parametrize("doi, venue, year", [
    ("10.1109/TMI.2019.2919951", "TMI, 2019", 2019),  # known journal -> the list's acronym
    ("10.1007/978-3-030-32251-9_32", "MICCAI'19", 2019),  # event acronym
    ("10.1109/ISBI45749.2020.9098686", "ISBI'20", 2020),  # acronym in the proceedings title
    ("10.1117/12.2254487", "Medical Imaging 2017: Image Processing", 2017),  # title kept
    ("10.5555/medad.markup.2019", "Radiol Artif Intell, 2019", 2019),  # short container title
])
def test_crossref_venues_in_the_lists_style(doi: str, venue: str, year: int) -> None:
    meta = fetch_crossref(doi)
    assert (meta.venue, meta.year) == (venue, year)


def test_crossref_non_ascii_authors() -> None:
    meta = fetch_crossref("10.1109/TMI.2019.2919951")
    assert meta.authors[:2] == ("Philipp Seeböck", "José Ignacio Orlando")
    assert "Hrvoje Bogunović" in meta.authors


def test_crossref_markup_entities_and_organisation_authors() -> None:
    meta = fetch_crossref("10.5555/medad.markup.2019")
    assert meta.title == "Deep learning of in vivo OCT images & their labels"
    assert meta.authors == ("The OCT Consortium", "Ana Müller")


def test_crossref_unknown_doi_is_a_clear_error() -> None:
    with pytest.raises(MetadataNotFound, match=r"Crossref does not know the DOI 10\.9999/nope"):
        fetch_crossref("10.9999/nope")


def test_server_error_is_a_network_error(server: ApiServer) -> None:
    with pytest.raises(NetworkError, match="answered HTTP 500"):
        fetch_crossref("10.1016/j.media.2020.101713", base=f"{server.base}/broken")


def test_garbage_json_is_a_network_error(server: ApiServer) -> None:
    with pytest.raises(NetworkError, match="unexpected answer"):
        fetch_crossref("10.1016/j.media.2020.101713", base=f"{server.base}/garbage")


def test_timeout_is_a_clear_network_error(server: ApiServer) -> None:
    with pytest.raises(NetworkError, match="did not answer in time.*MEDAD_ARXIV_API"):
        fetch_arxiv("2007.13559", base=f"{server.base}/slow/arxiv", timeout=0.3)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDAD_CROSSREF_API", f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(NetworkError, match="cannot reach the crossref API.*MEDAD_CROSSREF_API"):
        fetch("10.1016/j.media.2020.101713")


def test_config_overrides_win(server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDAD_ARXIV_API", f"http://127.0.0.1:{_closed_port()}")
    assert fetch("2007.13559v2", api={"arxiv": server.arxiv}) == MADGAN


@pytest.mark.parametrize("source", ["not an id", "https://example.org/paper"])
def test_neither_arxiv_nor_doi(source: str) -> None:
    with pytest.raises(MetadataNotFound, match="neither an arXiv id/URL nor a DOI"):
        fetch(source)


@pytest.mark.parametrize("raw, clean", [
    ("A  title\n   wrapped", "A title wrapped"),
    ("<i>In vivo</i> &amp; <sub>2</sub>D", "In vivo & 2D"),
    ("$\\mathcal{L}_2$ loss", "$\\mathcal{L}_2$ loss"),
])
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


@pytest.mark.parametrize("work, venue", [
    ({"type": "posted-content", "DOI": "10.48550/arXiv.2007.13559"}, "arxiv, 2020"),
    ({"type": "posted-content", "DOI": "10.1101/x", "institution": [{"name": "bioRxiv"}]},
     "bioRxiv, 2020"),
    ({"type": "proceedings-article", "container-title": ["Proc. MIDL"],
      "event": {"acronym": "MIDL 2020"}}, "MIDL'20"),
    ({"type": "journal-article", "container-title": ["Some Journal"]}, "Some Journal, 2020"),
    ({"type": "other", "publisher": "Zenodo"}, "Zenodo, 2020"),
])
def test_crossref_venue_rules(work: dict[str, object], venue: str) -> None:
    assert crossref_venue(work, 2020) == venue
