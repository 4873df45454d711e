"""Shared fixtures: small catalogues written to real files under ``tmp_path``."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
# The shipped catalogue as released (a byte copy of data/papers.yaml at release). Tests of
# seed fidelity and exact figures use it, so adding or fixing papers in data/papers.yaml
# never breaks the suite; tests of the repository's health use data/papers.yaml itself.
SEED_CATALOGUE = FIXTURES / "seed-catalogue.yaml"

MINIMAL = """\
title: Test list
sections:
  - id: dl
    heading: Deep learning
    sections:
      - id: mri
        heading: Brain MRI
      - id: ct
        heading: Brain CT
papers:
  - id: chen2018unsupervised
    authors: [Chen]
    et_al: true
    title: Unsupervised Detection of Lesions
    venue: MIDL'18
    year: 2018
    sections: [dl/mri]
    links:
      pdf: https://arxiv.org/abs/1806.04972
"""


def _loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Name lookups of anything but loopback fail, as they do in CI (which has no network).

    A safety net for developers' machines: a test that would reach a real host by
    mistake behaves exactly as in CI instead of depending on the internet.
    """
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is None or _loopback(str(host)):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests stay local)")

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    yield


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to ``tmp_path/name`` and return the path."""

    def _write(content: str | bytes, name: str = "papers.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def seed_text() -> str:
    """The list as it stood on 2020-08-10, normalised as render may normalise it."""
    raw = (FIXTURES / "seed.md").read_text(encoding="utf-8")
    return raw.rstrip(" ").rstrip("\n") + "\n"
