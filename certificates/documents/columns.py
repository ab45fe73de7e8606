"""The numbered columns of each register's form — birth, short birth, death, still-birth, marriage
and civil partnership — as boxes of the entry's particulars, grouped in sections."""

from __future__ import annotations

from dataclasses import dataclass

from .content import (
    CEREMONY_LABELS,
    PARTY_HEADINGS,
    PARTY_ROWS,
    CertificateContent,
    _display,
    _party_value,
    _words,
    particular_words,
)

INFORMANT_DECLARATION = (
    "I certify that the particulars entered above are true to the best of my knowledge and belief. "
    "Signature of informant",
    "Tystiaf fod y manylion uchod yn wir hyd eithaf fy ngwybodaeth a'm cred. Llofnod yr hysbysydd",
)


@dataclass
class Box:
    """One column of the entry: its number on the form (none on the short certificate), its
    label in English and Welsh, its value as lines, and its share of the row's width."""

    number: str | None
    label: tuple[str, str]
    lines: list[str]
    share: float = 1.0
    corrected: bool = False
    # A box that only names what the boxes beside it hold (the parties' rows): no value line.
    label_only: bool = False
    # The particulars it shows, so that a correction of one names its box.
    keys: tuple[str, ...] = ()


@dataclass
class Section:
    """The boxes about one person or thing (CHILD, FATHER...), named down the left of the form."""

    name: tuple[str, str] | None
    rows: list[list[Box]]


def _name(particulars: dict, *keys: str) -> str:
    return " ".join(str(particulars.get(key) or "").strip() for key in keys).strip()


def _joined(*parts) -> str:
    return ", ".join(str(part).strip() for part in parts if part not in (None, "") and str(part).strip())


# --- The columns of each register ------------------------------------------------------------------------


class _Entry:
    """The particulars of one entry, as the boxes want them."""

    def __init__(self, content: CertificateContent, corrected: set[str]) -> None:
        self.particulars = content.particulars
        self.bilingual = content.bilingual
        self.corrected = corrected
        self.content = content

    def words(self, pair: tuple[str, str]) -> str:
        return _words(pair, self.bilingual)

    def get(self, key: str) -> str:
        value = self.particulars.get(key)
        return "" if value in (None, "") else str(value)

    def value(self, key: str) -> str:
        """A particular in words as the pages write it (dates, sex, yes or no), in Welsh then
        English for an entry in Wales; empty when the entry has none."""
        value = self.particulars.get(key)
        if value in (None, ""):
            return ""
        return particular_words(self.content.kind, key, value, bilingual=self.bilingual)

    def box(self, number, label, keys: tuple[str, ...], text: str, share: float = 1.0) -> Box:
        return Box(
            number,
            label,
            [text] if text else [],
            share,
            corrected=any(key in self.corrected for key in keys),
            keys=keys,
        )

    def informant(self) -> str:
        return self.get("informant_name") or self.get("informant")

    def registered(self) -> str:
        return _display(self.content.registered_on, bilingual=self.bilingual)


