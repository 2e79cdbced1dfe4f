"""How a field is named to the people who fill in and read the form: its del, spørsmål and label.

The one place that turns a field id into user text. Every message the filler sees (workbook
Kontroll texts, generated check messages, intake feedback) names a field this way and never by
its id, which is internal (defined name, master column).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Field, Form


@dataclass(frozen=True)
class FieldPlace:
    part: str          # "3"
    question: str      # "3.4"
    label: str         # "Lønn og sosiale utgifter (art 010–099) – Herav knyttet til målgruppen"

    @property
    def text(self) -> str:
        """«label» (del 3, spørsmål 3.4) — for a sentence in a message."""
        return f"«{self.label}» ({self.where})"

    @property
    def where(self) -> str:
        """"del 3, spørsmål 3.4" (just "spørsmål 3" when the question number is the part number)."""
        if self.question and self.question != self.part:
            return f"del {self.part}, spørsmål {self.question}"
        return f"spørsmål {self.question}" if self.question else f"del {self.part}"


def place_of(field: Field, part_number: str) -> FieldPlace:
    return FieldPlace(part=part_number, question=field.question, label=field.label)


def field_place(form: Form, field_id: str) -> FieldPlace:
    """Del, spørsmål and label of ``field_id`` in ``form`` (KeyError for an unknown id)."""
    f = form.fields[field_id]
    return place_of(f, form.part(f.part_id).number)
