"""Audits, their ratings and evidence. The judgement of an audit lives in `audits.rules`.

Who may read or change an audit is decided once: `get_audit_for`, over the scopes
`AuditQuerySet.readable_by` and `editable_by`.
"""

from audits.models.audits import (
    CATEGORY_CHOICES,
    STAGE_CHOICES,
    Audit,
    AuditIsFinal,
    Rating,
    get_audit_for,
)
from audits.models.evidence import EvidenceFile, EvidenceLink

__all__ = [
    "CATEGORY_CHOICES",
    "STAGE_CHOICES",
    "Audit",
    "AuditIsFinal",
    "EvidenceFile",
    "EvidenceLink",
    "Rating",
    "get_audit_for",
]
