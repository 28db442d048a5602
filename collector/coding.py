"""Coding every stored comment: the Celery task that codes what an older classifier (or none) coded.

New comments are coded as they are stored (collector.comment_polling.load_comments, webhooks.store); this
task catches up the rest: every comment after this feature's migration, and every comment again
after a new classifier version (its `coded_by` differs from classifier.LABEL). Beat runs it hourly
(migration 0012); `manage.py shell -c "from collector.coding import code_comments; code_comments.delay()"`
queues it at once. Comment.updated_at is left alone: coding is not a change the live page must resend.
"""

from __future__ import annotations

import json
import time
from typing import Any

from celery import group, shared_task
from django.db import connection, transaction
from django.db.models import QuerySet

import classifier
from collector.coded import CODED_FIELDS, coded_values
from collector.models import Comment

CHUNK = 5000
# PostgreSQL reads a chunk as one JSON document (as collector.pipeline does): one statement, one bind.
_TYPES = {
    "sentiment": "varchar",
    "sentiment_score": "double precision",
    "is_question": "boolean",
    "is_complaint": "boolean",
    "is_praise": "boolean",
    "is_spam": "boolean",
    "coded_by": "varchar",
}


def _update(rows: list[dict[str, Any]]) -> None:
    if connection.vendor != "postgresql":  # SQLite (make run): the ORM's CASE per field is fast enough there
        Comment.objects.bulk_update(
            [Comment(pk=row["id"], **{name: row[name] for name in CODED_FIELDS}) for row in rows],
            CODED_FIELDS,
            batch_size=500,
        )
        return
    quote = connection.ops.quote_name
    shape = ", ".join([f"{quote('id')} bigint", *(f"{quote(name)} {kind}" for name, kind in _TYPES.items())])
    assignments = ", ".join(f"{quote(name)} = d.{quote(name)}" for name in CODED_FIELDS)
    table = quote(Comment._meta.db_table)
    # Only names from the model are spliced in; the rows are one bound parameter.
    sql = (
        f"UPDATE {table} AS c SET {assignments} FROM jsonb_to_recordset(%s::jsonb) AS d({shape})"  # noqa: S608
        f" WHERE c.{quote('id')} = d.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows)])


def _pending(everything: bool) -> QuerySet[Comment]:
    return Comment.objects.all() if everything else Comment.objects.exclude(coded_by=classifier.LABEL)


def pending_ranges(everything: bool = False, chunk: int = CHUNK) -> list[tuple[int, int]]:
    """The ids of the comments to code, as (first, last) ranges of `chunk` comments each."""
    ids = list(_pending(everything).order_by("pk").values_list("pk", flat=True))
    return [(ids[start], ids[min(start + chunk, len(ids)) - 1]) for start in range(0, len(ids), chunk)]


def code_range(first: int, last: int, everything: bool = False) -> int:
    """Code the pending comments with ids from first to last, in one transaction; answers how many."""
    rows = list(_pending(everything).filter(pk__gte=first, pk__lte=last).values_list("pk", "text"))
    with transaction.atomic():
        _update([{"id": pk, **coded_values(text)} for pk, text in rows])
    return len(rows)


@shared_task(name="collector.coding.code_comments")
def code_comments(everything: bool = False, chunk: int = CHUNK) -> dict[str, Any]:
    """Code what this classifier version has not coded (everything with `everything`). One range is
    coded here; more become one task each, so every process of the worker codes in parallel (two
    on this machine: one classifies while another waits on PostgreSQL)."""
    started = time.perf_counter()
    ranges = pending_ranges(everything, chunk)
    if len(ranges) > 1:
        group(code_comment_range.s(first, last, everything) for first, last in ranges).apply_async()
        return {"coded": 0, "queued": len(ranges), "classifier": classifier.LABEL}
    coded = sum(code_range(first, last, everything) for first, last in ranges)
    seconds = round(time.perf_counter() - started, 2)
    return {"coded": coded, "queued": 0, "seconds": seconds, "classifier": classifier.LABEL}


@shared_task(name="collector.coding.code_comment_range")
def code_comment_range(first: int, last: int, everything: bool = False) -> int:
    return code_range(first, last, everything)
