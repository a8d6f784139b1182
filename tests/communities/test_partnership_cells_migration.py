"""Migration 0007 turns each partnership's area and source flags into the cells they
imply (areas × sources) and marks it "to review"; backwards, cells become flags again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("communities", "0006_names_in_suggestions")]
AFTER = [("communities", "0007_partnership_cells_and_support")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_flags_become_the_cells_they_imply_and_are_marked_to_review():
    old = _migrate(BEFORE)
    School = old.get_model("communities", "School")
    Partner = old.get_model("communities", "Partner")
    Partnership = old.get_model("communities", "Partnership")
    school = School.objects.create(urn="100001", name="Lampton School", phase="Secondary")
    partner = Partner.objects.create(name="The Brilliant Club", kind="charity")

    def made(activity, **flags):
        return Partnership.objects.create(
            school=school, partner=partner, activity=activity, learning_phase="coaching", **flags
        ).pk

    two_by_three = made(
        "Scholars",
        area_teaching=True,
        area_leadership=True,
        source_research=True,
        source_practice=True,
        source_innovation=True,
    )
    one_cell = made("Research lead", area_collaborative=True, source_research=True)
    area_only = made("Leadership network", area_leadership=True)
    nothing = made("Not yet said")
    try:
        new = _migrate(AFTER)
        Migrated = new.get_model("communities", "Partnership")

        def cells(pk):
            return sorted(Migrated.objects.get(pk=pk).cells.values_list("category", flat=True))

        assert cells(two_by_three) == [1, 2, 3, 4, 5, 6]
        assert cells(one_cell) == [7]
        assert cells(area_only) == [4, 5, 6]  # no source named: every source of it
        assert cells(nothing) == []
        to_review = dict(Migrated.objects.values_list("pk", "to_review"))
        assert to_review == {two_by_three: True, one_cell: True, area_only: True, nothing: False}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
