"""The register's published English values, shown in the person's language."""

from django.utils import translation

from communities.gias.published import PHASES, phase_label


def test_a_published_phase_is_shown_in_the_active_language():
    with translation.override("fr-ca"):
        assert phase_label("Primary") != "Primary"
        assert phase_label("Primary") == translation.gettext("Primary")
    with translation.override("en-gb"):
        assert phase_label("Primary") == "Primary"


def test_any_other_value_is_shown_as_published():
    assert phase_label("Special (local)") == "Special (local)"
    assert phase_label("") == ""


def test_the_register_publishes_eight_phases():
    assert len(PHASES) == 8 and all(key == str(value) for key, value in PHASES.items())
