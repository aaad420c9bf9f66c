"""The free-text "other languages" become CandidateLanguage rows (a language of the list and
its level); what cannot be read as such is kept, for staff, at the end of the notes."""

from django.db import migrations

from catalog.languages import languages_parse


def to_rows(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    CandidateLanguage = apps.get_model("candidates", "CandidateLanguage")
    rows = []
    for candidate in Candidate.objects.exclude(other_languages="").iterator(chunk_size=500):
        languages, unread = languages_parse(candidate.other_languages)
        rows.extend(
            CandidateLanguage(candidate_id=candidate.pk, language=code, level=level)
            for code, level in languages
        )
        if unread:
            note = "Altre lingue: " + ", ".join(unread)
            candidate.notes = f"{candidate.notes}\n{note}".strip()
            Candidate.objects.filter(pk=candidate.pk).update(notes=candidate.notes)
        if len(rows) >= 1000:
            CandidateLanguage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    CandidateLanguage.objects.bulk_create(rows, ignore_conflicts=True)


def to_text(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    CandidateLanguage = apps.get_model("candidates", "CandidateLanguage")
    texts: dict[int, list[str]] = {}
    for row in CandidateLanguage.objects.order_by("candidate_id", "language"):
        texts.setdefault(row.candidate_id, []).append(f"{row.language} {row.level}")
    for pk, parts in texts.items():
        Candidate.objects.filter(pk=pk).update(other_languages=", ".join(parts)[:200])


class Migration(migrations.Migration):
    dependencies = [("candidates", "0015_duplicate_review_merge")]

    operations = [
        migrations.RunPython(to_rows, to_text),
        migrations.RemoveField(model_name="candidate", name="other_languages"),
    ]
