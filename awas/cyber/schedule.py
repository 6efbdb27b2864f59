"""Election calendars: when campaigning is allowed, for the "kampanye di luar jadwal" label.

Dates are calendar dates in WIB (Asia/Jakarta). A post's time is converted to WIB before it is
looked up, so a post at 23:30 WIB on 23 November is still in the campaign period while one at
00:10 WIB on 24 November is in the masa tenang.

``PILKADA_2024`` follows the Pilkada Serentak 2024 calendar (design/DOMAIN.md §4): penetapan of the
paslon on 22 September, kampanye 25 September – 23 November, masa tenang 24–26 November, voting on
27 November. Between penetapan and the first campaign day paslon exist but may not campaign yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    start: dt.date
    end: dt.date  # inclusive
    campaign_allowed: bool

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def describe(self) -> str:
        if self.start == self.end:
            return f"{self.name} ({self.start:%d %b %Y})"
        return f"{self.name} ({self.start:%d %b} – {self.end:%d %b %Y})"


@dataclass(frozen=True)
class ElectionCalendar:
    name: str
    stages: tuple[Stage, ...]

    def stage_on(self, day: dt.date) -> Stage | None:
        return next((s for s in self.stages if s.contains(day)), None)

    def no_campaign_stage(self, when: dt.date | dt.datetime | str | None) -> Stage | None:
        """The stage forbidding campaigns that ``when`` falls in, or None (allowed or outside)."""
        day = to_wib_date(when)
        if day is None:
            return None
        stage = self.stage_on(day)
        return stage if stage is not None and not stage.campaign_allowed else None


def to_wib_date(when: dt.date | dt.datetime | str | None) -> dt.date | None:
    """A post's date in WIB. Naive datetimes and date strings are taken as WIB already."""
    if when is None or when == "":
        return None
    if isinstance(when, str):
        text = when.strip()
        try:
            when = dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an ISO date or date-time: {text!r}") from exc
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(WIB)
        return when.date()
    return when


PILKADA_2024 = ElectionCalendar(
    name="Pilkada Serentak 2024",
    stages=(
        Stage("pra_kampanye", "sebelum masa kampanye", dt.date(2024, 9, 22), dt.date(2024, 9, 24), False),
        Stage("kampanye", "masa kampanye", dt.date(2024, 9, 25), dt.date(2024, 11, 23), True),
        Stage("masa_tenang", "masa tenang", dt.date(2024, 11, 24), dt.date(2024, 11, 26), False),
        Stage("pemungutan", "hari pemungutan suara", dt.date(2024, 11, 27), dt.date(2024, 11, 27), False),
    ),
)
