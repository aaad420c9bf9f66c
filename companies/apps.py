from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import COMPANIES, NavItem


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")
    # Excel imports offered by `manage.py import_template` (see focus.spreadsheets).
    import_templates = {"companies": "companies.importing.SPECS"}
    import_kinds = {"needs": "companies.importing.BACKGROUND"}
    # What the audit trail follows (audit.registry).
    audited = ("companies.Company", "companies.Need")
    # Sections of the company's page (companies.panels): its needs first.
    company_panel = "companies.panels.company_needs"
    navigation = (
        NavItem(
            _("Survey campaigns"),
            "companies:campaign_list",
            "companies.SurveyCampaign",
            "list",
            "clipboard-data",
            order=22,
            group=COMPANIES,
        ),
        NavItem(
            _("Companies"),
            "companies:list",
            "companies.Company",
            "list",
            "building",
            order=20,
            group=COMPANIES,
        ),
        NavItem(
            _("My company"),
            "companies:mine",
            "companies.Company",
            "view_own",
            "building",
            order=20,
            group=COMPANIES,
        ),
        NavItem(
            _("Demand"),
            "companies:demand",
            "companies.Need",
            "demand",
            "bar-chart",
            order=21,
            group=COMPANIES,
        ),
        NavItem(
            _("Needs"),
            "companies:need_list",
            "companies.Need",
            "list",
            "list-check",
            order=23,
            group=COMPANIES,
        ),
    )
