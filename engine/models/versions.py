"""Process versions: immutable deployed bundles of .bpmn/.dmn files, and their parsed specs.

A bundle is identified by the hash of its content; deploying the same bundle twice for the same
gemeente yields the versions already there. A running case keeps the version it started with.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.engine import Connection, RowMapping

from engine.errors import ConflictError, NotFound
from engine.models.camunda import translate_bundle
from engine.models.process_digest import executable_process_ids, process_digests
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import Bundle, parse_bundle
from engine.storage.db import deployments, process_versions
from engine.storage.rows import inserted_id

SHARED = "*"
DMN_ENGINE = "dmn-standard"  # deployments.dmn_engine of a bundle deployed now


@dataclass(frozen=True)
class ProcessVersion:
    id: int
    process_id: str
    gemeente: str
    version: int
    content_hash: str
    deployment_id: int
    name: str | None = None
    deactivated_at: datetime | None = None

    @property
    def active(self) -> bool:
        """New cases may start on it (a deactivated version keeps only its running cases)."""
        return self.deactivated_at is None


@dataclass(frozen=True)
class DeployResult:
    """``versions``: every process of the bundle at the version new cases now start on, those that got
    a new version (``new``) and those whose own content did not change (``kept``, with their old row)."""

    created: bool
    versions: list[ProcessVersion]
    kept: tuple[str, ...] = ()

    @property
    def new(self) -> list[ProcessVersion]:
        return [v for v in self.versions if v.process_id not in self.kept]

    def summary(self) -> str:
        """In words, for the CLI and the approval message: which processes got a new version."""
        parts = []
        if self.new:
            parts.append("nieuwe versie: "
                         + ", ".join(f"{v.process_id} versie {v.version}" for v in self.new))
        if self.kept:
            kept = {v.process_id: v.version for v in self.versions}
            parts.append("ongewijzigd gebleven: " + ", ".join(
                f"{p} (versie {kept[p]})" if p in kept else p for p in self.kept))
        return "; ".join(parts) or "geen processen"


def bundle_hash(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def deploy(conn: Connection, files: Mapping[str, bytes], gemeente: str, actor: str,
           now: datetime) -> DeployResult:
    """Deploy a bundle (validated first: raises BundleInvalid and writes nothing when it is bad).

    A Camunda Modeler document is stored as translated (with the forms made from its
    ``camunda:formData``), so that a deployed version runs as it was validated, whatever later
    versions of the translator do (engine/models/camunda.py).

    Only a process whose own content (``process_digest``) differs from the version new cases of this
    scope start on now (a gemeente's own, else the shared one) gets a new version; its number is the
    highest of that process over all gemeenten + 1, so "versie 3 (Ooststellingwerf)" is newer than
    "versie 2 (alle gemeenten)". The others keep theirs (no new row).
    """
    files = translate_bundle(files, parse_safe_xml).files
    content_hash = bundle_hash(files)
    existing = conn.execute(
        select(deployments.c.id).where(deployments.c.gemeente == gemeente,
                                       deployments.c.content_hash == content_hash)
    ).scalar()
    digests = process_digests(files)
    bundle = parse_bundle(files) if existing is None else None  # validates; the stored one was
    process_ids = bundle.process_ids if bundle is not None else executable_process_ids(files)
    current: dict[str, ProcessVersion] = {}
    old_digests: dict[int, dict[str, str]] = {}
    for process_id in process_ids:
        found = _starts_on(conn, process_id, gemeente)
        if found is None:
            continue
        if found.deployment_id not in old_digests:
            old_digests[found.deployment_id] = process_digests(_stored_files(conn, found.deployment_id))
        if old_digests[found.deployment_id].get(process_id) == digests.get(process_id):
            current[process_id] = found
    changed = [p for p in process_ids if p not in current]
    kept = tuple(p for p in process_ids if p in current)
    if not changed:
        return DeployResult(False, [current[p] for p in process_ids], kept)
    if existing is None:
        assert bundle is not None
        stored = {name: content.decode("utf-8") for name, content in files.items()}
        existing = inserted_id(conn.execute(deployments.insert().values(
            gemeente=gemeente, content_hash=content_hash, files=json.dumps(stored),
            deployed_at=now, deployed_by=actor, dmn_engine=DMN_ENGINE,
        )))
    else:  # the same bundle deployed before and since replaced: its processes come back as new versions
        bundle = parse_bundle(_stored_files(conn, existing))
    for process_id in changed:
        _lock_sequence(conn, process_id)
        highest = conn.execute(select(func.max(process_versions.c.version)).where(
            process_versions.c.process_id == process_id)).scalar()
        spec, _ = bundle.get_spec(process_id)
        new_id = inserted_id(conn.execute(process_versions.insert().values(
            deployment_id=existing, process_id=process_id, gemeente=gemeente,
            version=(highest or 0) + 1, content_hash=content_hash, name=spec.description or None,
        )))
        current[process_id] = get_version(conn, new_id)
    return DeployResult(True, [current[p] for p in process_ids], kept)


def _lock_sequence(conn: Connection, process_id: str) -> None:
    """Two deploys of one process (for different gemeenten) must not both take the same next number:
    on PostgreSQL the second waits for the first to commit (SQLite writes one transaction at a time)."""
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(b"trede-version:" + process_id.encode()).digest()[:8], "big",
                             signed=True)
        conn.execute(select(func.pg_advisory_xact_lock(key)))


def _stored_files(conn: Connection, deployment_id: int) -> dict[str, bytes]:
    text = conn.execute(select(deployments.c.files).where(deployments.c.id == deployment_id)).scalar_one()
    return {name: body.encode("utf-8") for name, body in json.loads(text).items()}


def _starts_on(conn: Connection, process_id: str, gemeente: str) -> ProcessVersion | None:
    """The version new cases of this scope start on now (for a gemeente: its own, else the shared one)."""
    try:
        return latest_version(conn, process_id, gemeente)
    except NotFound:
        return None


def _to_version(row: RowMapping) -> ProcessVersion:
    return ProcessVersion(row["id"], row["process_id"], row["gemeente"], row["version"],
                          row["content_hash"], row["deployment_id"], row["name"], row["deactivated_at"])


def latest_version(conn: Connection, process_id: str, gemeente: str) -> ProcessVersion:
    """The version new cases of the gemeente start on: the newest active one, the gemeente's own
    before a shared one (a deactivated version is skipped; its running cases continue)."""
    own_first = case((process_versions.c.gemeente == gemeente, 0), else_=1)
    row = conn.execute(select(process_versions).where(
        process_versions.c.process_id == process_id, process_versions.c.gemeente.in_((gemeente, SHARED)),
        process_versions.c.deactivated_at.is_(None),
    ).order_by(own_first, process_versions.c.version.desc()).limit(1)).mappings().first()
    if row is None:
        raise NotFound(f"proces {process_id!r} is niet uitgerold voor gemeente {gemeente!r}"
                       " (of elke versie ervan is gedeactiveerd)")
    return _to_version(row)


def set_active(conn: Connection, version_id: int, active: bool, actor: str, reason: str,
               now: datetime) -> ProcessVersion:
    """Deactivate a version (no new cases start on it) or activate it again (rolled back to: new cases
    start on it when it is the newest active one of its scope). Running cases are not touched."""
    version = get_version(conn, version_id)
    if version.active == active:
        raise ConflictError(f"versie {version.version} van {version.process_id} is al "
                            + ("actief" if active else "gedeactiveerd"))
    values: dict[str, Any] = ({"deactivated_at": None, "deactivated_by": None, "deactivated_reason": None}
                              if active else
                              {"deactivated_at": now, "deactivated_by": actor, "deactivated_reason": reason})
    conn.execute(update(process_versions).where(process_versions.c.id == version_id).values(**values))
    return get_version(conn, version_id)


def get_version(conn: Connection, version_id: int) -> ProcessVersion:
    row = conn.execute(select(process_versions).where(process_versions.c.id == version_id)).mappings().first()
    if row is None:
        raise NotFound(f"procesversie {version_id} bestaat niet")
    return _to_version(row)


# A process's parsed spec and the specs of the subprocesses it calls (Bundle.get_spec).
Specs = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]


class SpecCache:
    """Parsed specs per process version: parsed once per process, shared by every case on it."""

    # Deployments whose parsed bundle is kept for their other processes' specs: a bundle is
    # parsed and validated as a whole, so its first process pays for all of them.
    BUNDLES_KEPT = 4

    def __init__(self) -> None:
        self._specs: dict[int, Specs] = {}
        # For verification: bundles and specs keyed by the digest of the stored files' text, so a
        # model edited in the database is never answered from a cache (issue 16).
        self._by_content: OrderedDict[str, Bundle] = OrderedDict()
        self._content_specs: dict[tuple[str, str], Specs] = {}
        self._versions: dict[int, ProcessVersion] = {}
        self._bundles: OrderedDict[int, Bundle] = OrderedDict()
        self._lock = threading.Lock()

    def version(self, conn: Connection, version_id: int) -> ProcessVersion:
        """A process version by id; versions are immutable, so one read per process suffices."""
        found = self._versions.get(version_id)
        if found is None:
            found = self._versions.setdefault(version_id, get_version(conn, version_id))
        return found

    def remember(self, version: ProcessVersion) -> None:
        """A version read by other means (the latest for a start): the next step need not read it."""
        self._versions.setdefault(version.id, version)

    def get(self, conn: Connection, version: ProcessVersion) -> Specs:
        cached = self._specs.get(version.id)
        if cached is not None:
            return cached
        specs = self._bundle(conn, version.deployment_id).get_spec(version.process_id)
        with self._lock:
            self._specs.setdefault(version.id, specs)
        return self._specs[version.id]

    def _bundle(self, conn: Connection, deployment_id: int) -> Bundle:
        with self._lock:
            bundle = self._bundles.get(deployment_id)
            if bundle is not None:
                self._bundles.move_to_end(deployment_id)
                return bundle
        files_json, dmn_engine = conn.execute(select(deployments.c.files, deployments.c.dmn_engine).where(
            deployments.c.id == deployment_id)).one()
        files = {name: text.encode("utf-8") for name, text in json.loads(files_json).items()}
        bundle = parse_bundle(files, legacy=dmn_engine is None)
        with self._lock:
            self._bundles[deployment_id] = bundle
            while len(self._bundles) > self.BUNDLES_KEPT:
                self._bundles.popitem(last=False)
        return bundle


    def as_stored(self) -> StoredSpecs:
        """A view for one verification that reads each deployment's stored files once and serves
        specs by their content, checked against the hash recorded when it was deployed."""
        return StoredSpecs(self)

    def by_content(self, digest: str, files_json: str, legacy: bool = False) -> Bundle:
        """The bundle of these stored files; ``digest`` names their text (and how its decisions run:
        a bundle deployed before engine.dmn's tables runs on SpiffWorkflow's, see parse_bundle)."""
        with self._lock:
            bundle = self._by_content.get(digest)
            if bundle is not None:
                self._by_content.move_to_end(digest)
                return bundle
        files = {name: text.encode("utf-8") for name, text in json.loads(files_json).items()}
        bundle = parse_bundle(files, legacy=legacy)
        with self._lock:
            self._by_content[digest] = bundle
            while len(self._by_content) > self.BUNDLES_KEPT * 4:
                dropped, _ = self._by_content.popitem(last=False)
                for key in [k for k in self._content_specs if k[0] == dropped]:
                    del self._content_specs[key]
        return bundle

    def content_spec(self, digest: str, bundle: Bundle, process_id: str) -> Specs:
        found = self._content_specs.get((digest, process_id))
        if found is None:
            found = self._content_specs.setdefault((digest, process_id), bundle.get_spec(process_id))
        return found


_VERSIONS_BY_ID = select(process_versions).where(process_versions.c.id.in_(bindparam("ids", expanding=True)))


class ModelChanged(Exception):
    """The stored model no longer hashes to what was recorded when it was deployed."""


class StoredSpecs:
    """Specs as the database holds them now, for one verification (``SpecCache.as_stored``)."""

    def __init__(self, cache: SpecCache) -> None:
        self.cache = cache
        self._checked: dict[int, tuple[str, Bundle]] = {}  # deployment id -> (digest, bundle)
        self._versions: dict[int, ProcessVersion] = {}

    def preload(self, conn: Connection, version_ids: set[int]) -> None:
        """The versions a case's instances run on, read in one query (the usual ones)."""
        wanted = [v for v in version_ids if v not in self._versions]
        if wanted:
            for row in conn.execute(_VERSIONS_BY_ID, {"ids": wanted}).mappings():
                self._versions[row["id"]] = _to_version(row)

    def version(self, conn: Connection, version_id: int) -> ProcessVersion:
        """Read afresh once per verification: the running engine's copy is never trusted here."""
        found = self._versions.get(version_id)
        if found is None:
            found = self._versions[version_id] = get_version(conn, version_id)
        return found

    def get(self, conn: Connection, version: ProcessVersion) -> Specs:
        checked = self._checked.get(version.deployment_id)
        if checked is None:
            checked = self._checked[version.deployment_id] = self._check(conn, version)
        digest, bundle = checked
        return self.cache.content_spec(digest, bundle, version.process_id)

    def _check(self, conn: Connection, version: ProcessVersion) -> tuple[str, Bundle]:
        row = conn.execute(select(deployments.c.files, deployments.c.content_hash, deployments.c.dmn_engine)
                           .where(deployments.c.id == version.deployment_id)).one()
        legacy = row.dmn_engine is None
        digest = hashlib.sha256(row.files.encode("utf-8")).hexdigest() + (":legacy" if legacy else "")
        if digest not in self.cache._by_content:  # new content: is it what was deployed?
            files = {name: text.encode("utf-8") for name, text in json.loads(row.files).items()}
            actual = bundle_hash(files)
            if actual != row.content_hash or actual != version.content_hash:
                raise ModelChanged(
                    f"het opgeslagen model van {version.process_id} versie {version.version} (uitrol "
                    f"{version.deployment_id}) is gewijzigd: de inhoud heeft hash {actual[:12]}, bij het "
                    f"uitrollen vastgelegd is {version.content_hash[:12]}")
        return digest, self.cache.by_content(digest, row.files, legacy)


def bundle_json(conn: Connection, deployment_id: int, filename: str) -> dict[str, Any]:
    """A JSON member of a deployed bundle (a form definition), by file name."""
    files = json.loads(conn.execute(select(deployments.c.files).where(
        deployments.c.id == deployment_id)).scalar_one())
    for name, text in files.items():
        if name == filename or name.rsplit("/", 1)[-1] == filename:
            form: dict[str, Any] = json.loads(text)  # form files are checked to be objects on deploy
            return form
    raise NotFound(f"formulier {filename!r} zit niet in de uitgerolde bundel")


def start_inputs(spec: BpmnProcessSpec) -> tuple[str, ...]:
    """What a process needs from whoever starts it: the data inputs of its bpmn:ioSpecification.

    A process that another process starts (an evaluation, a voorziening) declares there what it is
    handed; without them its first timer or script would fail on a missing name.
    """
    io_spec = getattr(spec, "io_specification", None)
    if io_spec is None:
        return ()
    return tuple(var.bpmn_id for var in io_spec.data_inputs)
