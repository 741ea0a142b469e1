"""case documents, beschikkingen and bezwaren, the rate limit of the public offer form

Revision ID: 0011
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0011"
down_revision = "0003"
branch_labels = ("documents",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, index=True),
        sa.Column("soort", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(128), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "beschikkingen",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, index=True),
        sa.Column("instance_id", sa.Integer()),
        sa.Column("event_seq", sa.Integer()),
        sa.Column("onderwerp", sa.String(255), nullable=False),
        sa.Column("besluit", sa.String(32), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=False),
        sa.Column("regel", sa.Text(), nullable=False),
        sa.Column("verzonden_op", sa.Date(), nullable=False),
        sa.Column("document_id", sa.Integer()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "bezwaren",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, index=True),
        sa.Column("beschikking_id", sa.Integer(), sa.ForeignKey("beschikkingen.id"), nullable=False),
        sa.Column("ontvangen_op", sa.Date(), nullable=False),
        sa.Column("tijdig", sa.Boolean(), nullable=False),
        sa.Column("verschoonbaar", sa.Text()),
        sa.Column("adviescommissie", sa.Boolean(), nullable=False),
        sa.Column("gronden", sa.Text(), nullable=False),
        sa.Column("deadline_id", sa.Integer()),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("beslissing", sa.Text()),
        sa.Column("registered_by", sa.String(128), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("decided_at", UTCDateTime()),
    )
    op.create_table(
        "public_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("address_key", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("case_id", sa.Integer()),
    )
    op.create_index("ix_public_submissions_address", "public_submissions", ["address_key", "at"])


def downgrade() -> None:
    op.drop_table("public_submissions")
    op.drop_table("bezwaren")
    op.drop_table("beschikkingen")
    op.drop_table("documents")
