"""The programme office edits the catalogue: profiles, skills and certifications share one
set of views, each kind described once in KINDS."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, get_for, require, scope
from catalog.forms import CertificationForm, JobProfileForm, SkillForm
from catalog.models import Certification, JobProfile, Skill


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    form: type[forms.ModelForm]
    title: str
    singular: str
    url_prefix: str


KINDS = {
    "profile": Kind(
        JobProfile,
        JobProfileForm,
        gettext_lazy("Job profiles"),
        gettext_lazy("job profile"),
        "profile",
    ),
    "skill": Kind(Skill, SkillForm, gettext_lazy("Skills"), gettext_lazy("skill"), "skill"),
    "certification": Kind(
        Certification,
        CertificationForm,
        gettext_lazy("Certifications"),
        gettext_lazy("certification"),
        "certification",
    ),
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404
    return KINDS[name]


def entry_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    require(request.user, "list", spec.model)
    entries = scope(request.user, spec.model)
    if spec.model is JobProfile:
        entries = entries.select_related("family").prefetch_related("skills", "certifications")
    query = request.GET.get("q", "").strip()
    if query:
        entries = entries.filter(
            Q(name_it__icontains=query) | Q(name_en__icontains=query) | Q(code__icontains=query)
        )
    return render(
        request,
        f"catalog/{kind}_list.html",
        {
            "entries": entries,
            "kind": kind,
            "spec": spec,
            "kinds": KINDS,
            "query": query,
            "can_edit": can(request.user, "create", spec.model),
        },
    )


def entry_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    entry = None
    if pk is not None:
        entry = get_for(request.user, spec.model, pk, action="change")
    else:
        require(request.user, "create", spec.model)
    form = spec.form(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("“%(name)s” saved.") % {"name": saved})
        return redirect(f"catalog:{kind}_list")
    return render(
        request,
        "catalog/entry_form.html",
        {"form": form, "entry": entry, "kind": kind, "spec": spec},
    )
