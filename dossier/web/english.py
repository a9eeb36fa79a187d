"""One English line per event, made from its structured fields (no translation): so every
event can be followed in one language above its original-language evidence.

"Detained in Almaty on 20 January 2026, by Almaty police; charged with extremism". The verb
phrases are the case files' own (dossier/data/events/phrases.json, through cases.describe).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dossier.cases import describe, phrases, term_text
from dossier.model import Event, from_dict


@dataclass
class _Named:
    """What `describe` reads of an entity: its name."""

    name: str


def english_line(event: dict[str, Any], names: dict[str, str]) -> str:
    """The event in one plain English line; `names` maps entity ids to names."""
    e = from_dict(Event, {**event, "evidence": []})  # the line reads no evidence: skip it
    by_id: dict[str, Any] = {k: _Named(v) for k, v in names.items()}
    if e.status == "possible":
        noun = phrases()["noun"].get(e.type, e.type)
        term = term_text(e.attributes)
        text = f"could face {noun}" + (f" of {term}" if term and e.type == "sentence" else "")
    else:
        text = describe(e, by_id)
    if e.group:
        text = f"{e.group}: {text}"
    agents = [names[a] for a in e.agents if a in names]
    if agents:
        text += ", by " + ", ".join(agents[:2])
    charge = e.attributes.get("charge")
    if charge and charge not in text and e.type in phrases()["charge_types"]:
        text += f"; charged with {charge}"
    return text[:1].upper() + text[1:]
