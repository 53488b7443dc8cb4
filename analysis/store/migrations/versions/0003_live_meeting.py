"""Live meetings: participants with a resume code and a group, a dot vote per session, expiry.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_sessions") as batch:
        batch.add_column(sa.Column("expires_at", sa.String(40), nullable=False, server_default=""))
    op.create_table(
        "live_participants",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("participant", sa.String(64), primary_key=True),
        sa.Column("resume_code", sa.String(16), nullable=False),
        sa.Column("group_label", sa.String(200), nullable=False, server_default=""),
        sa.Column("joined_at", sa.String(40), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=True),
        sa.UniqueConstraint("session_id", "resume_code", name="uq_live_participants_resume"),
    )
    op.create_table(
        "live_polls",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opened_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "live_votes",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("participant", sa.String(64), primary_key=True),
        sa.Column("item_id", sa.String(40), primary_key=True),
        sa.Column("voted_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for table in ("live_votes", "live_polls", "live_participants"):
        op.drop_table(table)
    with op.batch_alter_table("live_sessions") as batch:
        batch.drop_column("expires_at")
