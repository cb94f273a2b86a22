"""Kept lists: a frozen copy of every row, as the meeting was shown it."""

from dataclasses import asdict
from datetime import date, datetime

from sqlmodel import Session, select

from tracker.fingerprint import fingerprint_of
from tracker.followup.services.lines import IndicatorLine, LatestUpdate, MeasureLine
from tracker.followup.services.report import Group, Report, Row
from tracker.models import KeptList, User


def _as_json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def snapshot_of(report: Report) -> dict:
    """Return the report as plain JSON data: title, groups and rows."""
    data = asdict(report)
    for key in ("made_by", "made_at", "fingerprint", "intact", "page", "pages", "total", "first"):
        data.pop(key)
    return _as_json(data)


def _latest(data: dict | None) -> LatestUpdate | None:
    if not data:
        return None
    return LatestUpdate(**(data | {"reported_on": _day(data["reported_on"])}))


def report_from_snapshot(snapshot: dict) -> Report:
    """Read a report back from its snapshot."""
    groups = []
    for group in snapshot["groups"]:
        rows = []
        for row in group["rows"]:
            latest = row["latest"]
            on_measure = (latest or {}).get("measure", "")
            rows.append(
                Row(
                    **(
                        row
                        | {
                            "deadline": _day(row["deadline"]),
                            "original": _day(row.get("original")),
                            "response_due": _day(row.get("response_due")),
                            "latest": latest
                            and LatestUpdate(
                                latest["text"],
                                _day(latest["reported_on"]),
                                latest["author"],
                                on_measure,
                                latest.get("assumed", False),
                            ),
                            "measures": [
                                MeasureLine(
                                    **(
                                        line
                                        | {
                                            "due": _day(line["due"]),
                                            "latest": _latest(line.get("latest")),
                                        }
                                    )
                                )
                                for line in row["measures"]
                            ],
                            # Lists kept before indicators were shown have none.
                            "indicators": [
                                IndicatorLine(**line) for line in row.get("indicators", [])
                            ],
                        }
                    )
                )
            )
        groups.append(Group(group["name"], rows))
    return Report(
        title=snapshot["title"],
        body=snapshot["body"],
        meeting=snapshot["meeting"],
        dated=_day(snapshot["dated"]),
        grouping=snapshot["grouping"],
        criteria=snapshot["criteria"],
        groups=groups,
        dnr=snapshot.get("dnr", ""),
        proposal=snapshot.get("proposal", ""),
    )


def keep_list(
    session: Session, *, report: Report, meeting_id: int, params: dict, user: User
) -> KeptList:
    """Keep a frozen, signed copy of the report for a meeting."""
    snapshot = snapshot_of(report)
    kept = KeptList(
        meeting_id=meeting_id,
        title=report.title,
        dated=report.dated,
        grouping=report.grouping,
        criteria=params,
        snapshot=snapshot,
        item_count=report.count,
        fingerprint=fingerprint_of(snapshot),
        made_by_id=user.id,
        made_by_name=user.name,
    )
    session.add(kept)
    session.flush()
    return kept


def kept_report(kept: KeptList) -> Report:
    """Return a kept list's report as it was kept, signed, and checked against its fingerprint."""
    report = report_from_snapshot(kept.snapshot)
    report.made_by = kept.made_by_name
    report.made_at = kept.made_at
    report.fingerprint = kept.fingerprint
    report.intact = fingerprint_of(kept.snapshot) == kept.fingerprint
    return report


def kept_lists_of(session: Session, meeting_id: int) -> list[KeptList]:
    """Return the lists kept for a meeting, newest first."""
    query = (
        select(KeptList)
        .where(KeptList.meeting_id == meeting_id)
        .order_by(KeptList.made_at.desc(), KeptList.id.desc())
    )
    return list(session.exec(query))
