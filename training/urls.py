from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_update, name="action_update"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("candidates/<int:candidate_pk>/actions/new/", views.action_create, name="action_create"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/record/", views.follow_up_record, name="follow_up_record"),
]
