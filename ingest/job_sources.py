"""What a job reads, as a bundle: a bundle path as it is; an evidence folder's files as
Evidence rows (path, sha256, size, modification date, or what a manifest says); an HTTP
export downloaded and read with the limits that protect every bundle.

The rows carry the locator a person would use to find the fact (the file's path, the URL),
so every fact a job writes says where it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import hashlib
import io
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.ingest.jobs import Job
from aimsgraph.ingest.limits import ReadLimits
from aimsgraph.ingest.mlflow_source import mlflow_bundle
from aimsgraph.ingest.readers import Bundle, read_bundle
from aimsgraph.ingest.tables import Row, Table
from aimsgraph.ontology import BundleIssue, ConfigError

__all__ = ["job_bundle"]

#: The manifest an evidence folder may hold, and the suffix of a file's own sidecar.
MANIFESTS = ("evidence.yaml", "evidence.yml", "evidence.csv")
SIDECAR = ".evidence.yaml"
#: What a manifest may say of a file.
MANIFEST_COLUMNS = ("id", "title", "kind", "supports", "valid_until", "provided_by",
                    "collected_on")


@contextmanager
def job_bundle(job: Job, limits: ReadLimits, store: GraphStore
               ) -> Iterator[Path | Bundle]:
    """What ``job`` reads now: a path to ingest, or a bundle already read (the registry's
    source also asks ``store`` which systems an earlier run wrote)."""
    if job.source == "bundle":
        yield Path(str(job.options["path"])).expanduser()
    elif job.source == "folder":
        yield folder_bundle(job, limits)
    elif job.source == "http":
        with _downloaded(job, limits) as path:
            bundle = read_bundle(path, limits)
            for table in bundle.tables:  # every fact says the job, the URL and the row
                table.file = f"job {job.name}: {job.options['url']} {table.file}"
            yield bundle
    else:
        yield mlflow_bundle(job, store)


# -- evidence folders ---------------------------------------------------------------------
def folder_bundle(job: Job, limits: ReadLimits) -> Bundle:
    """Every file under the job's folder (matching ``include``, not ``exclude``: shell
    patterns on the path relative to the folder, ``*`` crossing folders) as an evidence
    row; symlinks that leave the folder, special files and files over the size limit are
    skipped with a warning."""
    root = Path(str(job.options["path"])).expanduser()
    bundle = Bundle(f"{job.name} ({root})")
    if not root.is_dir():
        bundle.issues.append(BundleIssue(str(root), "", "", "is not a folder"))
        return bundle
    include = [str(p) for p in job.options.get("include") or ["*"]]
    exclude = [str(p) for p in job.options.get("exclude") or []]
    manifest = _manifest(root, bundle)
    rows = []
    resolved_root = root.resolve()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.name in MANIFESTS or path.name.endswith(SIDECAR) or \
                any(part.startswith(".") for part in PurePosixPath(rel).parts):
            continue
        if not any(fnmatch.fnmatch(rel, p) for p in include) or \
                any(fnmatch.fnmatch(rel, p) for p in exclude):
            continue
        problem = _unreadable(path, resolved_root, limits)
        if problem:
            if problem != "folder":
                bundle.warnings.append(BundleIssue(rel, "", "", f"skipped: {problem}"))
            continue
        rows.append(Row(rel, _evidence(job, root, path, rel, {**manifest.get(rel, {}),
                                                              **_sidecar(path, bundle)})))
    columns = ["id", "title", "uri", "sha256", "size_bytes", *MANIFEST_COLUMNS]
    bundle.tables.append(Table("evidence", f"job {job.name}: {root}", columns, rows, ""))
    return bundle


def _unreadable(path: Path, root: Path, limits: ReadLimits) -> str | None:
    info = path.lstat()
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if stat.S_ISLNK(info.st_mode):
        target = path.resolve()
        if not target.is_relative_to(root):
            return "a link out of the folder"
        info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > limits.max_member_bytes:
        return f"larger than {limits.max_member_bytes} bytes (AIMSGRAPH_MAX_FILE_BYTES)"
    return None


def _evidence(job: Job, root: Path, path: Path, rel: str,
              said: dict[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    cells: dict[str, Any] = {
        "id": f"{job.name}:{rel}", "title": path.name, "uri": str(path.resolve()),
        "sha256": digest.hexdigest(), "size_bytes": str(path.stat().st_size),
        "collected_on": modified.isoformat()}
    cells.update({k: _cell(v) for k, v in said.items() if k in MANIFEST_COLUMNS and v})
    return cells


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _manifest(root: Path, bundle: Bundle) -> dict[str, dict[str, Any]]:
    """What the folder's manifest says of each file (by its relative path, ``file``)."""
    for name in MANIFESTS:
        path = root / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            records: Any = (list(csv.DictReader(io.StringIO(text))) if name.endswith(".csv")
                            else yaml.safe_load(text))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
            bundle.issues.append(BundleIssue(name, "", "", f"not readable: {exc}"))
            return {}
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            bundle.issues.append(BundleIssue(name, "", "", "must hold a list of records, "
                                                           "each with its file"))
            return {}
        return {str(r.get("file")): r for r in records if r.get("file")}
    return {}


def _sidecar(path: Path, bundle: Bundle) -> dict[str, Any]:
    side = path.with_name(path.name + SIDECAR)
    if not side.is_file():
        return {}
    try:
        said = yaml.safe_load(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        bundle.issues.append(BundleIssue(side.name, "", "", f"not readable: {exc}"))
        return {}
    if not isinstance(said, dict):
        bundle.issues.append(BundleIssue(side.name, "", "", "must be a mapping"))
        return {}
    return said


# -- HTTP exports -------------------------------------------------------------------------
_SUFFIXES = {"text/csv": ".csv", "application/json": ".json", "application/yaml": ".yaml",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"}


@contextmanager
def _downloaded(job: Job, limits: ReadLimits) -> Iterator[Path]:
    """The job's URL fetched (TLS verified, headers from the environment, a timeout, at
    most the bundle's byte limit) into a file named for its bundle stem."""
    import httpx

    url = str(job.options["url"])
    timeout = float(job.options.get("timeout") or 30)
    with tempfile.TemporaryDirectory(prefix="aimsgraph-job-") as folder:
        data = bytearray()
        with httpx.stream("GET", url, headers=job.header_values(), timeout=timeout,
                          follow_redirects=True) as response:
            response.raise_for_status()
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limits.max_member_bytes:
                    raise ConfigError(f"job {job.name}: {url} sends more than "
                                      f"{limits.max_member_bytes} bytes")
        suffix = _SUFFIXES.get(kind) or PurePosixPath(httpx.URL(url).path).suffix or ".csv"
        stem = str(job.options.get("stem") or "download")
        path = Path(folder) / f"{stem}{suffix}"
        path.write_bytes(bytes(data))
        yield path
