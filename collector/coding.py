"""Coding every stored comment: the Celery task that codes what an older classifier (or none) coded.

New comments are coded as they are stored (collector.collect.load_comments, webhooks.store); this
task catches up the rest: every comment after this feature's migration, and every comment again
after a new classifier version (its `coded_by` differs from classifier.LABEL). Beat runs it hourly
(migration 0012); `manage.py shell -c "from collector.coding import code_comments; code_comments()"`
runs it at once. Comment.updated_at is left alone: coding is not a change the live page must resend.
"""

from __future__ import annotations

import json
import time
from typing import Any

from celery import shared_task
from django.db import connection, transaction

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


def code_stored_comments(everything: bool = False) -> dict[str, Any]:
    """Code the comments not coded by this classifier version (all of them with `everything`),
    a chunk of CHUNK per transaction, in id order; answers how many and how long it took."""
    started = time.perf_counter()
    pending = Comment.objects.all() if everything else Comment.objects.exclude(coded_by=classifier.LABEL)
    last, coded = 0, 0
    while True:
        chunk = list(pending.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:CHUNK])
        if not chunk:
            break
        with transaction.atomic():
            _update([{"id": pk, **coded_values(text)} for pk, text in chunk])
        last, coded = chunk[-1][0], coded + len(chunk)
    return {"coded": coded, "seconds": round(time.perf_counter() - started, 2), "classifier": classifier.LABEL}


@shared_task(name="collector.coding.code_comments")
def code_comments(everything: bool = False) -> dict[str, Any]:
    return code_stored_comments(everything)
