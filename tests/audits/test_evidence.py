"""Files and links as evidence: what may be attached, where it is stored, who may download
it and how, and that a submitted audit's files are as final as its ratings."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.test import override_settings
from django.urls import reverse

from audits.models import Audit, AuditIsFinal, EvidenceFile, EvidenceLink, Rating
from audits.services import audit_discard, audit_start, evidence_file_add
from tests.audits.evidence_samples import (
    HTML,
    LEGACY_DOC,
    PDF,
    PNG,
    SVG,
    damaged_opendocument,
    office,
    opendocument,
    upload,
)
from tests.factories import make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)


def _category(audit, number=1):
    return reverse("audits:audit_category", args=[audit.pk, number])


def _attach(client, audit, file, number=1, **extra):
    form = client.get(_category(audit, number)).context["form"]
    data = {"version": form["version"].value(), "loaded": form["loaded"].value()}
    data |= {"stage": "", "evidence": "", "attach": file, "stay": "1", **extra}
    return client.post(_category(audit, number), data)


def _stored_names() -> set[str]:
    folders, _ = (
        default_storage.listdir("evidence") if default_storage.exists("evidence") else ([], [])
    )
    return {
        f"evidence/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"evidence/{folder}")[1]
    }


def _file_of(audit, category=1, name="Minutes.pdf", content=PDF) -> EvidenceFile:
    """A file attached to a category (to a submitted audit as if before submitting)."""
    status = audit.status
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.DRAFT)
    evidence = EvidenceFile(
        rating=Rating.objects.get(audit_id=audit.pk, category=category),
        name=name,
        content_type="application/pdf",
        size=len(content),
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    Audit.objects.filter(pk=audit.pk).update(status=status)
    return evidence


# -- what may be attached ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Minutes.pdf", PDF, "application/pdf"),
        ("Photo.PNG", PNG, "image/png"),
        (
            "Plan.docx",
            office("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Data.xlsx",
            office("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Notes.odt", opendocument(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_an_allowed_file_is_stored_and_listed(
    client_for, leader, draft, name, content, content_type
):
    response = _attach(client_for(leader), draft, upload(name, content))
    assert response.status_code == 302 and response.url == _category(draft)
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    assert evidence.added_by == leader
    assert evidence.file.name.startswith(f"evidence/{draft.pk}/") and name not in evidence.file.name
    with evidence.file.open("rb") as stored:
        assert stored.read() == content
    page = client_for(leader).get(_category(draft)).content.decode()
    assert name in page and f'Remove<span class="visually-hidden"> {name}' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Drawing.svg", SVG, "is not a file that can be attached"),
        ("Page.html", HTML, "is not a file that can be attached"),
        ("Page.pdf", HTML, "does not hold what its name says"),
        ("Macros.docm", office("word/", macros=True), "is not a file that can be attached"),
        ("Macros.docx", office("word/", macros=True), "does not hold what its name says"),
        ("Macros.odt", opendocument(basic=True), "does not hold what its name says"),
        ("Sheet.xlsx", office("word/"), "does not hold what its name says"),
        ("Old.doc", LEGACY_DOC, "is not a file that can be attached"),
        ("Empty.pdf", b"", "empty"),
        ("Locked.odt", damaged_opendocument("encrypted"), "does not hold what its name says"),
        ("Odd.odt", damaged_opendocument("method"), "does not hold what its name says"),
        ("Garbled.odt", damaged_opendocument("corrupt"), "does not hold what its name says"),
        ("Bomb.odt", damaged_opendocument("bomb"), "does not hold what its name says"),
    ],
)
def test_a_refused_file_is_a_field_error_and_nothing_is_stored(
    client_for, leader, draft, name, content, message
):
    before = _stored_names()
    response = _attach(client_for(leader), draft, upload(name, content))
    assert response.status_code == 200
    [error] = response.context["form"].errors["attach"]
    assert message in error and (name in error or message == "empty")
    assert 'href="#id_attach"' in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert _stored_names() == before
    assert Audit.objects.get(pk=draft.pk).version == draft.version


def test_what_was_typed_stays_on_the_page_when_the_file_is_refused(client_for, leader, draft):
    typed = "Our reading leads visit St Anne's each term."
    response = _attach(
        client_for(leader),
        draft,
        upload("Locked.odt", damaged_opendocument("encrypted")),
        evidence=typed,
        stage="engagement",
    )
    assert response.status_code == 200 and response.context["form"].errors["attach"]
    assert response.context["form"]["evidence"].value() == typed
    assert "St Anne&#x27;s each term" in response.content.decode()


@override_settings(EVIDENCE_FILE_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_a_field_error(client_for, leader, draft):
    response = _attach(client_for(leader), draft, upload("Big.pdf", PDF + b"0" * 2000))
    [error] = response.context["form"].errors["attach"]
    assert "Big.pdf is larger than" in error
    assert not EvidenceFile.objects.exists()


def test_a_body_far_over_the_limit_is_a_413_before_it_is_read(client_for, leader, draft):
    from django.conf import settings

    client = client_for(leader)
    limit = settings.REQUEST_MAX_BYTES_BY_URL["audits:audit_category"]
    response = client.generic(
        "POST",
        _category(draft),
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(limit + 1),
    )
    assert response.status_code == 413
    assert not EvidenceFile.objects.exists()


def test_the_service_checks_the_file_whatever_the_form_did(leader, draft):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evidence_file_add(audit=draft, category=1, upload=upload("x.svg", SVG), by=leader)
    assert not EvidenceFile.objects.exists()


def test_a_link_is_added_with_its_title(client_for, leader, draft):
    client = client_for(leader)
    response = _attach(
        client,
        draft,
        "",
        link_url="https://example.org/minutes",
        link_title="Governors' minutes",
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.url, link.title, link.added_by) == (
        "https://example.org/minutes",
        "Governors' minutes",
        leader,
    )


# -- downloading -----------------------------------------------------------------------------


def test_a_file_is_downloaded_as_an_attachment_never_sniffed(client_for, leader, draft):
    evidence = _file_of(draft, name="Minutes <script>.pdf")
    response = client_for(leader).get(reverse("audits:evidence_file", args=[draft.pk, evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("leader", 200),
        ("coordinator", 200),
        ("outsider", 404),
        ("other_coordinator", 404),
        ("admin_user", 200),
    ],
)
def test_who_may_download_a_submitted_audits_file(request, client_for, school, person, expected):
    audit = make_audit(school, stages=3, period="2025/26")
    evidence = _file_of(audit)
    client = client_for(request.getfixturevalue(person))
    url = reverse("audits:evidence_file", args=[audit.pk, evidence.pk])
    assert client.get(url).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, school):
    audit = make_audit(school, stages=3, period="2025/26")
    evidence = _file_of(audit)
    response = client.get(reverse("audits:evidence_file", args=[audit.pk, evidence.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_file_is_not_reached_through_another_audit(client_for, leader, school, draft):
    other = make_audit(school, stages=3, period="2025/26")
    evidence = _file_of(other)
    url = reverse("audits:evidence_file", args=[draft.pk, evidence.pk])
    assert client_for(leader).get(url).status_code == 404


# -- removing, discarding, copying forward -------------------------------------------------


def test_removing_a_file_deletes_it_once_committed(
    client_for, leader, draft, django_capture_on_commit_callbacks
):
    evidence = _file_of(draft)
    name = evidence.file.name
    url = reverse("audits:evidence_remove", args=[draft.pk, "files", evidence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(url)
    assert response.url == _category(draft)
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(name)
    assert EvidenceFile.history.filter(history_type="-", history_user=leader).exists()


def test_discarding_a_draft_deletes_its_files_after_the_commit(
    leader, draft, django_capture_on_commit_callbacks
):
    name = _file_of(draft).file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_discard(audit=draft, by=leader, version=draft.version)
    assert default_storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)


def test_a_discard_that_rolls_back_keeps_the_files(leader, draft):
    name = _file_of(draft).file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_discard(audit=draft, by=leader, version=draft.version)
        raise RuntimeError("rolled back")
    assert default_storage.exists(name)
    assert EvidenceFile.objects.filter(file=name).exists()


def test_copying_forward_copies_each_file(leader, school, django_capture_on_commit_callbacks):
    old_audit = make_audit(school, stages=3, period="2025/26")
    old = _file_of(old_audit, category=4)
    _link_of(old_audit, category=4)
    new_audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=True)
    copy = EvidenceFile.objects.get(rating__audit=new_audit)
    assert copy.rating.category == 4 and copy.name == old.name
    assert copy.file.name != old.file.name
    assert EvidenceLink.objects.filter(rating__audit=new_audit).count() == 1
    # The new draft's copy goes; the submitted audit's file stays.
    with django_capture_on_commit_callbacks(execute=True):
        audit_discard(audit=new_audit, by=leader, version=new_audit.version)
    assert not default_storage.exists(copy.file.name)
    assert default_storage.exists(old.file.name)
    assert EvidenceFile.objects.filter(pk=old.pk).exists()


# -- a submitted audit's evidence is final --------------------------------------------------------


def test_the_model_refuses_adding_evidence_to_a_submitted_audit(school):
    audit = make_audit(school, stages=3, period="2025/26")
    rating = Rating.objects.get(audit=audit, category=1)
    with pytest.raises(AuditIsFinal):
        EvidenceLink.objects.create(rating=rating, url="https://example.org/")


def _link_of(audit, category=1) -> EvidenceLink:
    """A link attached to a category (to a submitted audit as if before submitting)."""
    status = audit.status
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.DRAFT)
    rating = Rating.objects.get(audit_id=audit.pk, category=category)
    link = EvidenceLink.objects.create(rating=rating, url="https://example.org/")
    Audit.objects.filter(pk=audit.pk).update(status=status)
    return link


@pytest.mark.parametrize("attach", [_file_of, _link_of])
def test_the_database_refuses_changing_a_submitted_audits_evidence(school, attach):
    evidence = attach(make_audit(school, stages=3, period="2025/26"))
    model = type(evidence)
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=evidence.pk).update(added_by=None)
    elsewhere = make_audit(school, stages=1, period="2023/24", submitted=False).ratings.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=evidence.pk).update(rating=elsewhere)  # moved to a draft
    assert model.objects.get(pk=evidence.pk).rating_id == evidence.rating_id


def test_a_drafts_evidence_may_change(school, draft):
    link = _link_of(draft)
    EvidenceLink.objects.filter(pk=link.pk).update(title="Renamed")
    assert EvidenceLink.objects.get(pk=link.pk).title == "Renamed"


def test_on_postgres_the_database_refuses_deleting_a_submitted_audits_file(school, on_postgres):
    if not on_postgres:
        pytest.skip("SQLite keeps no delete trigger (migration 0003 says why)")
    evidence = _file_of(make_audit(school, stages=3, period="2025/26"))
    with pytest.raises(DatabaseError), transaction.atomic():
        EvidenceFile.objects.filter(pk=evidence.pk).delete()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


# -- the admin --------------------------------------------------------------------------------


def test_the_admin_shows_evidence_read_only_and_links_the_download(admin_client, school):
    audit = make_audit(school, stages=3, period="2025/26")
    evidence = _file_of(audit)
    url = reverse("admin:audits_evidencefile_change", args=[evidence.pk])
    page = admin_client.get(url).content.decode()
    assert reverse("audits:evidence_file", args=[audit.pk, evidence.pk]) in page
    assert admin_client.post(url, {"name": "Renamed.pdf"}).status_code == 403
    assert EvidenceFile.objects.get().name == "Minutes.pdf"
    assert admin_client.get(reverse("admin:audits_evidencefile_add")).status_code == 403


def test_deleting_a_draft_in_the_admin_deletes_its_files(
    admin_client, draft, django_capture_on_commit_callbacks
):
    name = _file_of(draft).file.name
    url = reverse("admin:audits_audit_delete", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Audit.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(name)
