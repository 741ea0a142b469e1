"""Parsing untrusted model XML: no DTD, no entities, no XInclude, no network, bounded size.

SpiffWorkflow parses model files with a default lxml parser. Uploaded files are therefore parsed
here first, and only the resulting tree is handed to SpiffWorkflow, so its parser never reads
unsafe XML.
"""
from __future__ import annotations

import re

from lxml import etree

MAX_MODEL_BYTES = 5 * 1024 * 1024
XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)


class UnsafeXml(Exception):
    """The document is refused; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers keep state and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def _as_scannable(content: bytes) -> bytes:
    """UTF-8/ASCII bytes for the declaration scan; UTF-16/32 documents are decoded first."""
    head = content[:4]
    if b"\x00" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content
    for encoding in ("utf-32", "utf-16", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        try:
            return content.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return content


def _scan_declarations(content: bytes) -> None:
    scannable = _as_scannable(content)
    match = _DECLARATION.search(scannable)
    if match:
        kind = match.group(1).decode().upper()
        what = "een DOCTYPE/DTD" if kind == "DOCTYPE" else f"een {kind}-declaratie"
        raise UnsafeXml(f"{what} mag niet in een modelbestand (onveilige XML): haal de declaratie weg",
                        _line_of(scannable, match.start()))


_NO_DTD = "een DOCTYPE/DTD mag niet in een modelbestand (onveilige XML): haal de declaratie weg"
_XML_SYNTAX = (
    ("Opening and ending tag mismatch", "een begintag en eindtag passen niet bij elkaar"),
    ("Premature end of data", "het bestand houdt halverwege een element op"),
    ("Document is empty", "het bestand is leeg"),
    ("Start tag expected", "er staat geen XML-element in het bestand"),
    ("Extra content at the end", "na het hoofdelement staat nog tekst"),
    ("not well-formed", "het bestand is geen goed gevormde XML"),
    ("Couldn't find end of Start Tag", "een begintag wordt niet afgesloten met >"),
    ("AttValue", "een attribuutwaarde staat niet goed tussen aanhalingstekens"),
    ("Namespace prefix", "een namespace-voorvoegsel is niet gedeclareerd"),
    ("xmlParseEntityRef", "een & moet als &amp; worden geschreven"),
    ("EntityRef", "een & moet als &amp; worden geschreven"),
    ("Char 0x", "het bestand bevat een teken dat niet in XML mag"),
    ("encoding", "de tekenset (encoding) van het bestand klopt niet"),
)


def _xml_syntax(english: str) -> str:
    return next((dutch for key, dutch in _XML_SYNTAX if key in (english or "")),
                "het bestand is geen goed gevormde XML")


def parse_safe_xml(content: bytes) -> etree._ElementTree:
    """Parse ``content`` or raise ``UnsafeXml`` (also for malformed XML, with its line)."""
    if len(content) > MAX_MODEL_BYTES:
        raise UnsafeXml(f"het bestand is {len(content):,} bytes; de grens is {MAX_MODEL_BYTES:,} bytes"
                        .replace(",", "."))
    _scan_declarations(content)
    try:
        tree = etree.ElementTree(etree.fromstring(content, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise UnsafeXml(f"ongeldige XML: {_xml_syntax(exc.msg)}", line) from None
    _check_tree(tree)
    return tree


def _check_tree(tree: etree._ElementTree) -> None:
    # The byte scan above misses declarations in other encodings (UTF-16); the parsed document
    # information does not.
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXml(_NO_DTD, 1)
    for node in tree.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeXml("entiteitsverwijzingen mogen niet in een modelbestand (onveilige XML)",
                            node.sourceline)
        if isinstance(node.tag, str) and node.tag.startswith(f"{{{XINCLUDE_NS}}}"):
            raise UnsafeXml("XInclude mag niet in een modelbestand (onveilige XML)", node.sourceline)
