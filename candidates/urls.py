from django.urls import path

from candidates import rights_views, views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("comuni/options/", views.comune_options, name="comune_options"),
    path("import/", views.candidate_import, name="import"),
    path("import/template/", views.candidate_import_template, name="import_template"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_update, name="update"),
    path("<int:pk>/status/", views.candidate_set_status, name="set_status"),
    path("<int:pk>/consent/", views.candidate_set_consent, name="set_consent"),
    path(
        "<int:pk>/consent/withdraw/",
        views.candidate_consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/data/", rights_views.candidate_data, name="data"),
    path("<int:pk>/data/xlsx/", rights_views.candidate_data_workbook, name="data_workbook"),
    path("<int:pk>/data/json/", rights_views.candidate_data_json, name="data_json"),
    path("<int:pk>/erase/", rights_views.candidate_erase, name="erase"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/<int:pk>/", views.duplicate_review, name="duplicate_review"),
]
