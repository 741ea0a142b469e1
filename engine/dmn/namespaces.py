"""The DMN versions trede reads: one XML namespace each (DMN 1.1 to 1.5, the OMG's specifications)."""
from __future__ import annotations

VERSIONS = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
}


def dmn_version(namespace: str | None) -> str | None:
    """The DMN version of a document's namespace; None when trede does not know it."""
    return VERSIONS.get(namespace or "")


def unknown_namespace(namespace: str | None) -> str:
    """Why a DMN document in this namespace is refused, and what to write instead (Dutch)."""
    known = ", ".join(f"DMN {version}: {uri}" for uri, version in VERSIONS.items())
    near = next((uri for uri in VERSIONS if uri.rstrip("/").lower() == (namespace or "").rstrip("/").lower()
                 or uri.replace("https:", "http:") == (namespace or "").replace("https:", "http:")), None)
    hint = f" Bedoelt u {near}?" if near else ""
    return f"onbekende DMN-namespace {namespace!r}: trede leest DMN 1.1 tot en met 1.5 ({known}).{hint}"
