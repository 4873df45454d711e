"""Live link checking for ``medad lint`` (skipped with ``--offline``).

Public API::

    check_links(targets, settings, progress=None) -> list[Problem]
    run_link_check(targets, settings, progress=None) -> LinkReport  # + outcomes, summary

``targets`` are :class:`LinkTarget` (url, every location, the entry's title,
the link's kind); duplicates are merged, so each distinct URL is fetched
once.  Modules: ``settings`` (limits and policies), ``scheduler`` (global and
per-host limits, pacing, back-off), ``client`` (one bounded HTTP exchange,
DNS pre-check), ``checker`` (the per-URL state machine and classification),
``arxiv`` / ``github`` (API checks), ``cache`` (``.medad-cache/links.json``),
``outcome`` (rules and findings), ``titles`` (page title comparison),
``secrets`` (redaction, per-host headers), ``progress`` (the CLI's bar).
"""

from awesome_medad.links.check import (
    LinkReport,
    LiveCheck,
    PendingProblems,
    ProgressCallback,
    ProgressEvent,
    check_links,
    run_link_check,
)
from awesome_medad.links.outcome import RULE_TABLE, LinkTarget, Outcome, targets_from_occurrences
from awesome_medad.links.settings import HostPolicy, LinkSettings, SkipRule

RULES = RULE_TABLE  # rule id -> (default level, summary); lint's runner reads it

__all__ = [
    "RULES", "RULE_TABLE", "HostPolicy", "LinkReport", "LinkSettings", "LinkTarget", "LiveCheck",
    "Outcome", "PendingProblems", "ProgressCallback", "ProgressEvent", "SkipRule", "check_links",
    "run_link_check", "targets_from_occurrences",
]
