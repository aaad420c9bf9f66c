from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.access import can, get_for, permission_required, scope
from accounts.models import User
from catalog.models import Comune
from catalog.versions import StaleEdit, stale_refuse
from companies import importing, selectors, services
from companies.forms import (
    CampaignFilterForm,
    CompanyFilterForm,
    CompanyForm,
    DemandFilterForm,
    NeedFilterForm,
    NeedFormSet,
    SurveyCampaignForm,
)
from companies.models import Company, Need, SurveyCampaign
from companies.panels import company_panels
from focus.forms import form_submit, refusal_show
from focus.lists import InLanguage, Sorting, in_order, list_page
from focus.pickers import options_response
from focus.spreadsheets import WorkbookUploadForm, import_page, template_response
from imports.views import background_import

COMPANY_SORTING = Sorting(
    columns={
        "name": ("organisation__name",),
        "sector": (F("ateco__code").asc(nulls_last=True),),
        "comune": (F("comune__name").asc(nulls_last=True),),
        "size": (in_order("size", Company.Size.values),),
        "hr": ("hr_users",),
    },
    default="name",
    descending_first=frozenset({"hr"}),
)


@permission_required("list", Company)
def company_list(request: HttpRequest) -> HttpResponse:
    filters = CompanyFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    companies = selectors.company_list(actor=request.user, **criteria)
    listing = list_page(request, companies, per_page=25, sorting=COMPANY_SORTING)
    return render(
        request,
        "companies/company_list.html",
        {"filters": filters, "listing": listing, "page": listing.page},
    )


@permission_required("view_own", Company)
def company_mine(request: HttpRequest) -> HttpResponse:
    company = scope(request.user, Company).first()
    if company is None:
        raise Http404
    return redirect(company)


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_for(
        request.user,
        Company,
        pk,
        action="view",
        queryset=Company.objects.select_related("organisation", "ateco", "comune"),
    )
    hr_users = User.objects.filter(organisation_id=company.organisation_id, is_active=True)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "hr_users": hr_users,
            "can_change": can(request.user, "change", company),
            "panels": company_panels(request=request, company=company),
        },
    )


def _company_data(form: CompanyForm) -> dict:
    data = dict(form.cleaned_data)
    data["ateco"] = data.pop("ateco_code")
    del data["version"], data["opened"]
    return data


@permission_required("create", Company)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = form_submit(form, services.company_register, **_company_data(form))
        if company is not None:
            messages.success(request, _("Company %(name)s registered.") % {"name": company.name})
            return redirect(company)
    return render(request, "companies/company_form.html", {"form": form})


def company_update(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_for(
        request.user,
        Company,
        pk,
        action="change",
        queryset=Company.objects.select_related("organisation"),
    )
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(
                company=company, expected_version=form.expected_version, **_company_data(form)
            )
        except StaleEdit:
            fresh = get_for(request.user, Company, company.pk, action="change")
            stale_refuse(form, CompanyForm(instance=fresh))
        except ValidationError as refused:
            refusal_show(form, refused)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": company.name})
            return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": company})


# A campaign list opens on what users come for: the open campaign, then the newest.
CAMPAIGN_SORTING = Sorting(
    columns={
        "name": ("name",),
        "period": ("opens_on", "closes_on"),
        "status": (in_order("status", ["open", "draft", "closed"]), "-opens_on"),
        "companies": ("company_count",),
        "needs": ("need_count",),
        "people": (F("headcount").asc(nulls_first=True),),
    },
    default="status",
    descending_first=frozenset({"period", "companies", "needs", "people"}),
)


@permission_required("list", SurveyCampaign)
def campaign_list(request: HttpRequest) -> HttpResponse:
    filters = CampaignFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    campaigns = selectors.campaign_list(actor=request.user, **criteria)
    listing = list_page(
        request, campaigns, per_page=25, sorting=CAMPAIGN_SORTING, query=criteria.get("q", "")
    )
    return render(
        request,
        "companies/campaign_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "can_create": can(request.user, "create", SurveyCampaign),
            # How many companies answered, for those who see many companies.
            "show_companies": can(request.user, "list", Company),
        },
    )


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for(request.user, SurveyCampaign, pk, action="view")
    needs = scope(request.user, Need).filter(campaign=campaign).with_details()
    listing = list_page(request, needs, per_page=25, sorting=NEED_SORTING)
    return render(
        request,
        "companies/campaign_detail.html",
        {
            "campaign": campaign,
            "listing": listing,
            "page": listing.page,
            "summary": selectors.demand_figures(actor=request.user, campaign=campaign),
            "can_change": can(request.user, "change", campaign),
            "can_answer": can(request.user, "answer", campaign),
            # Whose each need is, for those who see many companies' needs.
            "show_companies": can(request.user, "list", Company),
        },
    )


@permission_required("create", SurveyCampaign)
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = SurveyCampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form_submit(form, services.campaign_create, **form.cleaned_data)
        if campaign is not None:
            messages.success(request, _("Campaign %(name)s created.") % {"name": campaign})
            return redirect(campaign)
    return render(request, "companies/campaign_form.html", {"form": form})


