"""Every write of violation handling. ``common`` holds what intake and workflow share."""
