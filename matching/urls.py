from django.urls import path

from matching.views import company, staff

app_name = "matching"

urlpatterns = [
    # Matching officers: ranking, comparison, shortlists, weights
    path("needs/<int:pk>/", staff.need_rank, name="need_rank"),
    path("needs/<int:pk>/explain/", staff.need_explain, name="need_explain"),
    path("needs/<int:pk>/compare/", staff.compare, name="compare"),
    path("shortlists/<int:pk>/", staff.shortlist_detail, name="shortlist_detail"),
    path("shortlists/<int:pk>/share/", staff.shortlist_share, name="shortlist_share"),
    path("entries/<int:pk>/move/", staff.entry_move, name="entry_move"),
    path("weights/", staff.weights_edit, name="weights"),
    path("how-it-works/", staff.ranking_rules, name="rules"),
    # Both: the shortlists a user may see; company HR: pseudonymised cards and feedback
    path("shortlists/", company.shortlist_list, name="shortlist_list"),
    path("shortlists/<int:pk>/cards/", company.shortlist_cards, name="shortlist_cards"),
    path("entries/", company.entry_list, name="entry_list"),
    path("entries/<int:pk>/feedback/", company.entry_feedback, name="entry_feedback"),
]
