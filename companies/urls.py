from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("mine/", views.company_mine, name="mine"),
    path("options/", views.company_options, name="company_options"),
    path("comuni/options/", views.comune_options, name="comune_options"),
    path("needs/workplaces/options/", views.workplace_options, name="workplace_options"),
    path("new/", views.company_create, name="create"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/edit/", views.company_update, name="update"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_update, name="campaign_update"),
    path("campaigns/<int:pk>/answer/", views.campaign_answer, name="campaign_answer"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("demand/", views.demand_overview, name="demand"),
    path("import/", views.company_import, name="import"),
    path("import/template/", views.company_import_template, name="import_template"),
]
