from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from candidates.forms import CertificateDates
from candidates.models import Candidate, CandidateCertification


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


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "centre", "status", "created_at"]
    list_filter = ["status", "centre"]
    list_select_related = ["centre"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["caseworker"]
    inlines = [CertificationInline]

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for link in formset.forms:
            note = getattr(link, "expiry_note", None)
            if note and link not in formset.deleted_forms and (text := note()):
                self.message_user(request, text, messages.WARNING)
