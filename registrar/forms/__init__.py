"""One form per question page of the birth and death journeys (the steps in answers.py), with
GOV.UK error messages, by event. The API binds the same forms to JSON (`core.forms.bind_json`),
so a rule is checked in one place for pages and API alike."""

from __future__ import annotations

from ..models import Event

# The stillbirth journey's own forms reuse the birth's; imported after them (registrar.stillbirth.forms
# imports .birth and .common from this package).
from ..stillbirth.forms import (  # noqa: E402
    BabyForm,
    NameForm,
    StillbirthCertificateForm,
    StillbirthInformantForm,
    StillbirthPlaceForm,
    StillbirthRelationshipForm,
)
from .birth import (
    BirthInformantForm,
    ChildForm,
    ConfirmSecondParentForm,
    DeclineForm,
    FatherForm,
    MotherForm,
    PlaceForm,
    RelationshipForm,
    SecondParentForm,
)
from .common import DeclarationForm, InformantDetailsForm, LateReasonForm, StepForm, initial_from_answers
from .death import CertificateForm, DeathForm, DeathInformantForm, DeceasedForm, FuneralForm

FORMS: dict[str, dict[str, type[StepForm]]] = {
    Event.BIRTH: {
        form.step: form
        for form in (
            BirthInformantForm,
            ChildForm,
            PlaceForm,
            MotherForm,
            RelationshipForm,
            FatherForm,
            SecondParentForm,
            InformantDetailsForm,
            LateReasonForm,
            DeclarationForm,
        )
    },
    Event.DEATH: {
        form.step: form
        for form in (
            DeathInformantForm,
            DeceasedForm,
            DeathForm,
            CertificateForm,
            InformantDetailsForm,
            FuneralForm,
            LateReasonForm,
            DeclarationForm,
        )
    },
    Event.STILLBIRTH: {
        form.step: form
        for form in (
            StillbirthInformantForm,
            StillbirthCertificateForm,
            BabyForm,
            NameForm,
            StillbirthPlaceForm,
            MotherForm,
            StillbirthRelationshipForm,
            FatherForm,
            SecondParentForm,
            InformantDetailsForm,
            LateReasonForm,
            DeclarationForm,
        )
    },
}


__all__ = [
    "FORMS",
    "BirthInformantForm",
    "CertificateForm",
    "ChildForm",
    "ConfirmSecondParentForm",
    "DeathForm",
    "DeathInformantForm",
    "DeceasedForm",
    "DeclarationForm",
    "DeclineForm",
    "FatherForm",
    "FuneralForm",
    "InformantDetailsForm",
    "LateReasonForm",
    "MotherForm",
    "PlaceForm",
    "RelationshipForm",
    "SecondParentForm",
    "StepForm",
    "initial_from_answers",
]
