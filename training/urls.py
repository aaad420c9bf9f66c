from django.urls import path

from training import course_views as courses
from training import gap_views as gaps
from training import views

app_name = "training"

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_update, name="action_update"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("candidates/<int:candidate_pk>/actions/new/", views.action_create, name="action_create"),
    path("courses/", courses.course_list, name="course_list"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("courses/<int:pk>/", courses.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", courses.course_update, name="course_update"),
    path("courses/<int:pk>/move/", courses.course_move, name="course_move"),
    path("courses/<int:pk>/what-if/", courses.course_what_if, name="course_what_if"),
    path("courses/<int:pk>/sessions/", courses.session_add, name="session_add"),
    path(
        "courses/<int:pk>/sessions/<int:session_pk>/remove/",
        courses.session_remove,
        name="session_remove",
    ),
    path(
        "courses/<int:pk>/sessions/<int:session_pk>/attendance/",
        courses.attendance,
        name="attendance",
    ),
    path("courses/<int:pk>/interest/", courses.interest_mark, name="interest_mark"),
    path("enrolments/", courses.enrolment_list, name="enrolment_list"),
    path("enrolments/propose/", courses.enrolment_propose, name="enrolment_propose"),
    path("enrolments/<int:pk>/confirm/", courses.enrolment_confirm, name="enrolment_confirm"),
    path("enrolments/<int:pk>/drop/", courses.enrolment_drop, name="enrolment_drop"),
    path("offers/", courses.offer_list, name="offer_list"),
    path("offers/new/", courses.offer_create, name="offer_create"),
    path("offers/<int:pk>/decide/", courses.offer_decide, name="offer_decide"),
    path("gap/", gaps.gap, name="gap"),
    path("gap/analyse/", gaps.gap_analyse, name="gap_analyse"),
    path("gap/candidates/", gaps.gap_candidates, name="gap_candidates"),
    path("gap/transport/", gaps.transport_what_if, name="transport_what_if"),
    path("plan/", gaps.plan, name="plan"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/record/", views.follow_up_record, name="follow_up_record"),
]
