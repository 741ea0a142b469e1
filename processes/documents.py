"""Documents on a case: signed plan van aanpak, UWV advice, a provider's evidence, beschikkingen.

Stored in the database, not under instance/documents/: a document then commits or rolls back with
the case event that records it (no orphan files, no dangling rows), the database backup holds the
whole dossier, and it works the same on SQLite and PostgreSQL without a shared volume between web
servers. The 10 MB limit keeps that affordable. The type comes from the magic bytes, never from the
name or the browser's Content-Type; the SHA-256 is stored and checked again on every download.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine.errors import ConflictError, InvalidInput, NotFound
from engine.service import CaseEngine
from engine.unit_of_work import CaseWork
from processes.tables import documents

MAX_BYTES = 10 * 1024 * 1024
SOORTEN = {
    "plan_van_aanpak": "Ondertekend plan van aanpak",
    "uwv_advies": "Advies UWV",
    "bewijsstuk": "Bewijsstuk aanbieder",
    "beschikking": "Beschikking",
    "beschikking_concept": "Concept-beschikking (niet verzonden)",
    "beslissing_op_bezwaar": "Beslissing op bezwaar",
    "bezwaarschrift": "Bezwaarschrift",
    "overig": "Overig",
}
ALLOWED = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}


@dataclass(frozen=True)
class Document:
    id: int
    case_id: int
    soort: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def sniff(content: bytes) -> str | None:
    """The type by its magic bytes; plain text is valid UTF-8 without control characters."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None  # binary that happens to decode (or a disguised executable)
    return "text/plain"


def validate(filename: str, content: bytes) -> str:
    """The content type, or InvalidInput with a message for the person uploading."""
    if not content:
        raise InvalidInput("bestand: het bestand is leeg")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"bestand: het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput("bestand: alleen PDF, PNG, JPEG of platte tekst is toegestaan")
    return kind


def _safe_name(filename: str, kind: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')[:200]
    return name or f"document{ALLOWED[kind]}"


def _doc(row) -> Document:
    return Document(
        row["id"],
        row["case_id"],
        row["soort"],
        row["filename"],
        row["content_type"],
        row["size"],
        row["sha256"],
        row["uploaded_by"],
        row["uploaded_at"],
    )


def store(
    conn: Connection, case_id: int, soort: str, filename: str, content: bytes, actor: str, now: datetime
) -> Document:
    """Insert (inside the caller's transaction); the caller records the event."""
    if soort not in SOORTEN:
        raise InvalidInput(f"soort: kies een van {', '.join(SOORTEN.values())}")
    kind = validate(filename, content)
    doc_id = conn.execute(
        documents.insert().values(
            case_id=case_id,
            soort=soort,
            filename=_safe_name(filename, kind),
            content_type=kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            uploaded_by=actor,
            uploaded_at=now,
        )
    ).inserted_primary_key[0]
    return get(conn, doc_id)


def add(case: CaseWork, soort: str, filename: str, content: bytes, actor: str) -> Document:
    """Store a document on the case with its ``document_added`` event (in the case's unit of work)."""
    doc = store(case.conn, case.id, soort, filename, content, actor, case.now)
    case.append(
        "document_added",
        actor,
        {
            "document_id": doc.id,
            "soort": soort,
            "filename": doc.filename,
            "sha256": doc.sha256,
            "size": doc.size,
            "content_type": doc.content_type,
        },
    )
    return doc


def get(conn: Connection, doc_id: int) -> Document:
    row = (
        conn.execute(select(*[c for c in documents.c if c.name != "content"]).where(documents.c.id == doc_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"document {doc_id} bestaat niet")
    return _doc(row)


def of_case(conn: Connection, case_id: int) -> list[Document]:
    rows = conn.execute(
        select(*[c for c in documents.c if c.name != "content"])
        .where(documents.c.case_id == case_id)
        .order_by(documents.c.id)
    ).mappings()
    return [_doc(r) for r in rows]


def content_of(conn: Connection, doc_id: int) -> tuple[Document, bytes]:
    """The document and its bytes, refused when they no longer match the stored checksum."""
    doc = get(conn, doc_id)
    content = conn.execute(select(documents.c.content).where(documents.c.id == doc_id)).scalar_one()
    if hashlib.sha256(content).hexdigest() != doc.sha256:
        raise ConflictError(f"document {doc_id} is beschadigd of gewijzigd: de controlesom klopt niet")
    return doc, bytes(content)


class Documents:
    """Upload through the engine's case lock, with a ``document_added`` event in the chain."""

    def __init__(self, engine: CaseEngine) -> None:
        self.engine = engine

    def upload(self, case_id: int, soort: str, filename: str, content: bytes, actor: str) -> Document:
        with self.engine.case(case_id) as case:
            return add(case, soort, filename, content, actor)

    def list(self, case_id: int) -> list[Document]:
        with self.engine.reader.connect() as conn:
            return of_case(conn, case_id)

    def download(self, doc_id: int) -> tuple[Document, bytes]:
        with self.engine.reader.connect() as conn:
            return content_of(conn, doc_id)
