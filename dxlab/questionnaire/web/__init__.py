"""The class web app: the self-assessment served to a lecture hall without a kernel per student.

``dxlab class serve`` runs it; :func:`create_app` builds the ASGI app from :class:`ClassSettings` (for tests
and for embedding), :func:`serve` runs it with uvicorn and prints the join and teacher links.
"""

from ._app import ClassSettings, Web, asked_rubric, create_app
from ._results import StudentResult, score_many

__all__ = ["ClassSettings", "StudentResult", "Web", "asked_rubric", "create_app", "score_many"]
