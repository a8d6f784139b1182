"""The error summary of a form: see `clc_audit.error_summary`."""

from clc_audit.error_summary import error_summary_links, field_anchor

__all__ = ["error_summary_links", "field_anchor"]
