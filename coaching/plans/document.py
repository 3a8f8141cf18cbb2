"""A plan as one document: ``snapshot(plan)``, the dict kept in ``PlanVersion.data`` (its
shape, ``schema`` 1, is in ``services.document``), and ``PlanDocument``, a read-only view of a
snapshot for templates (``plans/includes/document.html``: the version page, the PDF).

The code lives in ``coaching.plans.services.document``, next to the finance service it reads,
so that ``services`` never imports back from here.
"""

from coaching.plans.services.document import (
    SCHEMA,
    DocumentPart,
    PlanDocument,
    content_of,
    snapshot,
)

__all__ = ["SCHEMA", "DocumentPart", "PlanDocument", "content_of", "snapshot"]
