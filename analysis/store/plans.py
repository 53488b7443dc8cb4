"""Verbeterplannen in the database: one current plan per round, every saved version kept.

A save names the version it was made on. If someone else saved in between, the save is refused
with a Dutch line naming who and when, and nothing is overwritten: the editor shows the newer
plan and the user applies their change again. Each saved version stays in ``plan_history``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.dutch import format_date
from analysis.errors import RoundError
from analysis.instrument import get_instrument
from analysis.meeting.plan import Plan, check_plan, empty_plan, plan_from_dict, plan_to_dict
from analysis.store.database import Database, open_database
from analysis.store.schema import plan_history, plans, rounds


class PlanConflict(RoundError):
    """Someone else saved the plan after this copy was opened."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PlanStore:
    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    def get(self, round_id: str) -> Plan:
        """The round's current plan; an empty plan (version 0) when none was saved."""
        with self.database.read() as connection:
            instrument_id = connection.execute(sa.select(rounds.c.instrument_id)
                                               .where(rounds.c.id == round_id)).scalar()
            row = connection.execute(sa.select(plans).where(plans.c.round_id == round_id)).first()
        if instrument_id is None:
            raise RoundError("Deze meetronde bestaat niet (meer).")
        if row is None:
            return empty_plan(round_id, instrument_id)
        plan = plan_from_dict(json.loads(row.body), get_instrument(instrument_id))
        return dataclasses.replace(plan, round_id=round_id, version=row.version, updated_at=row.updated_at,
                                   updated_by=row.updated_by)

    def save(self, plan: Plan, user: str = "") -> Plan:
        """Save PLAN made on version ``plan.version``; returns it with the new version. PlanConflict if stale."""
        with self.database.read() as connection:
            instrument_id = connection.execute(sa.select(rounds.c.instrument_id)
                                               .where(rounds.c.id == plan.round_id)).scalar()
        if instrument_id is None:
            raise RoundError("Deze meetronde bestaat niet (meer); het plan is niet opgeslagen.")
        checked = check_plan(plan, get_instrument(instrument_id))
        saved = dataclasses.replace(checked, version=plan.version + 1, updated_at=_now(), updated_by=str(user)[:200])
        values = {"version": saved.version, "body": json.dumps(plan_to_dict(saved), ensure_ascii=False),
                  "updated_at": saved.updated_at, "updated_by": saved.updated_by}
        try:
            with self.database.write() as connection:
                if plan.version == 0:
                    connection.execute(sa.insert(plans).values(round_id=plan.round_id, **values))
                else:
                    changed = connection.execute(sa.update(plans).where(
                        plans.c.round_id == plan.round_id, plans.c.version == plan.version).values(**values)).rowcount
                    if not changed:
                        raise self._conflict(connection, plan.round_id)
                connection.execute(sa.insert(plan_history).values(round_id=plan.round_id, **values))
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):  # two first saves at once: one wins
                with self.database.read() as connection:
                    raise self._conflict(connection, plan.round_id) from exc.__cause__
            raise
        return saved

    @staticmethod
    def _conflict(connection, round_id: str) -> PlanConflict:
        row = connection.execute(sa.select(plans.c.updated_at, plans.c.updated_by)
                                 .where(plans.c.round_id == round_id)).first()
        who = f" door {row.updated_by}" if row and row.updated_by else ""
        when = ""
        if row:
            moment = dt.datetime.fromisoformat(row.updated_at)
            when = f" op {format_date(moment.date().isoformat())} om {moment.strftime('%H:%M')} (UTC)"
        return PlanConflict(f"Het plan is intussen gewijzigd{who}{when}; uw wijziging is niet opgeslagen. "
                            "Bekijk de nieuwe versie en breng uw wijziging opnieuw aan.")

    def history(self, round_id: str) -> list[tuple[int, str, str]]:
        """(version, updated_at, updated_by) of every saved version, oldest first."""
        with self.database.read() as connection:
            rows = connection.execute(sa.select(plan_history.c.version, plan_history.c.updated_at,
                                                plan_history.c.updated_by)
                                      .where(plan_history.c.round_id == round_id)
                                      .order_by(plan_history.c.version)).all()
        return [tuple(row) for row in rows]


def take_plans(connection, round_ids: list[str]) -> dict:
    """Within the transaction that replaces a round: its plan rows, read before the old round goes."""
    return {table.name: [dict(row._mapping) for row in connection.execute(
        sa.select(table).where(table.c.round_id.in_(round_ids)))] for table in (plans, plan_history)}


def put_plans(connection, taken: dict, new_round_id: str) -> None:
    """... and put back on the new round: a corrected upload keeps the plan agreed on its round."""
    for table in (plans, plan_history):
        for row in taken[table.name][:1] if table is plans else taken[table.name]:
            connection.execute(sa.insert(table).values({**row, "round_id": new_round_id}))
