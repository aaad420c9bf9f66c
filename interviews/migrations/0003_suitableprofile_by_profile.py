import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_caps_text"),
        ("candidates", "0006_ranking_indexes"),
        ("interviews", "0002_suitableprofile_candidate"),
    ]

    operations = [
        migrations.AlterField(
            model_name="suitableprofile",
            name="candidate",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="candidates.candidate",
            ),
        ),
        migrations.AlterField(
            model_name="suitableprofile",
            name="profile",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.jobprofile",
            ),
        ),
        migrations.AddIndex(
            model_name="suitableprofile",
            index=models.Index(fields=["profile", "candidate"], name="suitable_profile_by_profile"),
        ),
    ]
