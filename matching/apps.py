from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, PEOPLE, NavItem
from audit.registry import Audited


class MatchingConfig(AppConfig):
    """Ranking of candidates per need, shortlists and company feedback."""

    name = "matching"
    verbose_name = _("Matching")
    candidate_filters = "matching.filters.CANDIDATE_FILTERS"
    need_filters = "matching.filters.NEED_FILTERS"
    consent_withdrawn = "matching.services.consent_withdrawn"
    company_panel = "matching.panels.company_shortlists"
    # The company interviews that hold a candidate's time (interviews.clashes).
    appointments_busy = "matching.selectors.company_interviews_busy"
    # The residence permits of shortlisted candidates expiring (notifications.reminders).
    reminders_due = "matching.notices.permits_expiring"
    # What the audit trail follows (audit.registry): a candidate's place on a shortlist and
    # every step of it.
    audited = (
        "matching.Entry",
        Audited("matching.PipelineEvent", candidate="entry__candidate_id"),
        Audited("matching.CompanyInterview", candidate="entry__candidate_id"),
    )
    # A candidate's data export and erasure (candidates.rights): an entry's code and the
    # ranking's figures are no free text; the companies that had the candidate on a shortlist;
    # who is in post, kept past the retention.
    subject_data = {
        "matching.Entry": {"kept": ("code", "breakdown")},
        "matching.PipelineEvent": {"title": _("Shortlist history")},
    }
    subject_shared_with = "matching.rights.shared_with"
    subject_in_post = "matching.rights.in_post"
    navigation = (
        NavItem(
            _("Shortlists"),
            "matching:shortlist_list",
            "matching.Shortlist",
            "list",
            "people",
            order=28,
            group=PEOPLE,
        ),
        NavItem(
            _("Matching weights"),
            "matching:weights",
            "matching.MatchingWeights",
            "view",
            "sliders",
            order=92,
            group=ADMINISTRATION,
        ),
    )

    def ready(self) -> None:
        from candidates.models import (
            Candidate,
            CandidateCertification,
            CandidateLanguage,
            CandidateSkill,
            Experience,
            TravelArrangement,
        )
        from catalog.models import Certification, Comune, JobFamily, JobProfile, Skill
        from companies.models import Need, NeedCertification, NeedSkill
        from focus.cache import invalidated_by
        from interviews.models import Assessment, Obstacle, SuitableProfile
        from matching.models import MatchingWeights
        from matching.ranking import RANKING

        # Every table the kept ranking (matching.ranking.rank) is worked out from: the
        # candidates (their status, consent, availability, permit, licences, means, levels and
        # the class and severe obstacle their assessments leave on them) and their links, the
        # assessments' obstacles and suitable profiles, the needs and their requirements, the
        # weights, the catalogue (a comune's point, a profile's family). Interviews and
        # shortlist entries are not read: a recruiter's access and a place on a shortlist
        # change no score (the status they set is the candidate's own column).
        invalidated_by(
            RANKING,
            Candidate,
            CandidateSkill,
            CandidateCertification,
            CandidateLanguage,
            Experience,
            TravelArrangement,
            Assessment,
            Obstacle,
            SuitableProfile,
            Need,
            NeedSkill,
            NeedCertification,
            MatchingWeights,
            Comune,
            JobProfile,
            JobFamily,
            Skill,
            Certification,
        )
