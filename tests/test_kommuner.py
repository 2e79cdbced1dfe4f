"""The kommune list: parsed into ``Kommune`` records with 4-digit text numbers; every problem
reported with line and column in Norwegian, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kalk_excel.definition.loader import TEMPLATES_DIR
from kalk_excel.kommuner import KommunelisteFeil, kommunenummer_or_text, load_kommuner


def write(tmp_path: Path, text: str, name: str = "kommuner.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_list_with_optional_and_extra_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "kommunenummer;navn;skjema;imdi_malgruppe;kontaktperson;epost;region\n"
                           "301;Oslo;adm,norsk;12 345;Kari Nordmann;kari@oslo.kommune.no;Øst\n"
                           "\n"
                           "5001;Trondheim;norsk;;;;\n")
    oslo, trondheim = load_kommuner(path=path)
    assert (oslo.kommunenummer, oslo.navn, oslo.skjema) == ("0301", "Oslo", ("adm", "norsk"))
    assert oslo.imdi_malgruppe == 12345 and oslo.kontaktperson == "Kari Nordmann"
    assert oslo.epost == "kari@oslo.kommune.no" and oslo.extra == {"region": "Øst"}
    assert (trondheim.kommunenummer, trondheim.skjema, trondheim.imdi_malgruppe) == ("5001", ("norsk",), None)


def test_every_problem_named_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "kommunenummer,navn,skjema,imdi_malgruppe,epost\n"
                           "0301,Oslo,adm;norsk,100,\n"
                           "03A1,Feil,adm,,\n"
                           "0301,Oslo igjen,adm,,\n"
                           "1103,,adm,,\n"
                           "1833,Rana,admin,,\n"
                           "3103,Moss,adm,mange,\n"
                           "4601,Bergen,adm,,ikke-epost\n")
    with pytest.raises(KommunelisteFeil) as info:
        load_kommuner(path=path)
    messages = info.value.messages
    expected = [("linje 3, kolonne kommunenummer", "03A1"), ("linje 4, kolonne kommunenummer", "linje 2"),
                ("linje 5, kolonne navn", "mangler"), ("linje 6, kolonne skjema", "admin"),
                ("linje 7, kolonne imdi_malgruppe", "mange"), ("linje 8, kolonne epost", "ikke-epost")]
    assert len(messages) == len(expected)
    for message, (where, what) in zip(messages, expected, strict=False):
        assert message.startswith(where) and what in message and "Korreksjon:" in message


def test_missing_column_file_and_empty(tmp_path: Path) -> None:
    with pytest.raises(KommunelisteFeil, match="mangler kolonnen skjema"):
        load_kommuner(path=write(tmp_path, "kommunenummer,navn\n0301,Oslo\n"))
    with pytest.raises(KommunelisteFeil, match="Fant ikke kommunelisten"):
        load_kommuner(path=tmp_path / "finnes-ikke.csv")
    with pytest.raises(KommunelisteFeil, match="tom"):
        load_kommuner(path=write(tmp_path, "", "tom.csv"))
    with pytest.raises(KommunelisteFeil, match="Ingen kommuner"):
        load_kommuner(path=write(tmp_path, "kommunenummer,navn,skjema\n", "bare-overskrift.csv"))


@pytest.mark.parametrize("year", [2011, 2024])
def test_real_lists_load(year: int) -> None:
    path = TEMPLATES_DIR / str(year) / "kommuner.csv"
    if not path.exists():
        pytest.skip(f"{year}/kommuner.csv finnes ikke ennå")
    kommuner = load_kommuner(year)
    assert kommuner and all(len(k.kommunenummer) == 4 and k.kommunenummer.isdigit() for k in kommuner)
    assert all(set(k.skjema) <= {"adm", "norsk"} for k in kommuner)
    assert len({k.kommunenummer for k in kommuner}) == len(kommuner)


@pytest.mark.parametrize("raw, shown", [(301, "0301"), (301.0, "0301"), (" 1103 ", "1103"), ("03O1", "03O1"),
                                        (" Oslo ", "Oslo"), (3.5, "3.5"), (None, "")])
def test_a_number_that_is_not_one_is_shown_as_written(raw: object, shown: str) -> None:
    """Four digits when it is a kommunenummer, else the text as written (so it never matches one)."""
    assert kommunenummer_or_text(raw) == shown
