from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_update, name="action_update"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("candidates/<int:candidate_pk>/actions/new/", views.action_create, name="action_create"),
]
