from awas.core.models.audit import AuditChainHead, AuditEntry
from awas.core.models.deadlines import DayType, DeadlineRule, ElectionType, Holiday, HolidayKind
from awas.core.models.evidence import EvidenceFile
from awas.core.models.limits import AttemptWindow
from awas.core.models.mail import OutgoingMail
from awas.core.models.users import User

__all__ = [
    "AttemptWindow",
    "AuditChainHead",
    "AuditEntry",
    "DayType",
    "DeadlineRule",
    "ElectionType",
    "EvidenceFile",
    "Holiday",
    "HolidayKind",
    "OutgoingMail",
    "User",
]
