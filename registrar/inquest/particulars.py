"""The register entry of a death registered from a certificate after inquest: the particulars as
the coroner certified them, with the coroner's statement in the informant's column, as the paper
register has it ("Certificate received from …, Coroner for …. Inquest held …")."""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import rules
from ..models import CoronerCertificate
from ..register import IndexLine


def in_words(day: date) -> str:
    """A date as the register writes it: 19 November 2026."""
    return f"{day.day} {day:%B %Y}"


def informant_statement(certificate: CoronerCertificate) -> str:
    return (
        f"Certificate received from {certificate.coroner_name}, Coroner for {certificate.coroner_area}. "
        f"Inquest held {in_words(certificate.inquest_date)}"
    )


def entry_fields(certificate: CoronerCertificate) -> dict[str, Any]:
    """What `register.write_entry` needs: the same particulars as a death registered by an
    informant (registrar/answers.py), the informant's column holding the coroner's statement."""
    born, died = certificate.deceased_date_of_birth, certificate.date_of_death
    age = rules.age_at(born=born, on=died) if born else None
    statement = informant_statement(certificate)
    particulars = {
        "deceased_forenames": certificate.deceased_given_names,
        "deceased_surname": certificate.deceased_surname,
        "deceased_maiden_surname": certificate.deceased_maiden_surname,
        "sex": certificate.sex,
        "date_of_birth": born.isoformat() if born else "",
        "place_of_birth": "",
        "date_of_death": died.isoformat(),
        "place_of_death": certificate.place_of_death,
        "age": age,
        "occupation": certificate.occupation,
        "usual_address": certificate.usual_address,
        "cause_of_death": certificate.cause_of_death,
        "inquest_conclusion": certificate.conclusion,
        "certified_by": statement,
        "informant": statement,
        "informant_name": "",
        "informant_qualification": "",
        "informant_address": "",
        "coroner_certificate": certificate.reference,
    }
    return {
        "event_date": died,
        "surname": certificate.deceased_surname,
        "forenames": certificate.deceased_given_names,
        "particulars": particulars,
        "index_lines": [
            IndexLine(surname=certificate.deceased_surname, forenames=certificate.deceased_given_names, age=age)
        ],
    }
