"""medad: keep a curated research-paper list honest.

The YAML catalogue (``data/papers.yaml``) is the single source of truth; the
README is rendered from it, and ``medad lint`` checks both.  Data flows one
way: YAML -> :class:`~awesome_medad.catalogue.Catalogue` -> Markdown,
:class:`~awesome_medad.problems.Problem` lists, exports.
"""

__version__ = "0.1.0"
