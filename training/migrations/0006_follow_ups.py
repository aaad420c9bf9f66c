"""Follow-up checks after a placement, and those of the hires recorded before they existed:
each hire in post with a start date gets its checks at 1, 3 and 6 months, as
`training.services.follow_ups_schedule` schedules them now."""

from calendar import monthrange

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _months_after(day, months):
    # As training.services.months_after at the time of this migration.
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def schedule_existing_hires(apps, schema_editor):
    Entry = apps.get_model("matching", "Entry")
    FollowUp = apps.get_model("training", "FollowUp")
    hires = Entry.objects.filter(
        status="hired", start_date__isnull=False, ended_on__isnull=True, follow_ups=None
    )
    FollowUp.objects.bulk_create(
        FollowUp(entry=entry, months=months, due_on=_months_after(entry.start_date, months))
        for entry in hires.only("pk", "start_date").iterator(chunk_size=500)
        for months in (1, 3, 6)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0003_entry_ended_on'),
        ('training', '0005_gap_analysis'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('months', models.PositiveSmallIntegerField(choices=[(1, '1 month'), (3, '3 months'), (6, '6 months')], verbose_name='check after')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('status', models.CharField(choices=[('pending', 'To do'), ('done', 'Done'), ('not_needed', 'Not needed')], default='pending', max_length=10, verbose_name='status')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                ('outcome', models.CharField(blank=True, choices=[('still_employed', 'Still employed, same contract'), ('extended', 'Contract extended'), ('permanent', 'Made permanent'), ('ended', 'The job ended')], max_length=14, verbose_name='outcome')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='the job ended on')),
                ('difficulties', models.TextField(blank=True, verbose_name='difficulties')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='matching.entry', verbose_name='placement')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'follow-up check',
                'verbose_name_plural': 'follow-up checks',
                'ordering': ['due_on', 'pk'],
                'indexes': [models.Index(fields=['status', 'due_on'], name='follow_up_by_due_date')],
                'constraints': [models.UniqueConstraint(fields=('entry', 'months'), name='follow_up_once_per_month'), models.CheckConstraint(condition=models.Q(('months__in', [1, 3, 6])), name='follow_up_months_valid'), models.CheckConstraint(condition=models.Q(models.Q(('done_on__isnull', True), ('outcome', ''), ('status', 'pending')), models.Q(('done_on__isnull', False), ('status', 'done'), models.Q(('outcome', ''), _negated=True)), models.Q(('done_on__isnull', False), ('outcome', ''), ('status', 'not_needed')), _connector='OR'), name='follow_up_outcome_when_done'), models.CheckConstraint(condition=models.Q(('outcome__in', ['', 'still_employed', 'extended', 'permanent', 'ended'])), name='follow_up_outcome_valid'), models.CheckConstraint(condition=models.Q(models.Q(('ended_on__isnull', False), ('outcome', 'ended')), models.Q(models.Q(('outcome', 'ended'), _negated=True), ('ended_on__isnull', True)), _connector='OR'), name='follow_up_end_date_when_ended', violation_error_message='Give the date the job ended, and only then.'), models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__lte', models.F('done_on')), _connector='OR'), name='follow_up_ended_by_the_check', violation_error_message='The job cannot end after the check that found it.')],
            },
        ),
        migrations.RunPython(schedule_existing_hires, migrations.RunPython.noop),
    ]
