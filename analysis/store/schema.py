"""The tables of the store, as SQLAlchemy Core objects: what the queries are written against.

Alembic revisions in ``migrations/versions`` create and change these tables; this module describes
the schema at the newest revision. To add a table for a new feature: define it here, write a
revision that creates it (``migrations/versions/NNNN_what.py``, ``down_revision`` the previous
newest), and put its queries in a module of its own in this package (see ``docs/store.md``).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# A saved measurement round. Its description is columns (so listing never touches answers); the answer
# matrix, metadata columns and ingest report are one Parquet document in round_data (see docs/store.md for
# the benchmark that chose a blob over one row per answer). The unique key is what makes two rounds "the
# same round" to a person, so a double click can never store it twice, whatever the timing.
rounds = sa.Table(
    "rounds", metadata,
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

round_data = sa.Table(
    "round_data", metadata,
    sa.Column("round_id", sa.String(32), sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("format", sa.String(20), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

# Reusable fixes of one survey form (see analysis/ingest/koppelingen.py); one name, one koppeling.
koppelingen = sa.Table(
    "koppelingen", metadata,
    sa.Column("name_key", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("instrument_id", sa.String(100), nullable=False, server_default=""),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

# What the one-time import of an older Parquet data directory did with each file: so it runs once, a
# round deleted afterwards is never brought back, and a file it could not read is reported, not lost.
legacy_files = sa.Table(
    "legacy_files", metadata,
    sa.Column("file_name", sa.String(300), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("imported_at", sa.String(40), nullable=False),
)

store_settings = sa.Table(
    "store_settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Live sessions (issue "Live bijeenkomst"): many phones write single answers in the same minute, each
# its own small transaction; a re-answer replaces the earlier one.
live_sessions = sa.Table(
    "live_sessions", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("join_code", sa.String(32), nullable=False, unique=True),
    sa.Column("organisation", sa.String(200), nullable=False),
    sa.Column("instrument_id", sa.String(100), nullable=False),
    sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("closed_at", sa.String(40), nullable=True),
    sa.Column("round_id", sa.String(32), nullable=True),
    sa.Column("expires_at", sa.String(40), nullable=False, server_default=""),
)

live_participants = sa.Table(
    "live_participants", metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant", sa.String(64), primary_key=True),
    sa.Column("resume_code", sa.String(16), nullable=False),
    sa.Column("group_label", sa.String(200), nullable=False, server_default=""),
    sa.Column("joined_at", sa.String(40), nullable=False),
    sa.Column("submitted_at", sa.String(40), nullable=True),
    sa.UniqueConstraint("session_id", "resume_code", name="uq_live_participants_resume"),
)

# The dot vote of a session: the items on offer, and each participant's (at most three) chosen items.
live_polls = sa.Table(
    "live_polls", metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("items", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("opened_at", sa.String(40), nullable=False),
)

live_votes = sa.Table(
    "live_votes", metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant", sa.String(64), primary_key=True),
    sa.Column("item_id", sa.String(40), primary_key=True),
    sa.Column("voted_at", sa.String(40), nullable=False),
)

live_answers = sa.Table(
    "live_answers", metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("live_sessions.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("participant", sa.String(64), primary_key=True),
    sa.Column("item_id", sa.String(40), primary_key=True),
    sa.Column("code", sa.SmallInteger, nullable=False),
    sa.Column("answered_at", sa.String(40), nullable=False),
    # The sending device (a random id the phone keeps) and its number for this answer, growing with every tap:
    # a late answer of the same device never replaces a newer one. NULL from a sender that has none.
    sa.Column("device", sa.String(32), nullable=True),
    sa.Column("sequence", sa.BigInteger, nullable=True),
)

# Leernetwerken (issue "Leernetwerk"): a named network of organisations, per instrument. An organisation is
# the one named on its saved rounds (matched case and spacing aside). name_secret keys the anonymous letters
# ("Organisatie A, B, ...") so they stay the same across moments; show_names records that all members agreed
# to be shown by name.
networks = sa.Table(
    "networks", metadata,
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

network_members = sa.Table(
    "network_members", metadata,
    sa.Column("network_id", sa.String(32), sa.ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_key", sa.String(200), primary_key=True),
    sa.Column("organisation", sa.String(200), nullable=False),
)

# The verbeterplan of one round: the current document with a version that every save must name (so two
# people editing never overwrite each other silently), and every saved version kept, with who and when.
plans = sa.Table(
    "plans", metadata,
    sa.Column("round_id", sa.String(32), sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)

plan_history = sa.Table(
    "plan_history", metadata,
    sa.Column("round_id", sa.String(32), sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)
