"""``medad lint``: offline checks of the catalogue and of any Markdown list.

One module per check family (:mod:`.anchors`, :mod:`.duplicates`,
:mod:`.hygiene`, :mod:`.sync`, :mod:`.structure`), each declaring its rules
(id + default level) and yielding :class:`~awesome_medad.problems.Problem`
objects; :mod:`.runner` applies configuration and suppressions and is where
the live link check plugs in (see :func:`.runner.collect_link_targets`).
Heavy modules are imported by the runner only, so importing this package is cheap.
"""
