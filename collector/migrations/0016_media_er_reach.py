"""Media.er_reach, a stored generated column (the database recomputes it whenever the counters
change), and the post lists' indexes: a period's live posts by time, and by ER with no rate last."""

import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models

# PostgreSQL puts NULLs first in a DESC index unless told; SQLite puts them last and has no
# NULLS clause in CREATE INDEX. Either way the index matches ORDER BY er_reach DESC NULLS LAST,
# timestamp DESC, id DESC (insights.posts).
ER_INDEX = (
    'CREATE INDEX "media_live_er_reach" ON "collector_media" '
    '("er_reach" DESC{nulls}, "timestamp" DESC, "id" DESC) WHERE NOT "is_deleted"'
)


def create_er_index(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(ER_INDEX.format(nulls=nulls))


def drop_er_index(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "media_live_er_reach"')


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0015_run_kinds_public_and_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="media",
            name="er_reach",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.functions.comparison.Cast(
                            django.db.models.functions.comparison.Coalesce(
                                models.F("total_interactions"),
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.expressions.CombinedExpression(
                                            django.db.models.functions.comparison.Coalesce(models.F("like_count"), 0),
                                            "+",
                                            django.db.models.functions.comparison.Coalesce(
                                                models.F("comments_count"), 0
                                            ),
                                        ),
                                        "+",
                                        django.db.models.functions.comparison.Coalesce(models.F("saved"), 0),
                                    ),
                                    "+",
                                    django.db.models.functions.comparison.Coalesce(models.F("shares"), 0),
                                ),
                            ),
                            models.FloatField(),
                        ),
                        "*",
                        models.Value(100.0),
                    ),
                    "/",
                    django.db.models.functions.comparison.NullIf(models.F("reach"), 0),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.AddIndex(
            model_name="media",
            index=models.Index(
                condition=models.Q(("is_deleted", False)), fields=["profile", "-timestamp"], name="media_live_time"
            ),
        ),
        migrations.RunPython(create_er_index, drop_er_index, elidable=False),
    ]
