"""Impact: what is hit if a supplier or dataset fails, or a person or role is gone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from aimsgraph.api.http.deps import AsOf, QueriesDep, ReaderCaller
from aimsgraph.api.http.kept import kept_response
from aimsgraph.api.http.models import ImpactModel
from aimsgraph.graph.questions.kinds import ImpactKind

router = APIRouter(prefix="/impact", tags=["traces"])


@router.get("/{kind}/{node_id}", response_model=ImpactModel, summary="What is hit if it fails "
            "or leaves")
def impact(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
           kind: Annotated[ImpactKind, Path(description="What the id names.")],
           node_id: Annotated[str, Path(description="The supplier, dataset, person or role "
                                                    "id.", examples=["SUP-CLOUD"])],
           ) -> Response:
    """The AI systems hit (high-tier first) and how, their risks and controls, the datasets,
    suppliers and policies hit, the roles left vacant, what loses its owner or executive (a
    person's departure or a role's vacancy on the date), the item-local checks' findings on
    what is hit (`starts`: true for those the departure or vacancy starts), and the
    executives who answer. Read as a walk out from the subject, never the whole graph."""
    return kept_response(request, queries, ("impact", kind, node_id, as_of), ImpactModel,
                         lambda: queries.impact(kind, node_id, as_of))
