from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, CandidateCertification
from documents.files import EXTENSIONS
from documents.models import Document

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join([*EXTENSIONS, ".jpeg", *EXTENSIONS.values()])


class DocumentUploadForm(forms.Form):
    """A document for a candidate: the file, its kind and, for a certificate, the certification
    of theirs it proves. What the file is and how large it may be is the service's to say
    (`documents.services.document_upload`)."""

    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    certification = forms.ChoiceField(
        label=_("Certificate of"),
        required=False,
        help_text=_("For a certificate: which of the candidate's certifications it proves."),
    )

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        # The candidate page has them already (candidates.selectors.candidate_detail).
        self.links = {str(link.pk): link for link in candidate.certification_links.all()}
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG or WebP, at most %(limit)s. Scans of several pages: one PDF."
        ) % {"limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
        if self.links:
            self.fields["certification"].choices = [
                ("", "—"),
                *((pk, str(link)) for pk, link in self.links.items()),
            ]
        else:
            del self.fields["certification"]

    def clean_certification(self) -> CandidateCertification | None:
        # One of the choices, or none (the field offers the candidate's only).
        return self.links.get(self.cleaned_data["certification"])


class DocumentVerifyForm(forms.Form):
    """The dates a certificate shows, read on its document."""

    obtained_on = forms.DateField(
        label=_("Obtained on"),
        required=False,
        widget=DATE,
        help_text=_("As the document shows it; empty: the date recorded stays."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_(
            "As the document shows it; empty: the end of the certification's validity, if it "
            "has one."
        ),
    )
