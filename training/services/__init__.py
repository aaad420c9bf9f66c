"""Writes of the training app, one module per part: support actions, courses, the gap
analysis, follow-up checks. Everything a caller uses is importable from here."""

from training.services.actions import (  # noqa: F401
    FROM_RECOMMENDATION,
    UPDATABLE,
    funding_channels_load,
    support_action_move,
    support_action_propose,
    support_action_update,
    support_actions_from_assessment,
)
from training.services.courses import (  # noqa: F401
    ENROLLABLE,
    attendance_record,
    course_end,
    course_move,
    course_offer_decide,
    course_offer_make,
    course_save,
    course_session_add,
    course_session_remove,
    enrolment_confirm,
    enrolment_drop,
    enrolment_problems,
    enrolment_propose,
    enrolments_stop,
    graduate_interest_mark,
)
from training.services.follow_ups import (  # noqa: F401
    CLOSED,
    RECORDED,
    follow_up_check_pending,
    follow_up_record,
    follow_ups_schedule,
    months_after,
)
from training.services.gap import (  # noqa: F401
    ANALYSES_KEPT,
    gap_analyse,
    gap_analyses_refresh,
    gap_analysis_request,
)
