from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0006_webhookevent_body_bytes"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="standby",
            field=models.BooleanField(
                default=False,
                help_text="Delivered in Meta's standby channel (handover protocol): another app was answering.",
                verbose_name="while another app owned the conversation",
            ),
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received, not processed yet"),
                    ("processed", "Processed"),
                    ("unhandled", "Processed, with fields we have no handler for"),
                    ("failed", "Failed"),
                    ("rejected", "Rejected: not JSON"),
                    ("test", "Test delivery from the app dashboard"),
                ],
                default="received",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
