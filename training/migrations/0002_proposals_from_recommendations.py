"""The recommendations recruiters recorded before support actions existed become proposed
support actions, as `training.services.support_actions_from_assessment` makes them now."""

from django.db import migrations

# Recommendation kind -> (support action kind, obstacle kinds it addresses), as of this
# migration (training.services.FROM_RECOMMENDATION and SupportAction.ADDRESSES).
PROPOSALS = {
    "training": ("training", {"skills_gap"}),
    "language": ("italian_course", {"language"}),
    "transport": ("transport", {"transport", "no_licence"}),
    "care": ("care", {"care"}),
    "documents": ("documents", {"documents"}),
    "social": ("social_referral", {"other"}),
    "other": (
        "other",
        {
            "transport", "no_licence", "language", "care", "documents", "health", "housing",
            "digital", "skills_gap", "other",
        },
    ),
}  # fmt: skip


def propose_from_recommendations(apps, schema_editor):
    RecommendedAction = apps.get_model("interviews", "RecommendedAction")
    SupportAction = apps.get_model("training", "SupportAction")
    SupportActionEvent = apps.get_model("training", "SupportActionEvent")
    pending = RecommendedAction.objects.filter(support_action__isnull=True).select_related(
        "assessment__interview__candidate"
    )
    for recommendation in pending.iterator(chunk_size=500):
        assessment = recommendation.assessment
        candidate = assessment.interview.candidate
        kind, addresses = PROPOSALS[recommendation.kind]
        action = SupportAction.objects.create(
            candidate=candidate,
            kind=kind,
            owner_id=candidate.caseworker_id,
            partner_id=None if candidate.caseworker_id else candidate.centre_id,
            assessment=assessment,
            recommendation=recommendation,
            profile_id=recommendation.profile_id,
            certification_id=recommendation.certification_id,
            note=recommendation.note,
            status="proposed",
            created_by_id=assessment.recorded_by_id,
        )
        action.obstacles.set(assessment.obstacles.filter(kind__in=addresses))
        SupportActionEvent.objects.create(
            action=action, from_status="", to_status="proposed", actor_id=assessment.recorded_by_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_support_actions"),
        ("interviews", "0004_obstacle_resolved_on"),
    ]

    operations = [
        migrations.RunPython(propose_from_recommendations, migrations.RunPython.noop),
    ]
