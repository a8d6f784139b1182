"""Writes that span several rows of the audits app, each atomic, with keyword-only
arguments: drafts (`drafts`) and their evidence (`evidence`)."""

from audits.services.drafts import (
    AuditConflict,
    AuditDiscarded,
    CategoryAnswer,
    RatingConflict,
    ReflectionsAnswer,
    audit_discard,
    audit_reopen,
    audit_save_category,
    audit_save_draft,
    audit_start,
    audit_submit,
    discarded_record,
    fresh_audit,
    part_is_stale,
)
from audits.services.evidence import evidence_file_add, evidence_link_add, evidence_remove

__all__ = [
    "AuditConflict",
    "AuditDiscarded",
    "CategoryAnswer",
    "RatingConflict",
    "ReflectionsAnswer",
    "audit_discard",
    "audit_reopen",
    "audit_save_category",
    "audit_save_draft",
    "audit_start",
    "audit_submit",
    "discarded_record",
    "evidence_file_add",
    "evidence_link_add",
    "evidence_remove",
    "fresh_audit",
    "part_is_stale",
]
