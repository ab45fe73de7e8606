"""Every checker class is importable from its dotted path as settings name it, and the
sandboxes among them are named for the warning on every page."""

from __future__ import annotations

import sys
from unittest import mock

import pytest

from identity import verifiers
from identity.verifiers import http, sandbox

CLASSES = {
    "document_platform": ("SandboxDocumentPlatform", "HttpDocumentPlatform"),
    "passport": ("SandboxPassportValidator", "HttpPassportValidator"),
    "driving_licence": ("SandboxLicenceValidator", "HttpLicenceValidator"),
    "fraud": ("SandboxFraudProvider", "HttpFraudProvider"),
    "knowledge": ("SandboxKnowledgeProvider", "HttpKnowledgeProvider"),
}
PROTOCOLS = {
    "document_platform": ("check_document",),
    "passport": ("validate",),
    "driving_licence": ("validate",),
    "fraud": ("check",),
    "knowledge": ("start", "answer"),
}
NONE = dict.fromkeys(verifiers.ROLES, "")


@pytest.mark.parametrize("role", list(CLASSES))
@pytest.mark.parametrize("module", ["sandbox", "http"])
def test_each_checker_is_configured_by_its_path(role, module, settings):
    name = CLASSES[role][0 if module == "sandbox" else 1]
    settings.IDENTITY_VERIFIERS = {**NONE, role: f"identity.verifiers.{module}.{name}"}
    checker = verifiers.configured(role)
    assert type(checker) is getattr(sandbox if module == "sandbox" else http, name)
    assert checker.sandbox is (module == "sandbox")
    assert checker.name.startswith("Sandbox ") is (module == "sandbox")
    assert all(callable(getattr(checker, method)) for method in PROTOCOLS[role])


def test_all_sandboxes_are_named_as_in_use(settings):
    settings.IDENTITY_VERIFIERS = {
        **NONE,
        **{role: f"identity.verifiers.sandbox.{names[0]}" for role, names in CLASSES.items()},
    }
    assert verifiers.sandboxes_in_use() == [
        "Sandbox document platform",
        "Sandbox passport check",
        "Sandbox driving licence check",
        "Sandbox fraud provider",
        "Sandbox knowledge questions",
    ]


def test_real_checkers_are_not_named_as_sandboxes(settings):
    settings.IDENTITY_VERIFIERS = {
        **NONE,
        "document_platform": "identity.verifiers.sandbox.SandboxDocumentPlatform",
        "passport": "identity.verifiers.http.HttpPassportValidator",
        "fraud": "identity.verifiers.http.HttpFraudProvider",
    }
    assert verifiers.sandboxes_in_use() == ["Sandbox document platform"]
    assert verifiers.configured("knowledge") is None


def test_with_none_configured_there_is_no_checker_and_no_sandbox(settings):
    settings.IDENTITY_VERIFIERS = NONE
    assert [verifiers.configured(role) for role in verifiers.ROLES] == [None] * len(verifiers.ROLES)
    assert verifiers.sandboxes_in_use() == []


def test_naming_the_sandboxes_does_not_load_the_face_matcher(settings):
    """Every page names the sandboxes in use; the face matcher's module loads dlib and numpy."""
    settings.IDENTITY_VERIFIERS = {**NONE, "face_matcher": "identity.verifiers.face.OfflineFaceMatcher"}
    with mock.patch.dict(sys.modules):
        sys.modules.pop("identity.verifiers.face", None)
        assert verifiers.sandboxes_in_use() == []
        assert "identity.verifiers.face" not in sys.modules
