"""The server-drawn pictures on the report and the journey pages."""

import pytest
from django.urls import reverse

from audits.charts import journey_svg, radar_svg
from audits.services import AuditConflict
from tests.factories import make_audit


def test_radar_has_a_spoke_and_a_point_per_category_and_a_text_alternative():
    svg = radar_svg(dict.fromkeys(range(1, 10), 4), chart_id="radar")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="radar-title radar-desc"' in svg
    assert svg.count('class="radar-axis"') == 9
    assert svg.count('class="radar-current-dot"') == 9
    assert "radar-previous" not in svg
    assert "style=" not in svg  # the Content-Security-Policy forbids inline styles


def test_radar_draws_the_previous_audit_and_unrated_categories_at_the_centre():
    svg = radar_svg({1: 2}, dict.fromkeys(range(1, 10), 1), chart_id="radar")
    assert svg.count('class="radar-previous-dot"') == 9
    assert svg.count('cx="200.0" cy="200.0"') == 8  # eight unrated points at the centre


def test_journey_chart_writes_each_stage_in_its_cell():
    svg = journey_svg(
        [("2024/25", dict.fromkeys(range(1, 10), 1)), ("2025/26", {1: 4})], chart_id="j"
    )
    assert svg.count("journey-cell ") == 18
    assert svg.count(">Isolation<") == 9
    assert ">Integration<" in svg and svg.count(">Not rated<") == 8
    assert "2024/25" in svg and "2025/26" in svg
    assert "style=" not in svg


def test_journey_chart_of_nothing_is_empty():
    assert journey_svg([], chart_id="j") == ""


@pytest.mark.django_db
def test_conflict_with_an_audit_submitted_meanwhile_keeps_text_and_offers_no_save(
    client_for, leader, school, monkeypatch
):
    draft = make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)
    submitted = make_audit(school, stages=3, period="2027/28")

    def refuse(**kwargs):
        raise AuditConflict(submitted)

    monkeypatch.setattr("audits.services.audit_save_draft", refuse)
    response = client_for(leader).post(
        reverse("audits:audit_edit_all", args=[draft.pk]),
        {"version": 1, "evidence_2": "Still here"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "submitted this audit while you were editing it" in page
    assert "Still here" in page
    assert "Save draft" not in page
