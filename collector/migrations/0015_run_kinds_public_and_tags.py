from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0014_comment_coding"),
    ]

    operations = [
        migrations.AlterField(
            model_name="collectionrun",
            name="kind",
            field=models.CharField(
                choices=[
                    ("backfill", "Backfill"),
                    ("sync", "Incremental sync"),
                    ("stories", "Stories"),
                    ("insights", "Type-specific insights"),
                    ("snapshot", "Daily snapshot"),
                    ("history", "Account history"),
                    ("comments", "Comment polling"),
                    ("audience", "Audience"),
                    ("public", "Public data (Business Discovery)"),
                    ("tags", "Media we are tagged in"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
    ]