def _parents(entry: _Entry, first: int) -> list[Section]:
    """The father's (or second parent's) and the mother's columns, numbered from `first`."""
    n = first
    return [
        Section(
            ("FATHER / PARENT", "TAD / RHIANT"),
            [
                [
                    entry.box(
                        str(n),
                        ("Name and surname", "Enw a chyfenw"),
                        ("father_forenames", "father_surname"),
                        _name(entry.particulars, "father_forenames", "father_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 1),
                        ("Place of birth", "Man geni"),
                        ("father_place_of_birth",),
                        entry.get("father_place_of_birth"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        str(n + 2), ("Occupation", "Gwaith"), ("father_occupation",), entry.get("father_occupation")
                    )
                ],
            ],
        ),
        Section(
            ("MOTHER", "MAM"),
            [
                [
                    entry.box(
                        str(n + 3),
                        ("Name and surname", "Enw a chyfenw"),
                        ("mother_forenames", "mother_surname"),
                        _name(entry.particulars, "mother_forenames", "mother_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 4),
                        ("Place of birth", "Man geni"),
                        ("mother_place_of_birth",),
                        entry.get("mother_place_of_birth"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        f"{n + 5}",
                        (
                            "(a) Maiden surname (b) Surname at marriage if different from maiden surname",
                            "(a) Cyfenw morwynol (b) Cyfenw adeg priodi os yw'n wahanol i'r cyfenw morwynol",
                        ),
                        ("mother_maiden_surname",),
                        entry.get("mother_maiden_surname"),
                        0.5,
                    ),
                    entry.box(
                        str(n + 6),
                        ("Occupation", "Gwaith"),
                        ("mother_occupation",),
                        entry.get("mother_occupation"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        str(n + 7),
                        (
                            "Usual address (if different from place of child's birth)",
                            "Cyfeiriad arferol (os yw'n wahanol i fan geni'r plentyn)",
                        ),
                        ("mother_address",),
                        entry.get("mother_address"),
                    )
                ],
            ],
        ),
    ]


def _informant(entry: _Entry, first: int) -> Section:
    n = first
    return Section(
        ("INFORMANT", "HYSBYSYDD"),
        [
            [
                entry.box(
                    str(n),
                    ("Name and surname (if not the mother or father)", "Enw a chyfenw (os nad y fam neu'r tad)"),
                    ("informant_name", "informant"),
                    entry.informant(),
                    0.5,
                ),
                entry.box(
                    str(n + 1),
                    ("Qualification", "Cymhwyster"),
                    ("informant_qualification",),
                    entry.value("informant_qualification"),
                    0.5,
                ),
            ],
            [
                entry.box(
                    str(n + 2),
                    ("Usual address (if different from that above)", "Cyfeiriad arferol (os yw'n wahanol i'r uchod)"),
                    ("informant_address",),
                    entry.get("informant_address"),
                )
            ],
            [entry.box(str(n + 3), (INFORMANT_DECLARATION[0], INFORMANT_DECLARATION[1]), (), entry.informant())],
        ],
    )


def _registration(entry: _Entry, first: int, *, name_after: bool) -> Section:
    n = first
    row = [
        entry.box(str(n), ("Date of registration", "Dyddiad cofrestru"), (), entry.registered(), 0.5),
        entry.box(
            str(n + 1), ("Signature of registrar", "Llofnod y cofrestrydd"), (), entry.content.registrar_name, 0.5
        ),
    ]
    rows = [row]
    if name_after:
        rows.append(
            [
                entry.box(
                    str(n + 2),
                    ("Name given after registration, and surname", "Enw a roddwyd ar ôl cofrestru, a chyfenw"),
                    ("name_after_registration",),
                    entry.get("name_after_registration"),
                )
            ]
        )
    return Section(None, rows)


def _full_birth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    when_where = _joined(entry.value("date_of_birth"), entry.get("time_of_birth"), entry.get("place_of_birth"))
    child = Section(
        ("CHILD", "PLENTYN"),
        [
            [
                entry.box(
                    "1",
                    ("Date and place of birth", "Dyddiad a man geni"),
                    ("date_of_birth", "time_of_birth", "place_of_birth"),
                    when_where,
                )
            ],
            [
                entry.box(
                    "2",
                    ("Name and surname", "Enw a chyfenw"),
                    ("child_forenames", "child_surname"),
                    _name(content.particulars, "child_forenames", "child_surname"),
                    0.7,
                ),
                entry.box("3", ("Sex", "Rhyw"), ("sex",), entry.value("sex"), 0.3),
            ],
        ],
    )
    return [child, *_parents(entry, 4), _informant(entry, 12), _registration(entry, 16, name_after=True)]


def _short_birth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    """The short certificate: the child's particulars and where the birth was registered only."""
    entry = _Entry(content, corrected)
    return [
        Section(
            None,
            [
                [
                    entry.box(
                        None,
                        ("Name and surname", "Enw a chyfenw"),
                        ("child_forenames", "child_surname"),
                        _name(content.particulars, "child_forenames", "child_surname"),
                    )
                ],
                [
                    entry.box(None, ("Sex", "Rhyw"), ("sex",), entry.value("sex"), 0.35),
                    entry.box(
                        None, ("Date of birth", "Dyddiad geni"), ("date_of_birth",), entry.value("date_of_birth"), 0.65
                    ),
                ],
                [entry.box(None, ("Place of birth", "Man geni"), ("place_of_birth",), entry.get("place_of_birth"))],
            ],
        )
    ]


def _death(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    p = content.particulars
    cause = [line for line in (entry.get("cause_of_death"),) if line]
    if entry.get("certified_by"):
        cause.append(f"{entry.words(('Certified by', 'Ardystiwyd gan'))} {entry.get('certified_by')}")
    if entry.get("inquest_conclusion"):
        cause.append(
            f"{entry.words(('Conclusion of the inquest:', 'Casgliad y cwest:'))} {entry.get('inquest_conclusion')}"
        )
    age = entry.get("age")
    born = _joined(entry.value("date_of_birth"), entry.get("place_of_birth"))
    if age and not entry.get("date_of_birth"):
        born = f"{entry.words(('Age', 'Oed'))} {age}"
    return [
        Section(
            None,
            [
                [
                    entry.box(
                        "1",
                        ("Date and place of death", "Dyddiad a man marw"),
                        ("date_of_death", "place_of_death"),
                        _joined(entry.value("date_of_death"), entry.get("place_of_death")),
                    )
                ],
                [
                    entry.box(
                        "2",
                        ("Name and surname", "Enw a chyfenw"),
                        ("deceased_forenames", "deceased_surname"),
                        _name(p, "deceased_forenames", "deceased_surname"),
                        0.7,
                    ),
                    entry.box("3", ("Sex", "Rhyw"), ("sex",), entry.value("sex"), 0.3),
                ],
                [
                    entry.box(
                        "4",
                        ("Maiden surname of a woman who has married", "Cyfenw morwynol menyw sydd wedi priodi"),
                        ("deceased_maiden_surname",),
                        entry.get("deceased_maiden_surname"),
                        0.5,
                    ),
                    entry.box(
                        "5",
                        ("Date and place of birth", "Dyddiad a man geni"),
                        ("date_of_birth", "place_of_birth", "age"),
                        born,
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        "6",
                        ("Occupation and usual address", "Gwaith a chyfeiriad arferol"),
                        ("occupation", "usual_address"),
                        _joined(entry.get("occupation"), entry.get("usual_address")),
                    )
                ],
            ],
        ),
        Section(
            ("INFORMANT", "HYSBYSYDD"),
            [
                [
                    entry.box(
                        "7(a)",
                        ("Name and surname of informant", "Enw a chyfenw'r hysbysydd"),
                        ("informant_name", "informant"),
                        entry.informant(),
                        0.5,
                    ),
                    entry.box(
                        "7(b)",
                        ("Qualification", "Cymhwyster"),
                        ("informant_qualification",),
                        entry.value("informant_qualification"),
                        0.5,
                    ),
                ],
                [
                    entry.box(
                        "7(c)",
                        ("Usual address", "Cyfeiriad arferol"),
                        ("informant_address",),
                        entry.get("informant_address"),
                    )
                ],
                [entry.box("8", INFORMANT_DECLARATION, (), entry.informant())],
            ],
        ),
        Section(
            None,
            [
                [
                    Box(
                        "9",
                        ("Cause of death", "Achos marwolaeth"),
                        cause,
                        corrected=bool({"cause_of_death", "certified_by", "inquest_conclusion"} & corrected),
                    )
                ],
                [
                    entry.box("10", ("Date of registration", "Dyddiad cofrestru"), (), entry.registered(), 0.5),
                    entry.box(
                        "11", ("Signature of registrar", "Llofnod y cofrestrydd"), (), content.registrar_name, 0.5
                    ),
                ],
            ],
        ),
    ]


def _stillbirth(content: CertificateContent, corrected: set[str]) -> list[Section]:
    entry = _Entry(content, corrected)
    p = content.particulars
    cause = [line for line in (entry.get("cause_of_death"),) if line]
    if entry.get("weeks_of_pregnancy"):
        cause.append(
            f"{entry.words(('Weeks of pregnancy:', 'Wythnosau o feichiogrwydd:'))} {entry.get('weeks_of_pregnancy')}"
        )
    if entry.get("certified_by"):
        cause.append(f"{entry.words(('Certified by', 'Ardystiwyd gan'))} {entry.get('certified_by')}")
    name = _name(p, "child_forenames", "child_surname")
    child = Section(
        ("CHILD", "PLENTYN"),
        [
            [
                entry.box(
                    "1",
                    ("Date and place of birth", "Dyddiad a man geni"),
                    ("date_of_delivery", "time_of_delivery", "place_of_birth"),
                    _joined(
                        entry.value("date_of_delivery"), entry.get("time_of_delivery"), entry.get("place_of_birth")
                    ),
                )
            ],
            [
                entry.box(
                    "2",
                    ("Name and surname (if given)", "Enw a chyfenw (os rhoddwyd)"),
                    ("child_forenames", "child_surname"),
                    name,
                    0.7,
                ),
                entry.box("3", ("Sex", "Rhyw"), ("sex",), entry.value("sex"), 0.3),
            ],
            [
                Box(
                    "4",
                    ("Cause of death and certifying practitioner", "Achos marwolaeth a'r ymarferydd a'i hardystiodd"),
                    cause,
                    corrected=bool({"cause_of_death", "certified_by", "weeks_of_pregnancy"} & corrected),
                )
            ],
        ],
    )
    return [child, *_parents(entry, 5), _informant(entry, 13), _registration(entry, 17, name_after=False)]


SECTIONS = {
    "full_birth": _full_birth,
    "short_birth": _short_birth,
    "death": _death,
    "stillbirth": _stillbirth,
}


def _partnership_sections(content: CertificateContent, corrected: set[str]) -> list[Section]:
    """When and where, then both parties side by side, column by column."""
    particulars, bilingual = content.particulars, content.bilingual
    date_label, place_label = CEREMONY_LABELS[content.kind]
    date_key = "date_of_marriage" if content.kind == "marriage" else "date_of_formation"
    place_key = "place_of_marriage" if content.kind == "marriage" else "place_of_formation"
    first = [
        Box(
            "1",
            date_label,
            [particular_words(content.kind, date_key, particulars.get(date_key), bilingual=bilingual) or "—"],
            0.4,
            corrected=date_key in corrected,
        ),
    ]
    form = particulars.get("form")
    if form:
        first.append(
            Box(
                "2",
                ("Form of ceremony", "Math o seremoni"),
                [particular_words(content.kind, "form", form, bilingual=bilingual)],
                0.6,
                corrected="form" in corrected,
            )
        )
    else:
        first[0].share = 1.0
    rows = [
        first,
        [
            Box(
                "3",
                (place_label[0], place_label[1]),
                [_display(particulars.get(place_key))],
                corrected=place_key in corrected,
            )
        ],
    ]
    number = 4
    party_rows: list[list[Box]] = [
        [
            Box(None, ("", ""), [], 0.26),
            Box(None, ("", ""), [_words(PARTY_HEADINGS[0], bilingual)], 0.37),
            Box(None, ("", ""), [_words(PARTY_HEADINGS[1], bilingual)], 0.37),
        ]
    ]
    for what, english, welsh in PARTY_ROWS:
        values = [_party_value(content.kind, particulars, position, what, bilingual) for position in (1, 2)]
        if not any(values):
            continue  # a historic entry without this particular
        fields = ("forenames", "surname") if what == "name" else (what,)
        marked = any(f"party{position}_{name}" in corrected for position in (1, 2) for name in fields)
        party_rows.append(
            [
                Box(str(number), (english, welsh), [], 0.26, corrected=marked, label_only=True),
                Box(None, ("", ""), values[0] or ["—"], 0.37),
                Box(None, ("", ""), values[1] or ["—"], 0.37),
            ]
        )
        number += 1
    return [Section(None, rows), Section(None, party_rows)]
