"""Health data of the Participatiewet domain (AVG art. 9): which task-data fields are special.

The engine encrypts whatever fields the application names (``engine.storage.field_crypto``); this module
names them. A form marks such a field ``"x-bijzondere-categorie": true`` so that pages hide it;
every name marked in a form of this project must also be listed here, so that it is encrypted at
rest (``tests/processes/test_special_category.py`` checks that the project's forms and this list
agree; ``unprotected_marks`` names the fields of a bundle that would not be encrypted).
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from engine.storage import field_crypto

MARKER = "x-bijzondere-categorie"

# Names are matched in all task data, whatever the form (as the pages hide them): a generic name
# such as "toelichting" is then encrypted everywhere, which errs on the safe side.
FIELDS: frozenset[str] = frozenset({
    "lichamelijkeSituatie",  # persoonlijke-situatie.json (diagnose)
    "geestelijkeSituatie",  # persoonlijke-situatie.json (diagnose)
    "adviesWerkbelasting",  # arbeidsdeskundig-onderzoek.json (belastbaarheid)
    "visueleBeperkingHulpmiddel",  # wnv-aanvraag.json (werknemersvoorziening: de beperking)
    "bevindingen",  # wnv-onderzoek.json (onderzoek naar de beperking)
    "toelichting",  # bw-verzoek.json (beschut werk: toelichting op de indicatie)
})


def cipher(keys: field_crypto.KeySource | None = None) -> field_crypto.FieldCipher:
    """The cipher an engine needs to store these fields encrypted, with keys from ``keys``."""
    return field_crypto.FieldCipher(FIELDS, source=keys)


def marked_fields(form_text: str) -> set[str]:
    """Names of the properties a JSON form definition marks as special category."""
    try:
        schema = json.loads(form_text)
    except ValueError:
        return set()
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return set()
    return {name for name, prop in props.items() if isinstance(prop, dict) and prop.get(MARKER)}


def unprotected_marks(files: Mapping[str, str]) -> list[str]:
    """Problems for a bundle: forms that mark a field special that would not be encrypted."""
    problems = []
    for name, text in sorted(files.items()):
        if name.endswith(".json"):
            for field in sorted(marked_fields(text) - FIELDS):
                problems.append(f"{name}: veld {field!r} is gemarkeerd als bijzonder persoonsgegeven "
                                "maar staat niet in processes/special_category.py (wordt niet versleuteld)")
    return problems
