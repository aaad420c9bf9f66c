from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")
    navigation = (
        NavItem(
            _("Survey campaigns"),
            "companies:campaign_list",
            "companies.SurveyCampaign",
            "list",
            "clipboard-data",
            order=22,
        ),
        NavItem(
            _("Companies"), "companies:list", "companies.Company", "list", "building", order=20
        ),
        NavItem(
            _("My company"), "companies:mine", "companies.Company", "view_own", "building", order=20
        ),
    )
