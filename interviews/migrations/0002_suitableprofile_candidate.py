import django.db.models.deletion
from django.db import migrations, models


def copy_candidates(apps, schema_editor):
    SuitableProfile = apps.get_model("interviews", "SuitableProfile")
    Interview = apps.get_model("interviews", "Interview")
    SuitableProfile.objects.update(
        candidate=models.Subquery(
            Interview.objects.filter(assessment=models.OuterRef("assessment")).values(
                "candidate"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0006_ranking_indexes"),
        ("interviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="suitableprofile",
            name="candidate",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="candidates.candidate",
            ),
        ),
        migrations.RunPython(copy_candidates, migrations.RunPython.noop),
    ]
