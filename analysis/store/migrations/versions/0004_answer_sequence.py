"""Live answers carry the sending device and its own sequence number, so an answer that reaches the server late
(its request timed out on the phone and was sent again, then the first one was still processed) never replaces a
newer one from the same device.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_answers") as batch:
        batch.add_column(sa.Column("device", sa.String(32), nullable=True))
        batch.add_column(sa.Column("sequence", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("live_answers") as batch:
        batch.drop_column("sequence")
        batch.drop_column("device")
