"""The database's own guard against double bookings: no two live occurrences overlap in one space.

On PostgreSQL an exclusion constraint over each space's occurrence time ranges (btree_gist); on
SQLite triggers that refuse an overlapping row. The services check first, for the message; this is
the last line of defence when two requests race (see docs/design.md). Autogenerate sees neither:
tests read pg_constraint / sqlite_master to prove they are there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Keep in step with leasing.bookings.vocabulary.LIVE_STATUSES (a test compares them).
LIVE = "'requested', 'city_pending', 'confirmed'"
OVERLAP = (
    "SELECT RAISE(ABORT, 'occurrence_overlap: a live occurrence already holds this time in the space') "
    "WHERE EXISTS (SELECT 1 FROM occurrence AS o WHERE o.space_id = NEW.space_id AND o.status IN ({live}) "
    "AND o.starts_at < NEW.ends_at AND NEW.starts_at < o.ends_at{other});"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE occurrence ADD CONSTRAINT ex_occurrence_no_overlap EXCLUDE USING gist "
            f"(space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status IN ({LIVE}))"
        )
        return
    op.execute(
        "CREATE TRIGGER occurrence_no_overlap_insert BEFORE INSERT ON occurrence "
        f"WHEN NEW.status IN ({LIVE}) BEGIN {OVERLAP.format(live=LIVE, other='')} END"
    )
    op.execute(
        "CREATE TRIGGER occurrence_no_overlap_update BEFORE UPDATE OF space_id, starts_at, ends_at, status "
        f"ON occurrence WHEN NEW.status IN ({LIVE}) BEGIN {OVERLAP.format(live=LIVE, other=' AND o.id != NEW.id')} END"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE occurrence DROP CONSTRAINT ex_occurrence_no_overlap")
        return
    op.execute("DROP TRIGGER occurrence_no_overlap_update")
    op.execute("DROP TRIGGER occurrence_no_overlap_insert")
