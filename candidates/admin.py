from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ViewOnly
from candidates.forms import CertificateDates
from candidates.models import Candidate, CandidateCertification, ConsentRecord, StatusChange


class CertificationLinkAdminForm(CertificateDates, forms.ModelForm):
    class Meta:
        model = CandidateCertification
        fields = ["certification", "obtained_on", "expires_on", "verified"]
        help_texts = {
            "obtained_on": _("For a renewed certificate, the date of its last renewal."),
            "expires_on": _(
                "Left empty, it is worked out from the validity of the certification, "
                "which a later date cannot go beyond."
            ),
        }


class CertificationInline(admin.TabularInline):
    """The candidate's certificates, their expiry worked out as on every other write path."""

    model = CandidateCertification
    form = CertificationLinkAdminForm
    extra = 0


class ConsentInline(ViewOnly, admin.TabularInline):
    """The consent log, to read: consents are given and withdrawn on the portal."""

    model = ConsentRecord
    fields = ["purpose", "granted", "notice_version", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class StatusHistoryInline(ViewOnly, admin.TabularInline):
    """The status history, to read: a status moves on the portal, which writes this line."""

    model = StatusChange
    fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The candidate's data. Status and consents are shown, not edited: they change through
    `candidates.services`, which records who changed them, when and why (StatusChange,
    ConsentRecord); the employability class, set by assessments, is not in the form at all."""

    list_display = ["last_name", "first_name", "centre", "status", "created_at"]
    list_filter = ["status", "centre"]
    list_select_related = ["centre"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["caseworker"]
    readonly_fields = [
        "status",
        "consent_programme",
        "consent_matching",
        "consent_share_profile",
        "consent_share_contacts",
    ]
    inlines = [CertificationInline, ConsentInline, StatusHistoryInline]

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for link in formset.forms:
            note = getattr(link, "expiry_note", None)
            if note and link not in formset.deleted_forms and (text := note()):
                self.message_user(request, text, messages.WARNING)
