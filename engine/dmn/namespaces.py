"""The DMN versions trede reads: one XML namespace each (DMN 1.1 to 1.5, the OMG's specifications)."""
from __future__ import annotations

from difflib import get_close_matches

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
    near = _nearest(namespace or "")
    hint = f" Bedoelt u {near}?" if near else ""
    said = f"onbekende DMN-namespace {namespace!r}" if namespace else "DMN-document zonder namespace"
    return f"{said}: trede leest DMN 1.1 tot en met 1.5 ({known}).{hint}"


def _nearest(namespace: str) -> str | None:
    """The known namespace the text was probably meant to be: the same but for the scheme, case
    or a closing slash, else one or two typing errors away."""
    def plain(uri: str) -> str:
        return uri.lower().replace("https:", "http:").rstrip("/")
    same = next((uri for uri in VERSIONS if plain(uri) == plain(namespace)), None)
    if same is not None or not namespace:
        return same
    close = get_close_matches(plain(namespace), [plain(uri) for uri in VERSIONS], n=1, cutoff=0.93)
    return next((uri for uri in VERSIONS if close and plain(uri) == close[0]), None)
