"""Leernetwerken with their member organisations, and verbeterplannen per round with their history.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("instrument_id", sa.String(100), nullable=False),
        sa.Column("show_names", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("name_secret", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.UniqueConstraint("name_key", "instrument_id", name="uq_networks_name"),
    )
    op.create_table(
        "network_members",
        sa.Column("network_id", sa.String(32), sa.ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("organisation_key", sa.String(200), primary_key=True),
        sa.Column("organisation", sa.String(200), nullable=False),
    )
    for table in ("plans", "plan_history"):
        op.create_table(
            table,
            sa.Column("round_id", sa.String(32), sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False, primary_key=table == "plan_history"),
            sa.Column("body", sa.Text, nullable=False),
            sa.Column("updated_at", sa.String(40), nullable=False),
            sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        )


def downgrade() -> None:
    for table in ("plan_history", "plans", "network_members", "networks"):
        op.drop_table(table)
