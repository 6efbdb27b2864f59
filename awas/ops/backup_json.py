"""The JSON serialization format of backups: Django's, but with times kept to the microsecond.

Django's JSON encoder cuts datetimes to milliseconds. Every audit entry's hash covers its time to
the microsecond, so a backup written with it restores an audit chain that no longer verifies.
Reading needs nothing special: Django's JSON deserializer parses the full ISO times.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "awas_backup_json"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def start_serialization(self) -> None:
        super().start_serialization()  # sets json_kwargs
        self.json_kwargs["cls"] = ExactJSONEncoder


__all__ = ["FORMAT", "Deserializer", "ExactJSONEncoder", "Serializer"]
