import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0005_candidate_employability"),
        ("catalog", "0002_caps_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidatecertification",
            name="certification",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="candidate_links",
                to="catalog.certification",
                verbose_name="certification",
            ),
        ),
        migrations.AlterField(
            model_name="candidateskill",
            name="skill",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="candidate_links",
                to="catalog.skill",
            ),
        ),
        migrations.AlterField(
            model_name="experience",
            name="profile",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="experiences",
                to="catalog.jobprofile",
                verbose_name="profile",
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                condition=models.Q(
                    ("consent_matching", True),
                    models.Q(
                        ("status__in", ["draft", "placed", "suspended", "withdrawn"]),
                        _negated=True,
                    ),
                ),
                fields=["permit_expiry"],
                name="candidate_pool",
            ),
        ),
        migrations.AddIndex(
            model_name="candidatecertification",
            index=models.Index(
                fields=["certification", "candidate", "verified", "expires_on"],
                name="candidate_cert_by_cert",
            ),
        ),
        migrations.AddIndex(
            model_name="candidateskill",
            index=models.Index(
                fields=["skill", "candidate", "verified"], name="candidate_skill_by_skill"
            ),
        ),
        migrations.AddIndex(
            model_name="experience",
            index=models.Index(fields=["profile", "candidate"], name="experience_by_profile"),
        ),
    ]
