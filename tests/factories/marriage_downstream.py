"""Marriage and civil partnership entries as the schedule part registers them (keys of
`registrar/marriage/particulars.py`), written straight to the register with index lines under
both surnames, and reading the text back out of a certificate PDF."""

from __future__ import annotations

import datetime
import io
import re

from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from identity import roles
from registrar import register
from registrar.marriage import particulars as keys
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, api_client
from tests.factories.registrar import _registered_on

ONE = {
    "forenames": "Sarah Meredyth",
    "surname": "Morgan",
    "age": "34",
    "date_of_birth": "1990-03-11",
    "condition": "never",
    "occupation": "Teacher",
    "address": "1 Park Row, Leeds LS1 3AD",
    "parents": [
        {"forenames": "Ann", "surname": "Morgan", "occupation": "Nurse"},
        {"forenames": "David", "surname": "Morgan", "occupation": "Engineer"},
    ],
}
TWO = {
    "forenames": "Rhys",
    "surname": "Pritchard",
    "age": "36",
    "date_of_birth": "1988-07-02",
    "condition": "divorced",
    "occupation": "Architect",
    "address": "14 Heol y Castell, Caerdydd CF10 1BH",
    "parents": [
        {"forenames": "Gwen", "surname": "Pritchard", "occupation": "Librarian"},
        {"forenames": "Emyr", "surname": "Pritchard", "occupation": "Farmer"},
        {"forenames": "Carys", "surname": "Lloyd", "occupation": "Pharmacist"},
    ],
}


def entry_particulars(
    event: str = "marriage",
    *,
    on: datetime.date = datetime.date(2026, 6, 20),
    place: str = "Leeds Register Office, 2 Great George Street, Leeds",
    form: str = "civil",
    one: dict | None = None,
    two: dict | None = None,
) -> dict:
    particulars: dict = {}
    for position, person in ((1, one or ONE), (2, two or TWO)):
        for name in keys.PARTY_FIELDS:
            particulars[f"party{position}_{name}"] = person[name]
    particulars[keys.date_key(event)] = on.isoformat()
    particulars[keys.place_key(event)] = place
    particulars.update(
        {
            "form": form,
            "schedule": "SC-K7QH-3MZP",
            "officiants": [
                {"name": "Helen Ashworth", "role": "Superintendent registrar"},
                {"name": "Tom Baines", "role": "registrar"},
            ],
            "witnesses": ["Olwen Jenkins", "Peter Hale"],
        }
    )
    return particulars


def registered_entry(
    district=None,
    *,
    event: str = "marriage",
    on: datetime.date = datetime.date(2026, 6, 20),
    particulars: dict | None = None,
    historic: bool = False,
    **kwargs,
):
    """A marriage or civil partnership entry in `district`, indexed under both parties' surnames."""
    particulars = particulars if particulars is not None else entry_particulars(event, on=on, **kwargs)
    one, two = keys.party(particulars, 1), keys.party(particulars, 2)
    return register.write_entry(
        district=district or RegisterOfficeFactory(),
        event=event,
        event_date=on,
        surname=one["surname"],
        forenames=one["forenames"],
        particulars=particulars,
        index_lines=[
            register.IndexLine(surname=one["surname"], forenames=one["forenames"], other_surname=two["surname"]),
            register.IndexLine(surname=two["surname"], forenames=two["forenames"], other_surname=one["surname"]),
        ],
        registered_at=_registered_on(on),
        historic=historic,
    )


def registered_partnership(district=None, *, formed: datetime.date = datetime.date(2019, 5, 3), **kwargs):
    return registered_entry(district, event="civil_partnership", on=formed, **kwargs)


def pdf_text(pdf: bytes) -> str:
    """Every page's drawn text: the content streams read through pyHanko's reader, each font
    subset's glyph codes mapped back to characters through its ToUnicode map."""
    reader = PdfFileReader(io.BytesIO(pdf))
    texts = []
    for page in _pages(reader.root["/Pages"]):
        contents = page["/Contents"]
        streams = contents if isinstance(contents, list) else [contents]
        raw = b"".join(stream.get_object().data for stream in streams)
        texts.append(_decode(raw, page))
    return "\n".join(texts)


def _pages(node):
    node = node.get_object()
    if node["/Type"] == "/Page":
        yield node
        return
    for kid in node["/Kids"]:
        yield from _pages(kid)


def _decode(raw: bytes, page) -> str:
    fonts = page["/Resources"]["/Font"]
    maps = {}
    for name, font in fonts.items():
        font = font.get_object()
        mapping = {}
        if "/ToUnicode" in font:
            cmap = font["/ToUnicode"].get_object().data.decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    mapping[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for start, end, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    for offset in range(int(end, 16) - int(start, 16) + 1):
                        mapping[int(start, 16) + offset] = chr(int(uni, 16) + offset)
        maps[str(name).lstrip("/")] = mapping
    text, current = [], {}
    for token in re.finditer(rb"/(\S+)\s+[\d.]+\s+Tf|\((.*?)(?<!\\)\)\s*Tj", raw, re.S):
        if token.group(1):
            current = maps.get(token.group(1).decode(), {})
            continue
        shown = _unescape(token.group(2))
        text.append("".join(current.get(byte, chr(byte)) for byte in shown))
    return "\n".join(text)


def _unescape(data: bytes) -> bytes:
    out, index = bytearray(), 0
    while index < len(data):
        char = data[index]
        if char == 0x5C and index + 1 < len(data):  # backslash
            nxt = data[index + 1]
            if 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", data[index + 1 : index + 4]).group(0)
                out.append(int(digits, 8))
                index += 1 + len(digits)
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}.get(nxt, nxt))
            index += 2
            continue
        out.append(char)
        index += 1
    return bytes(out)


def reach_documented_statuses(hit) -> None:
    """Every documented status of the conversion API, for tests/api/test_documented_statuses.py:
    a conversion (201), the same again (409), an unknown partnership (404) and the conversion
    read back (200); the shared loop there gives the 400, 401, 403, 404 and 415."""
    office = RegisterOfficeFactory()
    roles.sync_roles()
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(office)
    client = api_client(registrar)
    partnership = registered_partnership(office)
    declaration = {
        "partnership": partnership.entry_reference,
        "office": office.code,
        "declared_on": timezone.localdate().isoformat(),
        "both_present": True,
        "both_signed": True,
        "identities_checked": True,
    }
    path = "/api/v1/registrar/conversions"
    done = hit(client, "POST", path, data=declaration, format="json")
    hit(client, "POST", path, data=declaration, format="json")
    hit(client, "POST", path, data={**declaration, "partnership": "E-NOWHERE/C/2019/000001"}, format="json")
    hit(client, "GET", path + "/{reference}", {"reference": done.json()["reference"]})
