"""The register's own English values, shown in the person's language.

GIAS publishes a school's phase of education as one of a few fixed English values;
the pages show those through this mapping, and any other value (a new one, or a
school typed in by hand) as published. The database keeps what the register says.
"""

from django.utils.translation import gettext_lazy as _

PHASES = {
    "Not applicable": _("Not applicable"),
    "Nursery": _("Nursery"),
    "Primary": _("Primary"),
    "Middle deemed primary": _("Middle deemed primary"),
    "Secondary": _("Secondary"),
    "Middle deemed secondary": _("Middle deemed secondary"),
    "16 plus": _("16 plus"),
    "All-through": _("All-through"),
}


def phase_label(published: str) -> str:
    """The phase in the active language when the register publishes it, else as written."""
    return str(PHASES.get(published, published))
