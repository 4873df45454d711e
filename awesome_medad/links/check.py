"""Running a live check: plan (skip, cache, arXiv, GitHub, HTTP), schedule, report.

Example::

    from awesome_medad.links import LinkSettings, LinkTarget, check_links
    from awesome_medad.problems import Location

    targets = [LinkTarget("https://arxiv.org/abs/1806.04972",
                          (Location("data/papers.yaml", 40, 12),),
                          title="Unsupervised Detection of Lesions in Brain MRI", kind="pdf")]
    problems = check_links(targets, LinkSettings(concurrency=8))

Each distinct URL is fetched once whatever the number of entries using it;
its findings carry every location.  The library never prints: progress goes
to the optional ``progress`` callback (the CLI draws a bar on terminals).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from awesome_medad.http import USER_AGENT, api_base, make_session
from awesome_medad.ids import github_repo
from awesome_medad.links import arxiv, github
from awesome_medad.links.cache import LinkCache
from awesome_medad.links.checker import ApiJob, Context, UrlJob, host_key
from awesome_medad.links.client import (
    Client,
    Exchange,
    Proxies,
    Resolver,
    Watchdog,
    environ_ca_bundle,
    tracked_adapter_class,
)
from awesome_medad.links.outcome import (
    GOOD,
    LinkTarget,
    MergedTarget,
    Outcome,
    findings,
    https_twin,
    merge_targets,
    same_address,
    targets_from_occurrences,
)
from awesome_medad.links.scheduler import Job, Scheduler
from awesome_medad.links.secrets import Redactor, host_of
from awesome_medad.links.settings import LinkSettings
from awesome_medad.problems import Problem

FAILED = frozenset({"dead", "error"})
NOT_WEB = frozenset({"mailto", "ftp", "file", "tel", "data", "javascript", "irc", "news"})
NOT_WEB_REASON = "only http and https links are checked"


@dataclass(frozen=True)
class ProgressEvent:
    """Sent to the progress callback once per distinct URL as it is settled."""

    done: int
    total: int
    failures: int
    url: str
    status: str


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class LinkReport:
    """Everything a run found: the problems, the outcome of every URL, the skips."""

    problems: list[Problem]
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outcomes.values())

    def skipped(self) -> Counter[str]:
        """Skip reason -> number of URLs."""
        return Counter(o.detail for o in self.outcomes.values() if o.status == "skipped")

    def summary(self) -> str:
        """One paragraph by class, e.g. for the end of ``medad lint`` text output."""
        counts = self.counts()
        cached = sum(1 for o in self.outcomes.values() if o.cached)
        checked = len(self.outcomes) - counts["skipped"]
        classes = ", ".join(f"{counts[k]} {label}" for k, label in (
            ("ok", "ok"), ("redirect", "redirected"), ("dead", "dead"), ("error", "errors"),
            ("unverified", "unverified")))
        text = f"links: {checked} checked ({cached} from cache): {classes}"
        mismatches = sum(1 for p in self.problems if p.rule == "link-mismatch")
        if mismatches:
            text += f", {mismatches} title mismatches"
        upgradable = sum(1 for o in self.outcomes.values() if o.https_url)
        if upgradable:
            text += f", {upgradable} http:// links proven to work over https://"
        for reason, n in sorted(self.skipped().items()):
            text += f"; {n} skipped: {reason}"
        return text


class LiveCheck:
    """The lint runner's ``live`` hook: its URL targets in, problems out.

    Takes the runner's targets (one per use of a URL: ``url``, ``locations``,
    ``title``, ``kind``; repeated URLs are merged here), keeps the
    :class:`LinkReport` for the final summary, and runs inside ``progress``
    when that is a context manager (the CLI's progress bar).

    Calling it *starts* the check (planning, the HTTP session and the first
    requests happen before it returns) and gives back a
    :class:`PendingProblems`; iterating that waits for the last answer.  So
    the runner hands over the targets as soon as it has them, runs the
    offline rules while the requests are in flight, and collects these
    findings last (the report is sorted, so the output does not change).
    The setup is done in the caller's thread on purpose: under the GIL, CPU
    work running beside it (the offline rules) would only delay the first
    request; once requests are in flight, the threads mostly wait on sockets.
    """

    def __init__(self, settings: LinkSettings, progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self.progress = progress
        self.report: LinkReport | None = None

    def __call__(self, targets: Sequence[Any]) -> PendingProblems:
        converted = [t for target in targets for t in _as_targets(target)]
        stack = ExitStack()
        if isinstance(self.progress, AbstractContextManager):
            stack.enter_context(self.progress)
        with stack:
            run = _Run(self.settings, self.progress)
            run.begin(converted)
            return PendingProblems(partial(self._end, run, stack.pop_all()))

    def _end(self, run: _Run, stack: ExitStack) -> list[Problem]:
        with stack:
            self.report = run.end()
        return self.report.problems


class PendingProblems:
    """Findings of a check still running; iterating (or :meth:`wait`) waits for them.

    ``finish`` is called once, by the first :meth:`wait`; what it raises is
    raised there.  If nobody waits (the caller failed meanwhile), the
    check's threads are daemons and do not keep the process alive.
    """

    def __init__(self, finish: Callable[[], list[Problem]]) -> None:
        self._finish: Callable[[], list[Problem]] | None = finish
        self._result: list[Problem] = []

    def wait(self) -> list[Problem]:
        """The findings, once the last request has ended."""
        if self._finish is not None:
            finish, self._finish = self._finish, None
            self._result = finish()
        return self._result

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.wait())


def _as_targets(target: Any) -> list[LinkTarget]:
    """The runner's target (``url, locations, title, kind``, or ``url, occurrences``) as ours."""
    if hasattr(target, "occurrences"):
        return targets_from_occurrences(target.url, target.occurrences)
    return [LinkTarget(target.url, tuple(target.locations), getattr(target, "title", None),
                       getattr(target, "kind", None), tuple(getattr(target, "breadcrumb", ())))]


def check_links(targets: Iterable[LinkTarget], settings: LinkSettings,
                progress: ProgressCallback | None = None) -> list[Problem]:
    """Check ``targets`` live and return the findings (see :func:`run_link_check`)."""
    return run_link_check(targets, settings, progress).problems


def run_link_check(targets: Iterable[LinkTarget], settings: LinkSettings,
                   progress: ProgressCallback | None = None) -> LinkReport:
    """Check ``targets`` live: findings, per-URL outcomes and skips.

    Never raises for a bad link or a bad network: those are findings.
    """
    run = _Run(settings, progress)
    run.begin(list(targets))
    return run.end()


class _Run:
    """One live check: shared state between the planner, the jobs and the report."""

    def __init__(self, settings: LinkSettings, progress: ProgressCallback | None) -> None:
        self.settings = settings
        self.progress = progress
        self.redactor = Redactor(settings.secrets())
        self.lock = threading.Lock()
        self.outcomes: dict[str, Outcome] = {}
        self.failures = 0
        self.total = 0
        self.cache = LinkCache.open(settings.cache_path, settings.cache_ttl, self.redactor) \
            if settings.cache else None
        self.arxiv_base = api_base("arxiv", settings.api_overrides)
        self.github_base = api_base("github", settings.api_overrides)
        self.scheduler = Scheduler(settings.concurrency, self._limit, self._interval)

    # -- the run -------------------------------------------------------------------------

    def begin(self, targets: list[LinkTarget]) -> None:
        """Plan and start the requests; they run on the scheduler's threads until :meth:`end`."""
        self.merged = merge_targets(targets)
        self.total = len(self.merged)
        plain, repos, arxiv_groups = self._plan(self.merged)
        self.client: Client | None = None
        if plain or repos or arxiv_groups:
            self.client = self._client()
            self._schedule(plain, repos, arxiv_groups)

    def end(self) -> LinkReport:
        """Wait for every request, save the cache, and turn the outcomes into findings."""
        if self.client is not None:
            try:
                self.scheduler.join()
            finally:
                self.client.session.close()
                self.client.watchdog.close()
        if self.cache:
            self.cache.save()
        problems = [p for t in self.merged for p in findings(t, self.outcomes[t.url],
                                                             self.settings.check_titles)]
        if self.cache:
            problems.extend(self.cache.problems)
        clean = [replace(p, message=self.redactor.clean(p.message),
                         hint=self.redactor.clean(p.hint)) for p in problems]
        return LinkReport(clean, dict(self.outcomes))

    def _plan(self, merged: list[MergedTarget]) -> tuple[
            list[MergedTarget], list[MergedTarget], dict[str, list[MergedTarget]]]:
        """Settle skipped and cached URLs now; sort the rest into plain HTTP, GitHub, arXiv."""
        plain: list[MergedTarget] = []
        repos: list[MergedTarget] = []
        arxiv_groups: dict[str, list[MergedTarget]] = {}
        for target in merged:
            if self._settled_now(target):
                continue
            ident = _arxiv_of(target.url)
            if ident:
                arxiv_groups.setdefault(ident.lower(), []).append(target)
            elif self.settings.github_token and github_repo(target.url, home_page=True):
                repos.append(target)
            else:
                plain.append(target)
        return plain, repos, arxiv_groups

    def _settled_now(self, target: MergedTarget) -> bool:
        url = target.url
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        reason = NOT_WEB_REASON if scheme in NOT_WEB else next(
            (rule.reason for rule in self.settings.skip if rule.matches(url)), None)
        if reason:
            self._record(target, Outcome(url, "skipped", reason), cache_key=None)
            return True
        cached = self._cached(target)
        if cached:
            self._record(target, cached, cache_key=None)
            return True
        return False

    def _cached(self, target: MergedTarget) -> Outcome | None:
        if not self.cache:
            return None
        ident = _arxiv_of(target.url)
        hit = self.cache.get(f"arxiv:{ident.lower()}" if ident else target.url)
        if hit and not ident and self.settings.check_https and not hit.https_checked and \
                hit.status in GOOD and https_twin(target.url):
            return None  # cached before its https:// twin was tried: check both now
        return replace(hit, url=target.url) if hit else None

    def _schedule(self, plain: list[MergedTarget], repos: list[MergedTarget],
                  arxiv_groups: dict[str, list[MergedTarget]]) -> None:
        for ids in arxiv.batches(list(arxiv_groups), self.settings.arxiv_batch):
            url = arxiv.query_url(self.arxiv_base, ids)
            payload = {i: arxiv_groups[i] for i in ids}
            self.scheduler.add(ApiJob(self.context, url, ("arxiv", payload)))
        for target in repos:
            self.scheduler.add(self._github_job(target))
        for target in plain:
            self.scheduler.add(UrlJob(self.context, target))
        self.scheduler.start(self._on_done)

    def _client(self) -> Client:
        s = self.settings
        per_host = max([s.per_host, *(p.per_host for p in s.hosts.values() if p.per_host)])
        session = make_session(pool_size=per_host, user_agent=s.user_agent or USER_AGENT,
                               pool_hosts=64,
                               adapter_cls=tracked_adapter_class(s.connect_address))
        session.trust_env = False  # proxies: client.Proxies, once per host; no ~/.netrc
        client = Client(session, Watchdog(), s.connect_timeout, s.read_timeout, s.body_prefix,
                        verify=s.ca_bundle or environ_ca_bundle() or True,
                        proxies=Proxies(s.connect_address))
        token = s.github_token
        base = self.github_base
        self.context = Context(s, client, Resolver(s.dns_timeout, s.dns_canaries),
                               self.redactor,
                               extra_headers=lambda url: github.auth_headers(url, base, token))
        return client

    # -- jobs and their results ---------------------------------------------------------

    def _github_job(self, target: MergedTarget) -> Job:
        owner, repo = github_repo(target.url, home_page=True) or ("", "")
        return ApiJob(self.context, github.repo_api_url(self.github_base, owner, repo),
                      ("github", target))

    def _on_done(self, job: Job, value: object) -> None:
        if isinstance(job, TwinJob):
            assert isinstance(value, Outcome)
            self._twin_done(job, value)
        elif isinstance(job, UrlJob):
            assert isinstance(value, Outcome)
            self._url_done(job, value)
        elif isinstance(job, ApiJob):
            kind, payload = job.payload
            if kind == "arxiv":
                self._arxiv_done(payload, value)
            else:
                self._github_done(payload, value)

    # -- https:// twins of http:// links (check-https) -----------------------------------

    def _url_done(self, job: UrlJob, outcome: Outcome) -> None:
        """Record a URL's outcome, unless its https:// twin must be tried first."""
        twin = https_twin(job.target.url) if self.settings.check_https else None
        if twin is None or outcome.status not in GOOD:
            self._record(job.target, outcome, cache_key=job.target.url)
        elif twin in job.hops:  # it redirected through its twin, which therefore ends as it does
            self._record(job.target, replace(outcome, https_checked=True, https_url=twin),
                         cache_key=job.target.url)
        else:
            self.scheduler.add(TwinJob(self.context, job, outcome, twin))

    def _twin_done(self, job: TwinJob, twin: Outcome) -> None:
        """Equivalent when both end OK at the same address (scheme and trailing slash aside)."""
        proven = twin.status in GOOD and same_address(job.plain_end, job.url)
        outcome = replace(job.plain, https_checked=True,
                          https_url=job.target.url if proven else None)
        self._record(job.plain_target, outcome, cache_key=job.plain_target.url)

    def _arxiv_done(self, groups: dict[str, list[MergedTarget]], value: object) -> None:
        titles: dict[str, str] | None = None
        if isinstance(value, Exchange) and value.status == 200:
            try:
                titles = arxiv.parse_feed(value.text())
            except ValueError:
                titles = None
        for ident, targets in groups.items():
            for target in targets:
                if titles is None:  # the API failed: check these links one by one instead
                    self.scheduler.add(UrlJob(self.context, target))
                elif ident in titles:
                    outcome = Outcome(target.url, "ok", code=200, page_title=titles[ident],
                                      checked_at=_now())
                    self._record(target, outcome, cache_key=f"arxiv:{ident}")
                else:
                    outcome = Outcome(target.url, "dead", f"arXiv has no paper with id {ident}",
                                      checked_at=_now())
                    self._record(target, outcome, cache_key=f"arxiv:{ident}")

    def _github_done(self, target: MergedTarget, value: object) -> None:
        owner, repo = github_repo(target.url, home_page=True) or ("", "")
        if isinstance(value, Exchange) and value.status == 404:
            outcome = Outcome(target.url, "dead", f"GitHub has no repository {owner}/{repo} "
                              "(HTTP 404 from the GitHub API)", code=404, checked_at=_now())
            self._record(target, outcome, cache_key=target.url)
            return
        if isinstance(value, Exchange) and value.status == 200:
            try:
                full_name, archived, html_url = github.parse_repo(value.text())
            except ValueError:
                pass
            else:
                moved = html_url if full_name.lower() != f"{owner}/{repo}".lower() else None
                outcome = Outcome(target.url, "ok", code=200, moved_to=moved, archived=archived,
                                  checked_at=_now())
                self._record(target, outcome, cache_key=target.url)
                return
        # Rate limited, bad token, API down: the plain HTTP check still says something.
        self.scheduler.add(UrlJob(self.context, target))

    def _record(self, target: MergedTarget, outcome: Outcome, cache_key: str | None) -> None:
        with self.lock:
            self.outcomes[target.url] = outcome
            if outcome.status in FAILED:
                self.failures += 1
            if self.cache and cache_key:
                self.cache.put(cache_key, outcome)
            if self.progress:
                self.progress(ProgressEvent(len(self.outcomes), self.total, self.failures,
                                            target.url, outcome.status))

    # -- per-host limits ----------------------------------------------------------------

    def _limit(self, key: str) -> int:
        name = key.rsplit(":", 1)[0] if key.count(":") == 1 else key
        if key not in self.settings.hosts and host_of(self.arxiv_base) == name and \
                self.settings.policy(name).per_host is None:
            return 1
        return self.settings.limit_for(key if key in self.settings.hosts else name)

    def _interval(self, key: str) -> float:
        name = key.rsplit(":", 1)[0] if key.count(":") == 1 else key
        policy = self.settings.policy(key if key in self.settings.hosts else name)
        if policy.interval is not None:
            return policy.interval
        if host_key(self.arxiv_base) == key:
            return self.settings.arxiv_interval
        return self.settings.host_interval


class TwinJob(UrlJob):
    """Fetches the https:// twin of an http:// URL that ended OK (see ``check-https``)."""

    def __init__(self, ctx: Context, plain: UrlJob, outcome: Outcome, twin: str) -> None:
        super().__init__(ctx, MergedTarget(twin, (), (), ()))  # no title: HEAD is enough
        self.plain_target = plain.target
        self.plain = outcome
        self.plain_end = plain.url  # where the http:// URL's redirects ended


def _arxiv_of(url: str) -> str | None:
    """The arXiv id of an arXiv URL; a malformed URL is left to the HTTP check to report."""
    from awesome_medad.ids import arxiv_id

    try:
        return arxiv_id(url)
    except ValueError:
        return None


def _now() -> float:
    import time

    return time.time()
