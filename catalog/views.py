"""The programme office edits the catalogue: profiles, skills and certifications share one
set of views, each kind described once in KINDS."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import models
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, get_for, require
from catalog import selectors, services
from catalog.forms import CertificationForm, JobProfileForm, SkillForm
from catalog.models import Certification, JobProfile, Skill
from focus.forms import form_submit
from focus.lists import Column, InLanguage, Sorting, list_page, search_text


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    form: type[forms.ModelForm]
    title: str
    singular: str
    url_prefix: str
    save: Callable[..., models.Model]  # the service, given the entry by the kind's name


KINDS = {
    "profile": Kind(
        JobProfile,
        JobProfileForm,
        gettext_lazy("Job profiles"),
        gettext_lazy("job profile"),
        "profile",
        services.profile_save,
    ),
    "skill": Kind(
        Skill,
        SkillForm,
        gettext_lazy("Skills"),
        gettext_lazy("skill"),
        "skill",
        services.skill_save,
    ),
    "certification": Kind(
        Certification,
        CertificationForm,
        gettext_lazy("Certifications"),
        gettext_lazy("certification"),
        "certification",
        services.certification_save,
    ),
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404
    return KINDS[name]


# What each kind's list shows (catalog/<kind>_row.html draws a row's cells) and sorts by.
LISTS = {
    "profile": (
        (
            Column(gettext_lazy("Profile"), "name"),
            Column("ISCO-08", "isco"),
            Column("CP2021", "cp2021"),
            Column(gettext_lazy("Family"), "family"),
            Column(gettext_lazy("Typical skills and certifications")),
        ),
        Sorting(
            columns={
                "name": (InLanguage("name"),),
                "isco": ("isco_codes",),
                "cp2021": ("cp2021_codes",),
                "family": (InLanguage("family__name"), InLanguage("name")),
            },
            default="name",
        ),
    ),
    "skill": (
        (
            Column(gettext_lazy("Italian name"), "name_it"),
            Column(gettext_lazy("English name"), "name_en"),
            Column(gettext_lazy("Code"), "code"),
        ),
        Sorting(
            columns={"name_it": ("name_it",), "name_en": ("name_en",), "code": ("code",)},
            default="name_it",
        ),
    ),
    "certification": (
        (
            Column(gettext_lazy("Certification"), "name"),
            Column(gettext_lazy("Validity"), "validity"),
            Column(gettext_lazy("Reference")),
        ),
        Sorting(
            columns={
                "name": (InLanguage("name"),),
                "validity": (F("validity_years").asc(nulls_last=True), InLanguage("name")),
            },
            default="name",
        ),
    ),
}


def entry_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    require(request.user, "list", spec.model)
    query = search_text(request)
    entries = selectors.entry_list(actor=request.user, model=spec.model, q=query)
    columns, sorting = LISTS[kind]
    listing = list_page(request, entries, per_page=50, sorting=sorting, query=query)
    return render(
        request,
        "catalog/entry_list.html",
        {
            "listing": listing,
            "page": listing.page,
            "columns": listing.header_cells(columns),
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
        saved = form_submit(form, spec.save, **{kind: entry}, **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved})
            return redirect(f"catalog:{kind}_list")
    return render(
        request,
        "catalog/entry_form.html",
        {"form": form, "entry": entry, "kind": kind, "spec": spec},
    )
