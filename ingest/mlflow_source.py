"""The MLflow model registry as a job's source, read over its REST API (the mlflow package
is not needed to run it).

Each registered model is an AI system: its id the model's tag ``aimsgraph.id`` (the prefix
configurable with ``tag_prefix``), else the model's name; its purpose the description; its
owner role, risk tier, life-cycle stage, EU AI Act roles and unit from the tags of the same
prefix. Where no tag says the stage, the registry does: an alias (``production``,
``champion``) or a version in the Production stage is deployed, Archived alone is retired,
anything else is in development. Each model version is Evidence of the system's development
(its run id, creation date and source URI) supporting the requirement ``requirement``
(default A.6.2.3, documentation of AI system design and development). With ``sync``, a
model deleted from the registry keeps its AI system, retired.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.ingest.jobs import Job, job_source
from aimsgraph.ingest.tables import Bundle, Row, Table

__all__ = ["mlflow_bundle"]

#: How many models or versions one page of the registry's answer holds (the most MLflow
#: gives for a page of models).
PAGE = 1000
#: Aliases that say a version is in production.
LIVE_ALIASES = {"production", "prod", "champion", "live"}
_SYSTEM_TAGS = ("owner_role", "risk_tier", "lifecycle", "eu_ai_act_role", "unit")


def _pages(client: Any, url: str, path: str, key: str, params: dict[str, Any]
           ) -> list[dict[str, Any]]:
    """Every item of a paginated registry search (``next_page_token`` followed)."""
    found: list[dict[str, Any]] = []
    token = None
    while True:
        asked = {**params, "max_results": PAGE, **({"page_token": token} if token else {})}
        response = client.get(f"{url}/api/2.0/mlflow/{path}", params=asked)
        response.raise_for_status()
        data = response.json()
        found += data.get(key) or []
        token = data.get("next_page_token")
        if not token:
            return found


def _stage(model: dict[str, Any], versions: list[dict[str, Any]]) -> str:
    aliases = {str(a.get("alias", "")).lower() for a in model.get("aliases") or []}
    stages = {str(v.get("current_stage", "")) for v in versions}
    if aliases & LIVE_ALIASES or "Production" in stages:
        return "deployed"
    if versions and stages == {"Archived"}:
        return "retired"
    return "development"


def mlflow_bundle(job: Job, store: GraphStore) -> Bundle:
    """The registry's models and versions as ai_systems and evidence rows."""
    import httpx  # only a job that runs reads from the network

    url = str(job.options["url"]).rstrip("/")
    prefix = str(job.options.get("tag_prefix") or "aimsgraph.")
    requirement = str(job.options.get("requirement") or "A.6.2.3")
    timeout = float(job.options.get("timeout") or 30)
    where = f"job {job.name}: mlflow {url}"
    systems: list[Row] = []
    evidence: list[Row] = []
    seen: set[str] = set()
    with httpx.Client(headers=job.header_values(), timeout=timeout) as client:
        models = _pages(client, url, "registered-models/search", "registered_models", {})
        # every version in one paged search, not one per model: 1,000 models took 6.4 s
        # that way, 0.4 s this way (python -m bench.mlflow_job)
        every = _pages(client, url, "model-versions/search", "model_versions", {})
    by_model: dict[str, list[dict[str, Any]]] = {}
    for version in every:
        by_model.setdefault(str(version["name"]), []).append(version)
    for model in models:
        name = str(model["name"])
        tags = {str(t["key"]): str(t["value"]) for t in model.get("tags") or []}
        versions = sorted(by_model.get(name, []), key=lambda v: int(v["version"]))
        system_id = tags.get(f"{prefix}id") or name
        seen.add(system_id)
        cells: dict[str, Any] = {"id": system_id, "name": name,
                                 "purpose": model.get("description") or None,
                                 "lifecycle": _stage(model, versions)}
        for tag in _SYSTEM_TAGS:
            if f"{prefix}{tag}" in tags:
                value = tags[f"{prefix}{tag}"]
                cells[tag] = value.split(",") if tag == "eu_ai_act_role" else value
        systems.append(Row(f"model {name}", cells))
        for version in versions:
            number = str(version["version"])
            created = dt.datetime.fromtimestamp(
                int(version.get("creation_timestamp") or 0) / 1000, dt.UTC).date()
            run = version.get("run_id") or "-"
            evidence.append(Row(f"model {name} version {number}", {
                "id": f"{system_id}:v{number}",
                "title": f"{name} version {number} (run {run})",
                "kind": "model_version", "uri": version.get("source") or None,
                "collected_on": created.isoformat(), "supports": [requirement]}))
    if job.sync:
        systems += _retired(job, store, seen)
    bundle = Bundle(f"{job.name} ({url})")
    bundle.tables.append(Table("ai_systems", where, ["id", "name", "purpose", "lifecycle",
                                                     *_SYSTEM_TAGS], systems, ""))
    bundle.tables.append(Table("evidence", where, ["id", "title", "kind", "uri",
                                                   "collected_on", "supports"], evidence, ""))
    return bundle


def _retired(job: Job, store: GraphStore, seen: set[str]) -> list[Row]:
    """The AI systems an earlier run of the job wrote whose models are gone: retired."""
    source = job_source(job.name)
    gone = [n for n in store.iter_nodes() if n.label == "AISystem"
            and n.props.get("sync_source") == source and n.id not in seen]
    return [Row(f"model {quote(str(n.props.get('name') or n.id))} (deleted)",
                {"id": n.id, "name": str(n.props.get("name") or n.id), "lifecycle": "retired"})
            for n in gone]
