"""The whole access policy in one table: every URL of the portal, for every role.

A new URL fails `test_every_url_is_in_the_policy_table` until its row is written here, so
the policy can always be read in one place. 404 means "outside your scope" (the object
exists but belongs to someone else), 403 "your role may not do this".
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.access import can
from candidates.models import Candidate, DuplicateReview
from catalog.models import Certification, JobProfile, Skill
from documents.services import document_upload
from imports.models import ImportJob
from matching.models import CompanyInterview, Entry, Shortlist, entry_steps
from matching.services import entry_move, shortlist_add, shortlist_share
from notifications.models import Notification
from reports.models import ExportRecord
from tests.factories import (
    CandidateFactory,
    InterviewFactory,
    NeedFactory,
    SurveyCampaignFactory,
    TrancheFactory,
    UserFactory,
)
from training.models import Course
from training.services import (
    course_move,
    course_offer_make,
    course_save,
    course_session_add,
    enrolment_propose,
    follow_ups_schedule,
    support_action_propose,
)

ROLES = ["anonymous", "admin", "staff", "recruiter", "caseworker", "company_hr"]

# (method, url name, object key for the URL argument) -> status for each role, in ROLES order.
# 302 for anonymous is the redirect to the login page.
POLICY = {
    ("get", "reports:home", None): [302, 200, 200, 200, 200, 200],
    # The dashboard: the programme's figures for its people, a centre's own candidates for a
    # caseworker, the company's own needs and shortlists for company HR; recruiters have none.
    ("get", "reports:dashboard", None): [302, 200, 200, 403, 200, 200],
    # The programme workbook: the office's people only. An empty POST is a valid request for
    # the pseudonymised workbook (302, to the export's page). An export's page and file are
    # for the person who asked alone (staff here): anybody else's is not found.
    ("get", "reports:export", None): [302, 200, 200, 403, 403, 403],
    ("post", "reports:export", None): [302, 302, 302, 403, 403, 403],
    ("get", "reports:export_mine", None): [302, 200, 200, 403, 403, 403],
    ("get", "reports:export_detail", "export"): [302, 404, 200, 404, 404, 404],
    # Background imports: each user's own list; a job only to whoever started it.
    ("get", "imports:job_list", None): [302, 200, 200, 200, 200, 200],
    ("get", "imports:job_detail", "import_job"): [302, 404, 404, 404, 200, 404],
    # (its progress is a fragment for the page's polling: opened as a page, the job's page)
    ("get", "imports:job_progress", "import_job"): [302, 404, 404, 404, 302, 404],
    ("get", "reports:export_download", "export"): [302, 404, 200, 404, 404, 404],
    # Who exported what, and why: the programme office's administrator audits it.
    ("get", "reports:export_log", None): [302, 200, 403, 403, 403, 403],
    # The audit trail, and its export: the programme office's administrator reads it.
    ("get", "audit:event_list", None): [302, 200, 403, 403, 403, 403],
    ("get", "audit:event_export", None): [302, 200, 403, 403, 403, 403],
    ("get", "healthz", None): [200, 200, 200, 200, 200, 200],
    # The privacy notice (the current version and each published one) and the rights page are
    # public: candidates have no login.
    ("get", "privacy:notice", None): [200, 200, 200, 200, 200, 200],
    ("get", "privacy:notice_version", "notice_version"): [200, 200, 200, 200, 200, 200],
    ("get", "privacy:rights", None): [200, 200, 200, 200, 200, 200],
    # The accessibility statement is public too: it says how to reach the programme office.
    ("get", "accessibility:statement", None): [200, 200, 200, 200, 200, 200],
    ("post", "set_language", None): [302, 302, 302, 302, 302, 302],
    ("get", "accounts:login", None): [200, 302, 302, 302, 302, 302],
    ("post", "accounts:logout", None): [302, 302, 302, 302, 302, 302],
    ("get", "accounts:password_change", None): [302, 200, 200, 200, 200, 200],
    ("get", "accounts:password_change_done", None): [302, 200, 200, 200, 200, 200],
    ("get", "accounts:password_reset", None): [200, 200, 200, 200, 200, 200],
    ("get", "accounts:password_reset_done", None): [200, 200, 200, 200, 200, 200],
    ("get", "accounts:password_reset_confirm", "reset"): [200, 200, 200, 200, 200, 200],
    ("get", "accounts:password_reset_complete", None): [200, 200, 200, 200, 200, 200],
    ("get", "accounts:user_list", None): [302, 200, 403, 403, 403, 403],
    ("get", "accounts:user_create", None): [302, 200, 403, 403, 403, 403],
    ("get", "accounts:user_update", "user"): [302, 200, 404, 404, 404, 404],
    ("get", "accounts:user_update", "self"): [302, 200, 403, 403, 403, 403],
    ("post", "accounts:user_invite", "user"): [302, 302, 404, 404, 404, 404],
    ("post", "accounts:user_set_active", "user"): [302, 302, 404, 404, 404, 404],
    # The second factor. Everyone has an account page. The personas of the roles that require
    # one have passed it (see the `login` fixture): asking for a code again, or setting up
    # another app, sends them on (302); caseworkers and company HR have none, so they may set
    # one up (200), have nothing to verify (302) and no backup codes to renew (302). Only the
    # administrator resets someone's second factor.
    ("get", "accounts:account", None): [302, 200, 200, 200, 200, 200],
    ("get", "accounts:second_factor_verify", None): [302, 302, 302, 302, 302, 302],
    ("get", "accounts:second_factor_enrol", None): [302, 302, 302, 302, 200, 200],
    ("post", "accounts:backup_codes_regenerate", None): [302, 200, 200, 200, 302, 302],
    ("post", "accounts:user_second_factor_reset", "user"): [302, 302, 404, 404, 404, 404],
    # Failed-login locks: the administrator sees and lifts them. "Stay logged in" answers 204.
    ("get", "accounts:lockout_list", None): [302, 200, 403, 403, 403, 403],
    ("post", "accounts:lockout_lift", "lockout"): [302, 302, 403, 403, 403, 403],
    ("post", "accounts:session_keepalive", None): [302, 204, 204, 204, 204, 204],
    ("get", "accounts:organisation_list", None): [302, 200, 403, 403, 403, 403],
    ("get", "accounts:organisation_options", None): [302, 200, 403, 403, 403, 403],
    ("get", "accounts:organisation_create", None): [302, 200, 403, 403, 403, 403],
    ("get", "accounts:organisation_update", "centre"): [302, 200, 404, 404, 403, 404],
    ("get", "companies:list", None): [302, 200, 200, 403, 403, 403],
    # A picker's options (focus.pickers) follow the list they are drawn from.
    ("get", "companies:company_options", None): [302, 200, 200, 403, 403, 403],
    ("get", "companies:comune_options", None): [302, 200, 200, 403, 403, 403],
    ("get", "companies:create", None): [302, 200, 200, 403, 403, 403],
    ("get", "companies:mine", None): [302, 403, 403, 403, 403, 302],
    ("get", "companies:detail", "company"): [302, 200, 200, 404, 404, 200],
    ("get", "companies:detail", "other_company"): [302, 200, 200, 404, 404, 404],
    ("get", "companies:update", "company"): [302, 200, 200, 404, 404, 200],
    ("get", "companies:update", "other_company"): [302, 200, 200, 404, 404, 404],
    ("get", "companies:import", None): [302, 200, 200, 403, 403, 403],
    ("get", "companies:import_template", None): [302, 200, 200, 403, 403, 403],
    ("get", "catalog:profile_list", None): [302, 200, 200, 403, 403, 403],
    ("get", "catalog:profile_create", None): [302, 200, 403, 403, 403, 403],
    ("get", "catalog:profile_update", "profile"): [302, 200, 403, 403, 403, 403],
    ("get", "catalog:skill_list", None): [302, 200, 200, 403, 403, 403],
    ("get", "catalog:skill_create", None): [302, 200, 403, 403, 403, 403],
    ("get", "catalog:skill_update", "skill"): [302, 200, 403, 403, 403, 403],
    ("get", "catalog:certification_list", None): [302, 200, 200, 403, 403, 403],
    ("get", "catalog:certification_create", None): [302, 200, 403, 403, 403, 403],
    ("get", "catalog:certification_update", "certification"): [302, 200, 403, 403, 403, 403],
    ("get", "companies:campaign_list", None): [302, 200, 200, 403, 403, 200],
    ("get", "companies:campaign_create", None): [302, 200, 200, 403, 403, 403],
    ("get", "companies:campaign_detail", "campaign"): [302, 200, 200, 404, 404, 200],
    ("get", "companies:campaign_update", "campaign"): [302, 200, 200, 404, 404, 403],
    ("get", "companies:campaign_answer", "campaign"): [302, 403, 403, 404, 404, 200],
    ("get", "companies:campaign_answer", "closed_campaign"): [302, 403, 403, 404, 404, 403],
    ("get", "candidates:list", None): [302, 200, 200, 200, 200, 403],
    ("get", "candidates:comune_options", None): [302, 200, 200, 200, 200, 403],
    # The portal's search: every role finds something it may list (company HR their needs and
    # the codes of their shortlists), each within its own scope.
    ("get", "search:results", None): [302, 200, 200, 200, 200, 200],
    # Notifications: everyone has their own, and opens no one else's; what is due (the
    # reminders), the programme office's.
    ("get", "notifications:list", None): [302, 200, 200, 200, 200, 200],
    ("get", "notifications:open", "notification"): [302, 404, 404, 404, 302, 404],
    ("post", "notifications:mark_read", None): [302, 302, 302, 302, 302, 302],
    ("get", "notifications:preferences", None): [302, 200, 200, 200, 200, 200],
    ("get", "notifications:due", None): [302, 200, 200, 403, 403, 403],
    ("get", "candidates:create", None): [302, 200, 200, 403, 200, 403],
    ("get", "candidates:import", None): [302, 200, 200, 403, 200, 403],
    ("get", "candidates:import_template", None): [302, 200, 200, 403, 200, 403],
    ("get", "candidates:duplicate_list", None): [302, 200, 200, 403, 403, 403],
    ("get", "candidates:duplicate_review", "duplicate_review"): [302, 200, 200, 404, 404, 404],
    ("get", "candidates:update", "candidate"): [302, 200, 200, 403, 200, 404],
    ("get", "candidates:update", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("post", "candidates:set_status", "candidate"): [302, 302, 302, 403, 302, 404],
    ("post", "candidates:set_status", "other_candidate"): [302, 302, 302, 404, 404, 404],
    ("post", "candidates:set_consent", "candidate"): [302, 302, 302, 403, 302, 404],
    ("post", "candidates:set_consent", "other_candidate"): [302, 302, 302, 404, 404, 404],
    ("get", "candidates:consent_withdraw", "candidate"): [302, 200, 200, 403, 200, 404],
    ("get", "candidates:consent_withdraw", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("get", "candidates:detail", "candidate"): [302, 200, 200, 200, 200, 404],
    ("get", "candidates:detail", "other_candidate"): [302, 200, 200, 404, 404, 404],
    # The data subject's rights are the programme office's: everything held about the person
    # (summary page, workbook, JSON), and the erasure (without the confirmation ticked it
    # answers with a message and erases nothing: 302).
    ("get", "candidates:data", "candidate"): [302, 200, 200, 403, 403, 404],
    ("get", "candidates:data", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("get", "candidates:data_workbook", "candidate"): [302, 200, 200, 403, 403, 404],
    ("get", "candidates:data_workbook", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("get", "candidates:data_json", "candidate"): [302, 200, 200, 403, 403, 404],
    ("get", "candidates:data_json", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("post", "candidates:erase", "candidate"): [302, 302, 302, 403, 403, 404],
    ("post", "candidates:erase", "other_candidate"): [302, 302, 302, 404, 404, 404],
    ("get", "interviews:agenda", None): [302, 403, 403, 200, 403, 403],
    ("get", "interviews:interview_list", None): [302, 200, 200, 200, 403, 403],
    ("get", "interviews:interview_detail", "interview"): [302, 200, 200, 200, 200, 404],
    ("get", "interviews:interview_detail", "other_interview"): [302, 200, 200, 404, 404, 404],
    ("get", "interviews:interview_assess", "interview"): [302, 200, 200, 200, 403, 404],
    ("get", "interviews:interview_assess", "other_interview"): [302, 200, 200, 404, 404, 404],
    ("post", "interviews:interview_set_status", "interview"): [302, 302, 302, 302, 403, 404],
    ("get", "interviews:tranche_list", None): [302, 200, 200, 403, 403, 403],
    ("get", "interviews:tranche_create", None): [302, 200, 200, 403, 403, 403],
    ("get", "interviews:tranche_detail", "tranche"): [302, 200, 200, 403, 404, 404],
    ("get", "interviews:tranche_update", "tranche"): [302, 200, 200, 403, 404, 404],
    ("get", "interviews:tranche_candidate_options", "tranche"): [302, 200, 200, 403, 404, 404],
    # The needs list opens on the open campaign: a bare address is sent on to it (302).
    ("get", "companies:need_list", None): [302, 302, 302, 403, 403, 302],
    ("get", "companies:workplace_options", None): [302, 200, 200, 403, 403, 200],
    ("get", "companies:need_detail", "need"): [302, 200, 200, 404, 404, 200],
    ("get", "companies:need_detail", "other_need"): [302, 200, 200, 404, 404, 404],
    ("get", "companies:demand", None): [302, 200, 200, 403, 403, 403],
    # Matching officers' pages: company HR see their own need and shared shortlist (403), the
    # others nothing of them (404).
    ("get", "matching:need_rank", "need"): [302, 200, 200, 404, 404, 403],
    ("get", "matching:need_rank", "other_need"): [302, 200, 200, 404, 404, 404],
    ("get", "matching:need_explain", "need"): [302, 200, 200, 404, 404, 403],
    ("get", "matching:compare", "need"): [302, 200, 200, 404, 404, 403],
    ("get", "matching:shortlist_detail", "shortlist"): [302, 200, 200, 404, 404, 403],
    ("post", "matching:shortlist_share", "shortlist"): [302, 302, 302, 404, 404, 403],
    ("post", "matching:entry_move", "entry"): [302, 302, 302, 404, 404, 403],
    ("get", "matching:weights", None): [302, 200, 200, 403, 403, 403],
    ("get", "matching:rules", None): [302, 200, 200, 403, 403, 403],
    # Company HR's pages: the shortlists shared with their company, as pseudonymised cards
    # (staff see them too, as "the company's view"). Feedback is the company's move: staff
    # move entries on their own page (403 here); an empty form answers with a message (302).
    ("get", "matching:shortlist_list", None): [302, 200, 200, 403, 403, 200],
    # The shortlisted candidates across shortlists: company HR read their own by code.
    ("get", "matching:entry_list", None): [302, 200, 200, 403, 403, 200],
    ("get", "matching:shortlist_cards", "shortlist"): [302, 200, 200, 404, 404, 200],
    ("get", "matching:shortlist_cards", "other_shortlist"): [302, 200, 200, 404, 404, 404],
    ("get", "matching:shortlist_cards", "unshared_shortlist"): [302, 200, 200, 404, 404, 404],
    ("post", "matching:entry_feedback", "entry"): [302, 403, 403, 404, 404, 302],
    ("post", "matching:entry_feedback", "other_entry"): [302, 403, 403, 404, 404, 404],
    # Support actions: staff all, caseworkers their centre's, recruiters those of the people
    # they interview (they propose, never move them); company HR nothing of anybody's support.
    # An empty move answers with a message (302).
    ("get", "training:action_list", None): [302, 200, 200, 200, 200, 403],
    ("get", "training:action_detail", "action"): [302, 200, 200, 200, 200, 404],
    ("get", "training:action_detail", "other_action"): [302, 200, 200, 404, 404, 404],
    ("get", "training:action_update", "action"): [302, 200, 200, 403, 200, 404],
    ("get", "training:action_update", "other_action"): [302, 200, 200, 404, 404, 404],
    ("post", "training:action_move", "action"): [302, 302, 302, 403, 302, 404],
    ("post", "training:action_move", "other_action"): [302, 302, 302, 404, 404, 404],
    ("get", "training:action_create", "candidate"): [302, 200, 200, 200, 200, 404],
    ("get", "training:action_create", "other_candidate"): [302, 200, 200, 404, 404, 404],
    # Courses: staff run them; recruiters and caseworkers see them and propose their own
    # candidates; company HR see those their company hosts (and those still being planned),
    # with enrolments as codes, offer what they can and mark interest in the graduates.
    # Empty forms answer with a message (302).
    ("get", "training:course_list", None): [302, 200, 200, 200, 200, 200],
    ("get", "training:course_create", None): [302, 200, 200, 403, 403, 403],
    ("get", "training:course_detail", "course"): [302, 200, 200, 200, 200, 200],
    ("get", "training:course_detail", "other_course"): [302, 200, 200, 200, 200, 404],
    ("get", "training:course_update", "course"): [302, 200, 200, 403, 403, 403],
    ("get", "training:course_update", "other_course"): [302, 200, 200, 403, 403, 404],
    ("post", "training:course_move", "course"): [302, 302, 302, 403, 403, 403],
    ("get", "training:course_what_if", "course"): [302, 200, 200, 403, 403, 403],
    ("post", "training:session_add", "course"): [302, 302, 302, 403, 403, 403],
    ("get", "training:attendance", "session"): [302, 200, 200, 403, 403, 403],
    ("post", "training:session_remove", "session"): [302, 302, 302, 403, 403, 403],
    ("post", "training:interest_mark", "course"): [302, 403, 403, 403, 403, 302],
    ("post", "training:interest_mark", "other_course"): [302, 403, 403, 403, 403, 404],
    # Enrolments as a list: those of the candidates one may see; company HR read the codes
    # of their hosted courses on the course's page only.
    ("get", "training:enrolment_list", None): [302, 200, 200, 200, 200, 403],
    ("post", "training:enrolment_propose", None): [302, 302, 302, 302, 302, 403],
    ("post", "training:enrolment_confirm", "enrolment"): [302, 302, 302, 403, 403, 403],
    ("post", "training:enrolment_confirm", "other_enrolment"): [302, 302, 302, 404, 404, 403],
    ("get", "training:enrolment_drop", "enrolment"): [302, 200, 200, 403, 200, 403],
    ("get", "training:enrolment_drop", "other_enrolment"): [302, 200, 200, 404, 404, 403],
    ("get", "training:offer_list", None): [302, 200, 200, 403, 403, 200],
    ("get", "training:offer_create", None): [302, 403, 403, 403, 403, 200],
    ("post", "training:offer_decide", "offer"): [302, 302, 302, 404, 404, 403],
    ("post", "training:offer_decide", "other_offer"): [302, 302, 302, 404, 404, 404],
    # The gap and the training plan: the programme office's. Asking for an analysis queues it
    # and answers with a redirect to the gap; the candidates' list needs a profile (404).
    ("get", "training:gap", None): [302, 200, 200, 403, 403, 403],
    ("get", "training:plan", None): [302, 200, 200, 403, 403, 403],
    ("post", "training:gap_analyse", None): [302, 302, 302, 403, 403, 403],
    ("get", "training:gap_candidates", None): [302, 404, 404, 403, 403, 403],
    ("get", "training:transport_what_if", None): [302, 404, 404, 403, 403, 403],
    # Follow-up after placement: staff all, caseworkers their centre's; recruiters (their work
    # ends at the assessment) and company HR nobody's. An empty record answers with the form
    # and its errors (200).
    ("get", "training:follow_up_list", None): [302, 200, 200, 403, 200, 403],
    ("get", "training:follow_up_detail", "follow_up"): [302, 200, 200, 404, 200, 404],
    ("get", "training:follow_up_detail", "other_follow_up"): [302, 200, 200, 404, 404, 404],
    ("get", "training:follow_up_record", "follow_up"): [302, 200, 200, 404, 200, 404],
    ("get", "training:follow_up_record", "other_follow_up"): [302, 200, 200, 404, 404, 404],
    ("post", "training:follow_up_record", "follow_up"): [302, 200, 200, 404, 200, 404],
    ("post", "training:follow_up_record", "other_follow_up"): [302, 200, 200, 404, 404, 404],
    # Candidates' documents: staff all, caseworkers their centre's (they upload, verify and
    # delete them), recruiters the CV of the people they interview (to read only), company HR
    # the CV of a candidate whose interview with them is agreed, who consents to share it.
    # A delete not confirmed deletes nothing (302); an empty upload answers with the form
    # (200), an empty verification of a document that proves no certificate too.
    ("get", "documents:download", "document"): [302, 200, 200, 404, 200, 404],
    ("get", "documents:download", "cv"): [302, 200, 200, 200, 200, 404],
    ("get", "documents:download", "other_document"): [302, 200, 200, 404, 404, 404],
    ("get", "documents:download", "shared_cv"): [302, 200, 200, 404, 200, 200],
    ("get", "documents:verify", "document"): [302, 200, 200, 404, 200, 404],
    ("get", "documents:verify", "cv"): [302, 200, 200, 403, 200, 404],
    ("get", "documents:verify", "other_document"): [302, 200, 200, 404, 404, 404],
    ("post", "documents:verify", "document"): [302, 200, 200, 404, 200, 404],
    ("get", "documents:delete", "document"): [302, 200, 200, 404, 200, 404],
    ("get", "documents:delete", "cv"): [302, 200, 200, 403, 200, 404],
    ("get", "documents:delete", "shared_cv"): [302, 200, 200, 404, 200, 403],
    ("get", "documents:delete", "other_document"): [302, 200, 200, 404, 404, 404],
    ("post", "documents:delete", "document"): [302, 302, 302, 404, 302, 404],
    ("get", "documents:candidate_list", "candidate"): [302, 200, 200, 200, 200, 404],
    ("get", "documents:candidate_list", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("get", "documents:upload", "candidate"): [302, 200, 200, 403, 200, 404],
    ("get", "documents:upload", "other_candidate"): [302, 200, 200, 404, 404, 404],
    ("post", "documents:upload", "candidate"): [302, 200, 200, 403, 200, 404],
    ("get", "documents:shared", None): [302, 403, 403, 403, 403, 200],
    # The calendar: each role its own interviews; the invitations as the interviews' pages;
    # the matching officers arrange, move and close company interviews; the feed answers its
    # secret address only (none here: 404 for everybody, logged in or not).
    ("get", "appointments:calendar", None): [302, 200, 200, 200, 200, 200],
    ("get", "appointments:interview_ics", "interview"): [302, 200, 200, 200, 200, 404],
    ("get", "appointments:interview_ics", "other_interview"): [302, 200, 200, 404, 404, 404],
    ("get", "appointments:company_interview_schedule", "entry"): [302, 200, 200, 404, 404, 403],
    ("get", "appointments:company_interview_detail", "company_interview"): [
        302,
        200,
        200,
        404,
        200,
        200,
    ],
    ("get", "appointments:company_interview_detail", "other_company_interview"): [
        302,
        200,
        200,
        404,
        200,
        404,
    ],
    ("get", "appointments:company_interview_reschedule", "company_interview"): [
        302,
        200,
        200,
        404,
        403,
        403,
    ],
    ("post", "appointments:company_interview_set_status", "company_interview"): [
        302,
        302,
        302,
        404,
        403,
        403,
    ],
    ("get", "appointments:company_interview_ics", "company_interview"): [
        302,
        200,
        200,
        404,
        200,
        200,
    ],
    ("get", "appointments:feed_manage", None): [302, 200, 200, 200, 200, 200],
    ("post", "appointments:feed_revoke", None): [302, 302, 302, 302, 302, 302],
    ("get", "appointments:feed", "feed_token"): [404, 404, 404, 404, 404, 404],
    ("get", "interviews:interview_reschedule", "interview"): [302, 200, 200, 200, 403, 404],
}


def _all_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site admits the administrator role only: test_admin_site.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_in_the_policy_table():
    assert set(_all_url_names()) == {name for _method, name, _obj in POLICY}


@pytest.fixture
def objects(personas, company, other_company, centre, candidate, other_candidate):
    tranche = TrancheFactory()
    other_recruiter = UserFactory(role="recruiter", organisation=personas["recruiter"].organisation)
    need = NeedFactory(company=company)
    entry = shortlist_add(need=need, candidate=candidate, actor=personas["staff"])
    Shortlist.objects.filter(pk=entry.shortlist_id).update(shared_at=timezone.now())
    other_entry = shortlist_add(
        need=NeedFactory(company=other_company), candidate=candidate, actor=personas["staff"]
    )
    Shortlist.objects.filter(pk=other_entry.shortlist_id).update(shared_at=timezone.now())
    unshared = shortlist_add(
        need=NeedFactory(company=company), candidate=other_candidate, actor=personas["staff"]
    ).shortlist
    return {
        "follow_up": _first_check(company, candidate, personas["staff"]),
        "other_follow_up": _first_check(company, other_candidate, personas["staff"]),
        "tranche": tranche,
        "interview": InterviewFactory(
            tranche=tranche, candidate=candidate, recruiter=personas["recruiter"]
        ),
        "other_interview": InterviewFactory(
            tranche=tranche, candidate=other_candidate, recruiter=other_recruiter
        ),
        "campaign": SurveyCampaignFactory(status="open"),
        "closed_campaign": SurveyCampaignFactory(status="closed"),
        "profile": JobProfile.objects.get(code="carrellista"),
        "skill": Skill.objects.get(code="conduzione-carrello"),
        "certification": Certification.objects.get(code="abilitazione-carrelli-elevatori"),
        "user": personas["other_caseworker"],
        "lockout": AccessAttempt.objects.create(
            username="qualcuno",
            ip_address="192.0.2.10",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
            user_agent="",
            http_accept="",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
        ),
        "company": company,
        "other_company": other_company,
        "need": need,
        "shortlist": entry.shortlist,
        "entry": entry,
        "other_shortlist": other_entry.shortlist,
        "other_entry": other_entry,
        "company_interview": _company_interview(entry, personas["staff"]),
        "other_company_interview": _company_interview(other_entry, personas["staff"], days=2),
        "unshared_shortlist": unshared,
        "other_need": NeedFactory(company=other_company),
        "centre": centre,
        "candidate": candidate,
        "other_candidate": other_candidate,
        "duplicate_review": DuplicateReview.objects.create(
            candidate=candidate, existing=other_candidate, reasons=["phone"]
        ),
        "notification": Notification.objects.create(
            recipient=personas["caseworker"],
            kind=Notification.Kind.SHORTLISTED,
            text="In rosa",
            link=candidate.get_absolute_url(),
            key=f"shortlisted:{entry.pk}",
            candidate=candidate,
        ),
        "action": support_action_propose(
            candidate=candidate, kind="housing", actor=personas["staff"]
        ),
        "other_action": support_action_propose(
            candidate=other_candidate, kind="documents", actor=personas["staff"]
        ),
        **_courses(personas, company, other_company, candidate, other_candidate),
        **_documents(personas, company, centre, candidate, other_candidate),
        "export": _export(personas["staff"]),
        "import_job": ImportJob.objects.create(
            started_by=personas["caseworker"],
            kind="candidates",
            upload_key="policy",
            file_name="persone.xlsx",
            rows_total=600,
        ),
    }


def _export(staff) -> ExportRecord:
    """A workbook staff asked for, written (a few bytes stand for it)."""
    name = "exports/policy.xlsx"
    path = settings.PRIVATE_MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK")
    return ExportRecord.objects.create(
        user=staff,
        kind=ExportRecord.Kind.PSEUDONYMISED,
        source=ExportRecord.Source.WEB,
        status=ExportRecord.Status.DONE,
        finished_at=timezone.now(),
        file=name,
    )


def _company_interview(entry, staff, days=1) -> CompanyInterview:
    return CompanyInterview.objects.create(
        entry=entry,
        starts_at=timezone.now() + datetime.timedelta(days=days, hours=3),
        organised_by=staff,
    )


def _documents(personas, company, centre, candidate, other_candidate) -> dict:
    """A residence permit and a CV of the caseworker persona's candidate, a CV of another
    centre's candidate, and the CV of a candidate whose interview with the HR persona's company is
    agreed, who consents to share it."""
    staff, hr = personas["staff"], personas["company_hr"]
    shared = CandidateFactory(centre=centre, consent_share_profile=True, consent_share_cv=True)
    entry = shortlist_add(need=NeedFactory(company=company), candidate=shared, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=hr)
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)

    def upload(person, kind, n):
        pdf = SimpleUploadedFile("documento.pdf", b"%PDF-1.7\n%%EOF\n" + bytes(n))
        return document_upload(candidate=person, upload=pdf, kind=kind, actor=staff)

    return {
        "document": upload(candidate, "permit", 1),
        "cv": upload(candidate, "cv", 2),
        "other_document": upload(other_candidate, "cv", 3),
        "shared_cv": upload(shared, "cv", 4),
    }


def _courses(personas, company, other_company, candidate, other_candidate) -> dict:
    """A course hosted by the HR persona's company and one by another company, both running,
    with a session and an enrolment of a candidate of each centre; an offer of each company."""
    staff, hr = personas["staff"], personas["company_hr"]
    profiles = [JobProfile.objects.get(code="carrellista")]
    course, other_course = (
        course_save(course=Course(title=title, host=host, seats=5), actor=staff, profiles=profiles)
        for title, host in (("Carrellisti", company), ("Saldatura", other_company))
    )
    day = timezone.localdate()
    session = course_session_add(
        course=course, date=day, starts_at=datetime.time(9), ends_at=datetime.time(13)
    )
    course_session_add(
        course=other_course, date=day, starts_at=datetime.time(14), ends_at=datetime.time(18)
    )
    enrolment = enrolment_propose(course=course, candidate=candidate, actor=staff)
    other_enrolment = enrolment_propose(course=course, candidate=other_candidate, actor=staff)
    for running in (course, other_course):
        for step in ("open", "running"):
            course_move(course=running, to=step, actor=staff)
    return {
        "course": course,
        "other_course": other_course,
        "session": (course, session),
        "enrolment": enrolment,
        "other_enrolment": other_enrolment,
        "offer": course_offer_make(
            company=company, actor=hr, kind="lab", course=course, description="Officina"
        ),
        "other_offer": course_offer_make(
            company=other_company,
            actor=hr,
            kind="teacher",
            profile=profiles[0],
            description="Un capo reparto",
        ),
    }


def _first_check(company, candidate, staff):
    """The 1-month check of a hire of `candidate`, started 40 days ago."""
    entry = Entry.objects.create(
        shortlist=Shortlist.objects.create(need=NeedFactory(company=company), created_by=staff),
        candidate=candidate,
        score=70,
        added_by=staff,
        status=Entry.Status.HIRED,
        start_date=timezone.localdate() - datetime.timedelta(days=40),
    )
    return min(follow_ups_schedule(entry=entry, actor=staff), key=lambda check: check.months)


def _url(name, key, objects, user):
    if key is None:
        return reverse(name)
    if key == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "not-a-token"})
    if key == "notice_version":
        return reverse(name, args=[settings.PRIVACY_NOTICE_VERSION])
    if key == "feed_token":
        return reverse(name, args=["not-a-token"])
    obj = (user or objects["user"]) if key == "self" else objects[key]
    return reverse(name, args=[o.pk for o in obj] if isinstance(obj, tuple) else [obj.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
def test_policy(client, login, personas, objects, role_index, role):
    user = personas.get(role)
    mismatches = []
    for (method, name, key), statuses in POLICY.items():
        client.logout()
        if user is not None:
            login(user)
        url = _url(name, key, objects, user)
        response = getattr(client, method)(url)
        if response.status_code != statuses[role_index]:
            mismatches.append(f"{method.upper()} {url}: {response.status_code}")
        if role == "anonymous" and statuses[role_index] == 302 and name != "set_language":
            assert response.url.startswith(reverse("accounts:login")), url
    assert mismatches == [], f"{role} got unexpected answers"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "recruiter", "caseworker", "company_hr"])
def test_only_administrators_reach_the_django_admin_site(login, personas, role):
    response = login(personas[role]).get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response.url


@pytest.mark.django_db
def test_administrator_reaches_the_django_admin_site(login, admin):
    assert login(admin).get("/django-admin/").status_code == 200


@pytest.mark.django_db
def test_other_organisations_answer_404_like_missing_objects(login, company_hr, other_company):
    client = login(company_hr)
    foreign = client.get(reverse("companies:detail", args=[other_company.pk]))
    missing = client.get(reverse("companies:detail", args=[other_company.pk + 1000]))
    assert foreign.status_code == missing.status_code == 404

    def page_body(response):
        return re.search(rb"<main.*</main>", response.content, re.DOTALL).group()

    assert page_body(foreign) == page_body(missing)


# What the pages do not show by a URL of their own: whom a person may be registered or imported
# into (a candidate not saved yet, of the centre named), and who follows whom they register.
# For each role in ROLES order; the caseworker persona is of "centre".
WRITES = {
    ("create", "centre"): [False, True, True, False, True, False],
    ("create", "other_centre"): [False, True, True, False, False, False],
    ("import", "centre"): [False, True, True, False, True, False],
    ("import", "other_centre"): [False, True, True, False, False, False],
    ("follow", "centre"): [False, False, False, False, True, False],
    ("follow", "other_centre"): [False, False, False, False, False, False],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
def test_the_policy_of_new_candidates(personas, centre, other_centre, role_index, role):
    user = personas.get(role)
    centres = {"centre": centre, "other_centre": other_centre}
    answers = {
        (action, key): can(user, action, Candidate(centre=centres[key])) for action, key in WRITES
    }
    assert answers == {key: allowed[role_index] for key, allowed in WRITES.items()}


# Who records which step of a shortlisted candidate's path (matching.models.entry_steps, which
# the pipeline's service asks): matching officers on any shortlist, shared or not; company HR
# on the shortlists shared with their company (their scope); after an agreed interview either
# records the outcome. The steps open from each status, for each role in ROLES order.
WITHDRAW, AGREE = ["withdrawn"], ["interview_agreed", "withdrawn"]
ANSWER = ["interested", "not_interested", "interview_requested"]
ASK = ["interview_requested", "not_interested"]
OUTCOME = ["hired", "not_hired", "withdrawn"]
STEPS = {
    ("proposed", "shared"): [[], WITHDRAW, WITHDRAW, [], [], ANSWER],
    ("proposed", "unshared"): [[], WITHDRAW, WITHDRAW, [], [], []],
    ("interested", "shared"): [[], WITHDRAW, WITHDRAW, [], [], ASK],
    ("interview_requested", "shared"): [[], AGREE, AGREE, [], [], []],
    ("interview_agreed", "shared"): [[], OUTCOME, OUTCOME, [], [], OUTCOME],
    ("hired", "shared"): [[], [], [], [], [], []],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
def test_the_policy_of_shortlist_steps(personas, role_index, role):
    user = personas.get(role)
    shortlists = {"shared": Shortlist(shared_at=timezone.now()), "unshared": Shortlist()}
    answers = {
        (status, key): entry_steps(user, Entry(shortlist=shortlists[key], status=status))
        for status, key in STEPS
    }
    assert answers == {key: steps[role_index] for key, steps in STEPS.items()}