def campaign_update(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for(request.user, SurveyCampaign, pk, action="change")
    form = SurveyCampaignForm(request.POST or None, instance=campaign)
    if (
        request.method == "POST"
        and form.is_valid()
        and form_submit(form, services.campaign_update, campaign=campaign, **form.cleaned_data)
    ):
        messages.success(request, _("Changes to %(name)s saved.") % {"name": campaign})
        return redirect(campaign)
    return render(request, "companies/campaign_form.html", {"form": form, "campaign": campaign})


def campaign_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Company HR fill in their needs for an open campaign, several at once, in one form."""
    campaign = get_for(request.user, SurveyCampaign, pk, action="answer")
    company = get_object_or_404(scope(request.user, Company))
    formset = NeedFormSet(
        request.POST or None, queryset=_answer_needs(company, campaign), prefix="needs"
    )
    if request.method == "POST" and formset.is_valid():
        kept = [form for form in formset.forms if _keeps(formset, form)]
        try:
            services.campaign_answer_save(
                company=company,
                campaign=campaign,
                needs=[(form.instance if form.instance.pk else None, _said(form)) for form in kept],
                removed=[form.instance for form in formset.deleted_forms if form.instance.pk],
                expected_versions=formset.expected_versions(),
            )
        except StaleEdit:
            formset.refuse(_answer_needs(company, campaign))
        except services.AnswerRefused as refused:
            for index, problem in refused.problems.items():
                refusal_show(kept[index], problem)  # on its card, where it was typed
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))  # what was typed stays
        else:
            messages.success(request, _("Your needs for %(name)s are saved.") % {"name": campaign})
            return redirect(campaign)
    return render(
        request,
        "companies/campaign_answer.html",
        {"campaign": campaign, "company": company, "formset": formset},
    )


def _answer_needs(company: Company, campaign: SurveyCampaign):
    return Need.objects.filter(company=company, campaign=campaign).prefetch_related(
        "skill_requirements", "certification_requirements"
    )


def _keeps(formset, form) -> bool:
    """Whether the card is saved: a need left as it was is not written again (nor its
    version raised, which would make a colleague's open page out of date for nothing)."""
    return bool(form.cleaned_data) and not formset._should_delete_form(form) and form.has_changed()


def _said(form) -> dict:
    """What a card says of its need, for `campaign_answer_save`."""
    names = (*services.NEED_FIELDS, *services.REQUIREMENT_FIELDS)
    return {name: form.cleaned_data[name] for name in names}


NEED_SORTING = Sorting(
    columns={
        "company": ("company__organisation__name", InLanguage("profile__name")),
        "profile": (InLanguage("profile__name"), "company__organisation__name"),
        "people": ("headcount",),
        "workplace": ("workplace__name",),
        "start": (F("start_date").asc(nulls_last=True),),
        "status": (in_order("status", Need.Status.values),),
        "campaign": ("-campaign__opens_on", "campaign__name"),
    },
    default="company",
    descending_first=frozenset({"people"}),
)


@permission_required("list", Need)
def need_list(request: HttpRequest) -> HttpResponse:
    if not request.GET and (campaign := selectors.newest_open_campaign()) is not None:
        # What the page means at first: the open campaign, in the address, so that its pages
        # and sorting keep it; "all campaigns" is one choice away.
        return redirect(f"{request.path}?{urlencode({'campaign': campaign.pk})}")
    filters = NeedFilterForm(request.GET or None, user=request.user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    needs = selectors.need_list(actor=request.user, **criteria)
    listing = list_page(request, needs, per_page=25, sorting=NEED_SORTING)
    # The people the listed needs ask for: the dashboards' "people needed" links here.
    people = needs.aggregate(people=Sum("headcount"))["people"] or 0
    return render(
        request,
        "companies/need_list.html",
        {"filters": filters, "listing": listing, "page": listing.page, "people": people},
    )


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_for(request.user, Need, pk, action="view", queryset=Need.objects.with_details())
    return render(request, "companies/need_detail.html", {"need": need})


@permission_required("demand", Need)
def demand_overview(request: HttpRequest) -> HttpResponse:
    filters = DemandFilterForm(request.GET or None, user=request.user)
    campaign = filters.cleaned_data["campaign"] if filters.is_valid() else None
    overview = selectors.demand_overview(actor=request.user, campaign=campaign)
    return render(
        request, "companies/demand_overview.html", {"filters": filters, "overview": overview}
    )


@permission_required("import", Company)
def company_import(request: HttpRequest) -> HttpResponse:
    """Staff upload the survey's workbook: all of it is imported, or the problems are listed.
    A file refused as a whole answers with its status (ImportRefused.status)."""
    return import_page(
        request,
        form=WorkbookUploadForm(request.POST or None, request.FILES or None),
        run=lambda data: importing.import_companies(data["file"], dry_run=data["dry_run"]),
        template="companies/company_import.html",
        again_url=reverse("companies:import"),
        done_url=reverse("companies:list"),
        template_url=reverse("companies:import_template"),
        queue=lambda data: background_import(request, kind="needs", data=data, params={}),
    )


@permission_required("import", Company)
def company_import_template(request: HttpRequest) -> FileResponse:
    return template_response(importing.SPECS, "focus-aziende-fabbisogni.xlsx")


@permission_required("list", Company)
def comune_options(request: HttpRequest) -> JsonResponse:
    """The comuni the company list's filter offers for what was typed (focus.pickers): those
    where some company the user may see is."""
    return options_response(
        request,
        selectors.company_comuni(scope(request.user, Company)).order_by("name", "pk"),
        search=["name"],
    )


@permission_required("list", Need)
def workplace_options(request: HttpRequest) -> JsonResponse:
    """The workplaces the need list's filter offers for what was typed (focus.pickers): the
    comuni of the programme's provinces, as the filter accepts."""
    return options_response(request, Comune.objects.local().order_by("name", "pk"), search=["name"])


@permission_required("list", Company)
def company_options(request: HttpRequest) -> JsonResponse:
    """The companies a picker offers for what was typed (focus.pickers), among those the
    user may see."""
    return options_response(
        request,
        scope(request.user, Company).select_related("organisation").order_by("organisation__name"),
        search=["organisation__name", "partita_iva"],
    )
