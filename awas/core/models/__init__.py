from awas.core.models.audit import AuditChainHead, AuditEntry
from awas.core.models.evidence import EvidenceFile
from awas.core.models.users import User

__all__ = ["AuditChainHead", "AuditEntry", "EvidenceFile", "User"]
