from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import can, permission_required, require, scope
from accounts.models import User
from companies import selectors, services
from companies.forms import CompanyFilterForm, CompanyForm
from companies.models import Company


@permission_required("list", Company)
def company_list(request: HttpRequest) -> HttpResponse:
    filters = CompanyFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    companies = selectors.company_list(actor=request.user, **criteria)
    page = Paginator(companies, 25).get_page(request.GET.get("page"))
    return render(request, "companies/company_list.html", {"filters": filters, "page": page})


@permission_required("view_own", Company)
def company_mine(request: HttpRequest) -> HttpResponse:
    company = scope(request.user, Company).first()
    if company is None:
        raise Http404
    return redirect(company)


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(scope(request.user, Company).select_related("organisation"), pk=pk)
    require(request.user, "view", company)
    hr_users = User.objects.filter(organisation_id=company.organisation_id, is_active=True)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "hr_users": hr_users,
            "can_change": can(request.user, "change", company),
        },
    )


@permission_required("create", Company)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = services.company_register(**form.cleaned_data)
        messages.success(request, _("Company %(name)s registered.") % {"name": company.name})
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form})


def company_update(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(scope(request.user, Company).select_related("organisation"), pk=pk)
    require(request.user, "change", company)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        services.company_update(company=company, **form.cleaned_data)
        messages.success(request, _("Changes to %(name)s saved.") % {"name": company.name})
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": company})
