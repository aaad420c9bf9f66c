from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.admin_site import ViewOnly
from accounts.models import User
from candidates import services
from candidates.forms import (
    CandidateForm,
    CertificateDates,
    certificate_problem_show,
    formset_kept,
)
from candidates.models import Candidate, CandidateCertification, ConsentRecord, StatusChange
from candidates.validators import normalise_codice_fiscale


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


class CertificationAdminFormSet(forms.BaseInlineFormSet):
    """The certificates' dates are checked as the services check them, on their rows."""

    def clean(self) -> None:
        super().clean()
        problems = services.certificates_problems(formset_kept(self))
        for error in problems.get("certifications", ()):
            certificate_problem_show(self, error)


class CertificationInline(admin.TabularInline):
    """The candidate's certificates, saved with it through the services, which work their
    expiry out as on every other write path."""

    model = CandidateCertification
    form = CertificationLinkAdminForm
    formset = CertificationAdminFormSet
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


class CandidateAdminForm(forms.ModelForm):
    """The admin site's candidate form: what the services would refuse of the save
    (`candidates.services.candidate_problems`: a registered candidate stays complete, with
    the consent to the programme; the comune, the codice fiscale, the possible duplicates)
    is said on it, by field, before anything is written."""

    confirm_duplicates = CandidateForm.base_fields["confirm_duplicates"]
    actor: User | None = None  # who edits (CandidateAdmin.get_form)

    def clean_codice_fiscale(self) -> str:
        return normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return  # what is wrong with the fields is said first
        problems = services.candidate_problems(
            candidate=self.instance,
            actor=self.actor,
            register=self.instance.status != Candidate.Status.DRAFT,
            confirm_duplicates=self.cleaned_data.get("confirm_duplicates", False),
        )
        for field, errors in problems.items():
            self.add_error(field if field in self.fields else None, errors)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The candidate's data, saved through `candidates.services` as on every other way in.
    Status and consents are shown, not edited: they change through the services, which
    record who changed them, when and why (StatusChange, ConsentRecord); the employability
    class, set by assessments, is not in the form at all. A candidate added here is a
    draft."""

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
    form = CandidateAdminForm

    def has_change_permission(self, request, obj=None) -> bool:
        # As on the portal (Candidate.permits): an erased person's record is only read.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, "change", obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change) -> None:
        """Nothing yet: `save_related` saves the candidate with its certificates."""

    def save_related(self, request, form, formsets, change) -> None:
        certificates = next(f for f in formsets if f.model is CandidateCertification)
        certificates.save(commit=False)  # writes nothing; notes what changed, for the log
        write = services.candidate_update if change else services.candidate_register
        write(
            candidate=form.instance,
            actor=request.user,
            register=form.instance.status != Candidate.Status.DRAFT,
            certifications=formset_kept(certificates),
            confirm_duplicates=form.cleaned_data.get("confirm_duplicates", False),
        )
        for formset in formsets:
            if formset is not certificates:
                formset.save()  # rows to read only: nothing to write
        for link in certificates.forms:
            if link.instance in formset_kept(certificates) and (note := link.expiry_note()):
                self.message_user(request, note, messages.WARNING)
