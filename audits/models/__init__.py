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
    prefetch_ratings,
)
from audits.models.evidence import EvidenceFile, EvidenceLink
from audits.models.plans import ImprovementAction, get_action_for
from audits.models.validation import (
    Validation,
    ValidationIsFinal,
    ValidationRating,
    get_validation_for,
)

__all__ = [
    "CATEGORY_CHOICES",
    "STAGE_CHOICES",
    "Audit",
    "AuditIsFinal",
    "EvidenceFile",
    "EvidenceLink",
    "ImprovementAction",
    "Rating",
    "Validation",
    "ValidationIsFinal",
    "ValidationRating",
    "get_action_for",
    "get_audit_for",
    "get_validation_for",
    "prefetch_ratings",
]
