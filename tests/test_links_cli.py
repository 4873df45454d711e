"""``medad lint`` with the live link check: options, formats, secrets, no network, progress."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from links_support import Handler, Server, ok, redirect, send, serving, status

from awesome_medad.cli import main

SUMMARY_TAIL = ("Google Scholar search pages answer robots with HTTP 429 or a captcha, so they "
                "cannot be checked; skipped by default (links: check-google-scholar: true checks "
                "them anyway)")


def catalogue(gone: str, old: str) -> str:
    return f"""title: Test list
sections:
  - id: mri
    heading: Brain MRI
papers:
  - id: chen2018
    title: Unsupervised Detection of Lesions in Brain MRI
    venue: MIDL'18
    sections: [mri]
    links:
      google scholar: https://scholar.google.com/scholar?q=x
      pdf: {gone}
      code: {old}
  - id: baur2018
    title: Deep Autoencoding Models for Anomaly Segmentation
    venue: MICCAI'18
    sections: [mri]
    lint-ignore: [duplicate-url]
    links:
      pdf: {gone}
"""


@pytest.fixture
def farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A catalogue (and its README) in tmp_path whose links point at a local server."""
    server = Server("127.0.0.2", {"/gone.pdf": status(404), "/old": redirect("/new"),
                                  "/new": ok()})
    with serving(server):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        (tmp_path / "papers.yaml").write_text(catalogue(server.url("/gone.pdf"),
                                                        server.url("/old")))
        (tmp_path / ".medad.yaml").write_text("rules: {url-insecure: off}\n")
        result = CliRunner().invoke(main, ["render", "--catalogue", "papers.yaml"])
        assert result.exit_code == 0
        yield server


def lint(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", "--catalogue", "papers.yaml", "--cache-dir", "c",
                                       *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_report_and_summary(farm: Server) -> None:
    code, out, err = lint("--format", "text")
    gone, old, new = farm.url("/gone.pdf"), farm.url("/old"), farm.url("/new")
    assert code == 1
    assert out == f"""papers.yaml
  12:12  error    {gone} is dead: HTTP 404  [link-dead]
         at: papers -> 0 -> links -> pdf
         hint: fix or remove the link
         see: papers.yaml:20:12
  13:13  warning  {old} moved permanently to {new}  [link-redirect]
         at: papers -> 0 -> links -> code
         hint: replace the URL with the new one

2 problems (1 error, 1 warning, 0 info)
"""
    assert err == ("links: 2 checked (0 from cache): 0 ok, 1 redirected, 1 dead, 0 errors, "
                   f"0 unverified; 1 skipped: {SUMMARY_TAIL}\n")
    assert sorted(s.path for s in farm.seen) == ["/gone.pdf", "/new", "/old"]  # once each
    farm.seen.clear()
    code, _, err = lint("--format", "text")  # the cache spares the good link, not the dead one
    assert sorted(s.path for s in farm.seen) == ["/gone.pdf"]
    assert err.startswith("links: 2 checked (1 from cache)")


def test_json_report_has_every_location_and_no_summary(farm: Server) -> None:
    code, out, err = lint("--format", "json", "--no-cache")
    data = json.loads(out)
    dead = [p for p in data["problems"] if p["rule"] == "link-dead"]
    assert dead == [{"path": "papers.yaml", "line": 12, "column": 12, "rule": "link-dead",
                     "level": "error", "message": f"{farm.url('/gone.pdf')} is dead: HTTP 404",
                     "hint": "fix or remove the link",
                     "breadcrumb": ["papers", 0, "links", "pdf"],
                     "related": [{"path": "papers.yaml", "line": 20, "column": 12}]}]
    assert (code, err) == (1, "")
    assert not Path("c").exists()  # --no-cache


def test_offline_makes_no_request(farm: Server) -> None:
    code, out, _ = lint("--offline", "--format", "text")
    assert farm.seen == []
    assert "link-dead" not in out


def test_options_reach_the_checker(farm: Server) -> None:
    farm.routes["/old"] = lambda h: send(h, 200)
    farm.routes["/gone.pdf"] = lambda h: send(h, 200)
    code, out, _ = lint("--format", "text", "--concurrency", "1", "--per-host", "1",
                        "--host-interval", "0.4", "--timeout", "5")
    starts = sorted(s.at for s in farm.seen)
    assert code == 0 and len(starts) == 2
    assert starts[1] - starts[0] >= 0.38  # --host-interval paced the two requests


def test_secrets_never_appear_in_any_format(farm: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "Bearer cfg-header-S3CRET"
    token = "ghp_CLItokenS3CRET"
    def echo(h: Handler) -> None:
        send(h, 500, h.headers.get("Authorization", "").encode())  # a server that leaks it back
    farm.routes["/old"] = echo
    Path(".medad.yaml").write_text(
        "rules: {url-insecure: off}\nlinks:\n  retries: 0\n  headers:\n"
        f"    127.0.0.2: {{Authorization: {secret}}}\n")
    monkeypatch.setenv("GITHUB_TOKEN", token)
    outputs = []
    for fmt in ("text", "json", "github", "sarif"):
        _, out, err = lint("--format", fmt)
        outputs.append(out + err)
    outputs.append(Path("c/links.json").read_text())
    assert farm.requests_to("/old")[0].headers["Authorization"] == secret
    for text in outputs:
        assert "cfg-header-S3CRET" not in text and token not in text


def test_no_network_one_clear_error_per_url(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("papers.yaml").write_text(catalogue("https://papers.invalid/a.pdf",
                                             "https://code.invalid/repo"))
    Path(".medad.yaml").write_text("rules: {url-insecure: off}\n"
                                   "links: {dns-canaries: [canary.invalid]}\n")
    assert CliRunner().invoke(main, ["render", "--catalogue", "papers.yaml"]).exit_code == 0
    code, out, err = lint("--format", "text")
    assert code == 1
    assert out.count("network unreachable") == 2
    assert "Traceback" not in out + err


def test_bad_link_configuration_is_exit_2(farm: Server) -> None:
    Path(".medad.yaml").write_text("links: {skip: ['(']}\n")
    code, _, err = lint("--format", "text")
    assert code == 2
    assert "links -> skip -> 0: bad regular expression" in err
    assert farm.seen == []


def test_progress_bar_only_on_a_terminal(farm: Server) -> None:
    _, _, err = lint("--format", "text")  # CliRunner: not a terminal
    assert "checking links" not in err
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    process = subprocess.run(
        [sys.executable, "-m", "awesome_medad", "lint", "--catalogue", "papers.yaml",
         "--format", "text", "--no-cache"], stdout=subprocess.PIPE, stderr=follower, env=env,
        timeout=60, check=False)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    terminal = b"".join(chunks).decode(errors="replace")
    assert process.returncode == 1
    assert "checking links" in terminal and "/3" in terminal  # done/total
    assert "checking links" not in process.stdout.decode()
