"""A draft one part at a time: the task list, a category's page, the reflections, check
your answers and the confirmation. Each page saves only its own part."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audits.instrument import CATEGORY_BY_NUMBER, REFLECTION_QUESTIONS, Stage
from audits.instrument_texts import category_texts, descriptor
from audits.models import Audit, Rating
from tests.factories import PartnershipFactory, make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)


def _tasks(audit):
    return reverse("audits:audit_edit", args=[audit.pk])


def _category(audit, number, query=""):
    return reverse("audits:audit_category", args=[audit.pk, number]) + query


def _reflections(audit):
    return reverse("audits:audit_reflections", args=[audit.pk])


def _check(audit):
    return reverse("audits:audit_check", args=[audit.pk])


def _loaded(client, url) -> dict:
    """The hidden version and digest a page was rendered with, as its form posts them."""
    form = client.get(url).context["form"]
    return {"version": form["version"].value(), "loaded": form["loaded"].value()}


def _save(client, audit, number, stage, evidence, **extra):
    data = _loaded(client, _category(audit, number))
    data |= {"stage": stage, "evidence": evidence, **extra}
    return client.post(_category(audit, number), data)


def _versions(audit) -> dict[int, int]:
    return dict(Rating.objects.filter(audit=audit).values_list("category", "version"))


# -- the task list -------------------------------------------------------------------------


def test_task_list_shows_each_categorys_status(client_for, leader, draft):
    Rating.objects.filter(audit=draft, category=1).update(stage=3, evidence="Minutes")
    Rating.objects.filter(audit=draft, category=2).update(evidence="Half written")
    response = client_for(leader).get(_tasks(draft))
    statuses = {task.category.number: task.status for task in response.context["tasks"][:9]}
    assert statuses[1] == "completed" and statuses[2] == "in_progress"
    assert {statuses[n] for n in range(3, 10)} == {"not_started"}
    assert response.context["tasks"][9].status == "not_started"  # the reflections
    page = response.content.decode()
    assert "1 of 9 categories completed." in page
    assert page.count("Not started") == 8 and "In progress" in page and "Completed" in page
    for number in range(1, 10):
        assert f'href="{_category(draft, number)}"' in page
    assert f'href="{_check(draft)}"' in page and f'href="{reverse("help")}"' in page


def test_a_file_alone_puts_a_category_in_progress(client_for, leader, draft):
    from tests.audits.evidence_samples import PDF, upload

    client = client_for(leader)
    _save(client, draft, 5, "", "", attach=upload("Plan.pdf", PDF))
    statuses = [task.status for task in client.get(_tasks(draft)).context["tasks"]]
    assert statuses[4] == "in_progress"


def test_task_list_query_count(client_for, leader, draft, django_assert_num_queries):
    client = client_for(leader)
    # session, user, audit, ratings, files, links
    with django_assert_num_queries(6):
        assert client.get(_tasks(draft)).status_code == 200


# -- one category ----------------------------------------------------------------------------


def test_category_page_says_what_the_category_and_each_stage_look_like(client_for, leader, draft):
    page = client_for(leader).get(_category(draft, 4)).content.decode()
    category = CATEGORY_BY_NUMBER[4]
    texts = category_texts(category)
    assert escape(texts.explanation) in page
    assert escape(texts.examples[0].name) in page
    for stage in Stage:
        assert escape(descriptor(category, stage)) in page
        assert escape(stage.descriptor) not in page  # not the generic stage text
    assert "Category 4 of 9" in page


def test_saving_a_category_touches_no_other(client_for, leader, draft):
    before = _versions(draft)
    history = Rating.history.count()
    response = _save(client_for(leader), draft, 3, "2", "Governors' minutes")
    assert response.status_code == 302 and response.url == _category(draft, 4)
    rating = Rating.objects.get(audit=draft, category=3)
    assert (rating.stage, rating.evidence) == (2, "Governors' minutes")
    after = _versions(draft)
    assert after[3] == before[3] + 1
    assert {n: v for n, v in after.items() if n != 3} == {n: v for n, v in before.items() if n != 3}
    assert Rating.history.count() == history + 1


def test_two_tabs_on_different_categories_both_save(client_for, leader, draft):
    client = client_for(leader)
    tab_a = _loaded(client, _category(draft, 1))
    tab_b = _loaded(client, _category(draft, 2))
    first = client.post(_category(draft, 1), tab_a | {"stage": "1", "evidence": "A"})
    second = client.post(_category(draft, 2), tab_b | {"stage": "4", "evidence": "B"})
    assert first.status_code == second.status_code == 302
    assert Audit.objects.get(pk=draft.pk).stages == {**dict.fromkeys(range(1, 10)), 1: 1, 2: 4}


def test_two_tabs_on_the_same_category_never_overwrite(client_for, leader, coordinator, draft):
    client = client_for(leader)
    tab_a = _loaded(client, _category(draft, 6))
    tab_b = _loaded(client, _category(draft, 6))
    client.post(_category(draft, 6), tab_a | {"stage": "2", "evidence": "First tab"})
    refused = client.post(_category(draft, 6), tab_b | {"stage": "3", "evidence": "Second tab"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "You saved this category in another tab or window" in page
    assert "First tab" in page and "Second tab" in page  # theirs shown, mine kept
    assert Rating.objects.get(audit=draft, category=6).evidence == "First tab"
    # Saving again, knowingly, from the page as shown now, keeps the second tab's words.
    form = refused.context["form"]
    again = {"version": form["version"].value(), "loaded": form["loaded"].value()}
    client.post(_category(draft, 6), again | {"stage": "3", "evidence": "Second tab"})
    assert Rating.objects.get(audit=draft, category=6).evidence == "Second tab"


@pytest.mark.parametrize(
    ("button", "where"),
    [
        ({}, "next"),
        ({"to_tasks": "1"}, "tasks"),
        ({"stay": "1"}, "same"),
    ],
)
def test_save_leads_where_the_button_says(client_for, leader, draft, button, where):
    response = _save(client_for(leader), draft, 2, "3", "Words", **button)
    expected = {"next": _category(draft, 3), "tasks": _tasks(draft), "same": _category(draft, 2)}
    assert response.url == expected[where]


def test_the_last_category_leads_to_the_reflections(client_for, leader, draft):
    assert _save(client_for(leader), draft, 9, "3", "").url == _reflections(draft)


def test_a_change_from_the_check_page_returns_to_it(client_for, leader, draft):
    client = client_for(leader)
    url = _category(draft, 7, "?return=check")
    data = _loaded(client, url) | {"stage": "4", "evidence": "Changed"}
    assert client.post(url, data).url == _check(draft)
    assert "Save and go back to check your answers" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"stage": "7"},
            "stage",
            "Choose one of the four stages for Leadership × Relevant research",
        ),
        ({"evidence": "x\x00y"}, "evidence", "Null characters are not allowed."),
        ({"evidence": "x" * 5001}, "evidence", "Shorten it to 5,000 characters or fewer."),
        ({"link_url": "javascript:alert(1)"}, "link_url", "Enter a valid URL."),
        ({"link_title": "Only a title"}, "link_url", "Give the link's address"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    client_for, leader, draft, data, field, message
):
    client = client_for(leader)
    before = _versions(draft)
    payload = _loaded(client, _category(draft, 4)) | {"stage": "", "evidence": ""} | data
    response = client.post(_category(draft, 4), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    page = response.content.decode()
    anchor = f"id_{field}_0" if field == "stage" else f"id_{field}"
    assert 'id="error-summary"' in page and f'href="#{anchor}"' in page
    assert f'id="{anchor}"' in page
    assert _versions(draft) == before
    assert not Audit.objects.get(pk=draft.pk).version > draft.version


def test_a_category_outside_the_nine_is_a_404(client_for, leader, draft):
    assert client_for(leader).get(_category(draft, 0)).status_code == 404
    assert client_for(leader).get(_category(draft, 10)).status_code == 404


def test_a_draft_without_its_ratings_still_opens_and_saves(client_for, leader, school):
    bare = make_audit(school, stages=None, period="2025/26", submitted=False)
    client = client_for(leader)
    assert client.get(_category(bare, 2)).status_code == 200
    assert _save(client, bare, 2, "2", "First words").status_code == 302
    assert Rating.objects.get(audit=bare, category=2).evidence == "First words"


@pytest.mark.parametrize("partnerships", [5, 50])
def test_category_page_query_count(
    client_for, leader, draft, django_assert_num_queries, partnerships
):
    for _ in range(partnerships):
        PartnershipFactory(school=draft.school, categories=[3, 4])
    client = client_for(leader)
    # session, user, audit, ratings, files, links, partnerships that fed it, their cells,
    # the category's actions from earlier audits
    with django_assert_num_queries(9):
        assert client.get(_category(draft, 3)).status_code == 200


# -- the reflections ---------------------------------------------------------------------------


def test_reflections_save_and_lead_to_the_check_page(client_for, leader, draft):
    client = client_for(leader)
    data = _loaded(client, _reflections(draft))
    data |= {q.field: f"About {q.field}" for q in REFLECTION_QUESTIONS}
    response = client.post(_reflections(draft), data)
    assert response.url == _check(draft)
    saved = Audit.objects.get(pk=draft.pk)
    assert saved.reflection_coherence == "About reflection_coherence"
    assert _versions(saved) == _versions(draft)  # no rating touched


def test_reflections_conflict_keeps_the_text_and_a_second_save_works(client_for, leader, draft):
    client = client_for(leader)
    tab_a, tab_b = _loaded(client, _reflections(draft)), _loaded(client, _reflections(draft))
    field = REFLECTION_QUESTIONS[0].field
    client.post(_reflections(draft), tab_a | {field: "From tab A"})
    refused = client.post(_reflections(draft), tab_b | {field: "From tab B"})
    assert refused.status_code == 409
    assert "From tab B" in refused.content.decode()
    form = refused.context["form"]
    again = {"version": form["version"].value(), "loaded": form["loaded"].value()}
    assert client.post(_reflections(draft), again | {field: "From tab B"}).status_code == 302
    assert getattr(Audit.objects.get(pk=draft.pk), field) == "From tab B"


# -- check your answers, then submit ----------------------------------------------------------


def test_check_page_lists_the_nine_with_change_links_and_what_is_missing(client_for, leader, draft):
    Rating.objects.filter(audit=draft, category__lte=7).update(stage=3, evidence="Seen")
    page = client_for(leader).get(_check(draft)).content.decode()
    for number in range(1, 10):
        assert f'href="{escape(_category(draft, number, "?return=check"))}"' in page
    assert "2 categories are not rated yet" in page
    assert "Once it is submitted, the audit cannot be changed." in page
    assert 'id="submit-form"' not in page  # nothing to submit until all nine are rated


def test_submitting_needs_the_confirmation(client_for, leader, draft):
    Rating.objects.filter(audit=draft).update(stage=4)
    draft.refresh_from_db()
    client = client_for(leader)
    response = client.post(_check(draft), {"version": draft.version})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_confirm"' in page and "Tick the box to confirm" in page
    assert not Audit.objects.get(pk=draft.pk).is_submitted


def test_submitting_with_the_confirmation_leads_to_the_confirmation_page(client_for, leader, draft):
    Rating.objects.filter(audit=draft).update(stage=4)
    draft.refresh_from_db()
    client = client_for(leader)
    response = client.post(_check(draft), {"version": draft.version, "confirm": "on"})
    assert response.url == reverse("audits:audit_submitted", args=[draft.pk])
    audit = Audit.objects.get(pk=draft.pk)
    assert audit.is_submitted and audit.submitted_by == leader
    page = client.get(response.url).content.decode()
    assert "Audit submitted" in page
    assert f'href="{reverse("audits:audit_report", args=[draft.pk])}"' in page
    # The pages of a submitted audit now lead to its report.
    assert client.get(_category(draft, 1)).url == reverse("audits:audit_report", args=[draft.pk])


def test_a_draft_changed_since_the_check_is_not_submitted(client_for, leader, draft):
    Rating.objects.filter(audit=draft).update(stage=4)
    draft.refresh_from_db()
    client = client_for(leader)
    checked = draft.version
    _save(client, draft, 1, "3", "Changed in another tab")
    response = client.post(_check(draft), {"version": checked, "confirm": "on"})
    assert response.status_code == 409
    assert "This draft changed since you opened this page" in response.content.decode()
    assert not Audit.objects.get(pk=draft.pk).is_submitted


@pytest.mark.parametrize("partnerships", [5, 50])
def test_check_page_query_count(client_for, leader, draft, django_assert_num_queries, partnerships):
    for _ in range(partnerships):
        PartnershipFactory(school=draft.school, categories=[1, 9])
    client = client_for(leader)
    # session, user, audit, ratings, files, links, partnerships, their cells
    with django_assert_num_queries(8):
        assert client.get(_check(draft)).status_code == 200


# -- what a review found ------------------------------------------------------------------


def test_saving_a_category_of_a_draft_discarded_meanwhile_keeps_the_words(
    client_for, leader, draft
):
    from audits.services import audit_discard

    client = client_for(leader)
    data = _loaded(client, _category(draft, 2)) | {"stage": "3", "evidence": "Typed, then lost?"}
    audit_discard(audit=draft, by=leader, version=draft.version)
    response = client.post(_category(draft, 2), data)
    assert response.status_code == 410
    assert "Typed, then lost?" in response.content.decode()


def test_saving_the_reflections_of_a_discarded_draft_keeps_the_words(client_for, leader, draft):
    from audits.services import audit_discard

    client = client_for(leader)
    field = REFLECTION_QUESTIONS[1].field
    data = _loaded(client, _reflections(draft)) | {field: "My reflection"}
    audit_discard(audit=draft, by=leader, version=draft.version)
    response = client.post(_reflections(draft), data)
    assert response.status_code == 410 and "My reflection" in response.content.decode()


def test_a_post_without_the_evidence_field_clears_nothing(client_for, leader, draft):
    from tests.audits.evidence_samples import PDF, upload

    Rating.objects.filter(audit=draft, category=3).update(stage=4, evidence="Copied forward")
    client = client_for(leader)
    form = _loaded(client, _category(draft, 3))
    client.post(_category(draft, 3), form | {"attach": upload("Only.pdf", PDF), "stay": "1"})
    rating = Rating.objects.get(audit=draft, category=3)
    assert (rating.stage, rating.evidence) == (4, "Copied forward")
    assert rating.files.get().name == "Only.pdf"


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_the_pages_of_a_draft_answer_only_get_and_post(client_for, leader, draft, method):
    client = client_for(leader)
    for url in (_category(draft, 1), _reflections(draft), _check(draft)):
        assert getattr(client, method)(url).status_code == 405


def test_a_file_sent_with_a_conflict_is_said_not_attached(client_for, leader, draft):
    from tests.audits.evidence_samples import PDF, upload

    client = client_for(leader)
    tab_a, tab_b = _loaded(client, _category(draft, 4)), _loaded(client, _category(draft, 4))
    client.post(_category(draft, 4), tab_a | {"stage": "2", "evidence": "First"})
    response = client.post(
        _category(draft, 4),
        tab_b | {"stage": "3", "evidence": "Second", "attach": upload("Plan.pdf", PDF)},
    )
    assert response.status_code == 409
    assert "Plan.pdf is not attached yet: choose it again, then save." in response.content.decode()
    assert not Rating.objects.get(audit=draft, category=4).files.exists()


def test_removing_from_the_check_page_route_returns_there(client_for, leader, draft):
    from audits.models import EvidenceLink

    link = EvidenceLink.objects.create(
        rating=Rating.objects.get(audit=draft, category=5), url="https://example.org/"
    )
    url = reverse("audits:evidence_remove", args=[draft.pk, "links", link.pk])
    response = client_for(leader).post(url, {"return": "check"})
    assert response.url == _category(draft, 5, "?return=check")


def test_the_check_page_names_what_is_attached(client_for, leader, draft):
    from audits.models import EvidenceLink

    rating = Rating.objects.get(audit=draft, category=5)
    EvidenceLink.objects.create(rating=rating, url="https://example.org/", title="Peer review")
    page = client_for(leader).get(_check(draft)).content.decode()
    assert "<li>Peer review</li>" in page


def test_the_file_input_says_its_limit_to_the_browser(client_for, leader, draft):
    page = client_for(leader).get(_category(draft, 1)).content.decode()
    assert 'data-max-bytes="10485760"' in page and "file-size.js" in page


# -- ratings copied from the last audit ---------------------------------------------------


@pytest.fixture
def copied(school, leader):
    from audits.services import audit_start

    make_audit(school, stages=[3, 3, 3, 2, 2, 2, 4, 4, None], period="2025/26", evidence="Kept")
    return audit_start(school=school, period="2026/27", by=leader, copy_forward=True)


def test_copied_ratings_are_to_review_not_completed(client_for, leader, copied):
    assert dict(Rating.objects.filter(audit=copied).values_list("category", "to_review")) == {
        **dict.fromkeys(range(1, 10), True)  # the ninth has evidence, copied too
    }
    response = client_for(leader).get(_tasks(copied))
    statuses = {task.category.number: task.status for task in response.context["tasks"][:9]}
    assert set(statuses.values()) == {"to_review"}
    page = response.content.decode()
    assert "0 of 9 categories completed." in page
    assert "9 categories are copied from your last audit" in page
    assert page.count("Copied: to review") == 9


def test_saving_a_copied_rating_as_it_is_confirms_it(client_for, leader, copied):
    client = client_for(leader)
    page = client.get(_category(copied, 1)).content.decode()
    assert "Copied from your last audit. Is it still where you are now?" in page

    _save(client, copied, 1, "3", "Kept")

    rating = Rating.objects.get(audit=copied, category=1)
    assert not rating.to_review and (rating.stage, rating.evidence) == (3, "Kept")
    assert rating.history.latest().history_user == leader
    statuses = [task.status for task in client.get(_tasks(copied)).context["tasks"][:9]]
    assert statuses[0] == "completed" and statuses[1:] == ["to_review"] * 8


def test_the_check_page_lists_what_is_still_as_copied(client_for, leader, copied):
    client = client_for(leader)
    _save(client, copied, 2, "4", "We now co-plan every unit.")

    page = client.get(_check(copied)).content.decode()

    assert "8 categories are as copied from your last audit" in page
    listed = page.split('id="to-review-heading"')[1].split("</section>")[0]
    assert f'href="{_category(copied, 1, "?return=check")}"' in listed
    assert f'href="{_category(copied, 2, "?return=check")}"' not in listed


def test_a_draft_started_afresh_has_nothing_to_review(client_for, leader, draft):
    page = client_for(leader).get(_tasks(draft)).content.decode()
    assert not Rating.objects.filter(audit=draft, to_review=True).exists()
    assert "copied from your last audit" not in page
