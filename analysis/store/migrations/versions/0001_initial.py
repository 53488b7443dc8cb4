"""The first schema: rounds with their answers, koppelingen, the record of the Parquet import, live sessions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("organisation_key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("measured_on", sa.String(10), nullable=False),
        sa.Column("instrument_id", sa.String(100), nullable=False),
        sa.Column("respondents", sa.Integer, nullable=False),
        sa.Column("source_name", sa.Text, nullable=False, server_default=""),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("overrides", sa.Text, nullable=False, server_default="{}"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.UniqueConstraint("organisation_key", "name_key", "measured_on", name="uq_rounds_identity"),
    )
    op.create_table(
        "round_data",
        sa.Column("round_id", sa.String(32), sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "koppelingen",
        sa.Column("name_key", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("instrument_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_koppelingen_fingerprint", "koppelingen", ["fingerprint"])
    op.create_table(
        "legacy_files",
        sa.Column("file_name", sa.String(300), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "store_settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("join_code", sa.String(32), nullable=False, unique=True),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("instrument_id", sa.String(100), nullable=False),
        sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("closed_at", sa.String(40), nullable=True),
        sa.Column("round_id", sa.String(32), nullable=True),
    )
    op.create_table(
        "live_answers",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("participant", sa.String(64), primary_key=True),
        sa.Column("item_id", sa.String(40), primary_key=True),
        sa.Column("code", sa.SmallInteger, nullable=False),
        sa.Column("answered_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for table in ("live_answers", "live_sessions", "store_settings", "legacy_files", "koppelingen",
                  "round_data", "rounds"):
        op.drop_table(table)
