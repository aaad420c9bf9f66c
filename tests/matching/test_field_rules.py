"""The rules agencies screen and rank by, one at a time: availability as a gate, depth of
experience, commutes as people travel, certificates and licences as the law has them, the
assessment and the permit over the contract, and the near misses beside the ranking."""

import datetime
import math
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import CandidateCertification, Experience
from candidates.services import travel_arrangement_add
from catalog.models import Certification, Comune, JobProfile
from companies.models import Need, NeedCertification
from interviews.models import Obstacle
from interviews.services import ObstacleInput, assessment_record, obstacle_resolve
from matching.ranking import ROAD_FACTOR, Assumption, rank, road_km
from tests.arrange import comune
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, TrancheFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BERGAMO, DALMINE, TREVIGLIO, SERIATE = "016024", "016091", "016219", "016198"
START = datetime.date(2027, 3, 1)
YEAR = timezone.localdate().year
FORKLIFT = "abilitazione-carrelli-elevatori"


def ranked(need) -> list:
    return [row.candidate for row in rank(need).rows]


def row_of(need, candidate):
    return rank(need, candidate=candidate).rows[0]


def why_not(need, candidate) -> list[str]:
    return rank(need, candidate=candidate).why_not


def person(**fields):
    return CandidateFactory(**fields)


def assess(candidate, recruiter, employability="B", obstacles=(), when=None):
    interview = InterviewFactory(
        candidate=candidate,
        recruiter=recruiter,
        tranche=TrancheFactory(),
        **({"scheduled_at": when} if when else {}),
    )
    return assessment_record(
        interview=interview,
        actor=recruiter,
        employability=employability,
        obstacles=[ObstacleInput(kind, severity) for kind, severity in obstacles],
    )


# 1. Availability is a gate --------------------------------------------------------------------


def test_a_candidate_who_cannot_work_nights_is_not_ranked_for_a_night_shift_need():
    need = NeedFactory(shifts=Need.Shifts.THREE, nights=True)
    nights = person(shifts="three", nights=True, own_car=True)
    days = person(shifts="three", nights=False, own_car=True)

    assert ranked(need) == [nights]
    assert why_not(need, days) == ["not available at night"]


def test_a_candidate_looking_for_part_time_work_is_not_ranked_for_a_full_time_need():
    need = NeedFactory(hours=Need.Hours.FULL_TIME)
    either = person(hours="either")
    part_time = person(hours="part_time")

    assert ranked(need) == [either]
    assert why_not(need, part_time) == ["looks for part-time work"]


def test_who_works_day_shifts_only_is_not_ranked_for_shift_work():
    need = NeedFactory(shifts=Need.Shifts.TWO)
    shifts = person(shifts="two", own_car=True)
    days = person(shifts="day", own_car=True)

    assert ranked(need) == [shifts]
    assert why_not(need, days) == ["day shift only, the need has two shifts"]


def test_care_duties_rule_out_early_shifts_as_a_no_to_them_does():
    need = NeedFactory(shifts=Need.Shifts.TWO)
    free = person(shifts="two", own_car=True)
    carer = person(shifts="two", own_car=True, care_duties=True)
    day_need = NeedFactory(shifts=Need.Shifts.DAY)

    assert ranked(need) == [free]
    assert why_not(need, carer) == ["care duties, against night or early shifts"]
    assert set(ranked(day_need)) == {free, carer}  # day shifts suit them both


def test_a_start_after_the_needs_is_a_conflict_named_with_the_days_late():
    need = NeedFactory(start_date=START)
    ready = person(available_from=START)
    late = person(available_from=START + datetime.timedelta(days=14))

    assert ranked(need) == [ready]
    assert why_not(need, late) == ["available from 15/03, 14 days after the start"]


def test_without_a_start_date_who_can_start_now_ranks_above_who_starts_in_two_months():
    need = NeedFactory(start_date=None)
    later = person(available_from=timezone.localdate() + datetime.timedelta(days=60))
    now = person(available_from=None)

    assert ranked(need) == [now, later]
    assert any(gap.what.startswith("available from") for gap in row_of(need, later).gaps)


# 2. Experience has depth ----------------------------------------------------------------------


@pytest.fixture
def forklift_need():
    return NeedFactory(profile=JobProfile.objects.get(code="carrellista"), min_experience_years=2)


def _worked(candidate, code, years, ended_in=None):
    Experience.objects.create(
        candidate=candidate,
        profile=JobProfile.objects.get(code=code),
        years=years,
        ended_in=ended_in,
    )
    return candidate


def test_the_years_asked_count_and_the_gap_says_how_many_are_missing(forklift_need):
    one = _worked(person(), "carrellista", 1)
    three = _worked(person(), "carrellista", 3)

    assert ranked(forklift_need) == [three, one]
    assert "1 year of experience, 2 years asked" in [
        gap.what for gap in row_of(forklift_need, one).gaps
    ]
    assert row_of(forklift_need, three).gaps == []


def test_recent_experience_counts_more_than_the_same_years_long_ago(forklift_need):
    long_ago = _worked(person(), "carrellista", 2, ended_in=YEAR - 10)
    recent = _worked(person(), "carrellista", 2, ended_in=YEAR - 1)

    assert ranked(forklift_need) == [recent, long_ago]
    (gap,) = [gap for gap in row_of(forklift_need, long_ago).gaps if "experience" in gap.what]
    assert f"the last in {YEAR - 10}: older work counts less" in gap.what


def test_a_recruiters_suitable_for_counts_less_than_real_experience_and_more_than_a_related_job(
    forklift_need, recruiter
):
    related = _worked(person(), "addetto-magazzino", 5)
    suitable = person()
    assessment_record(
        interview=InterviewFactory(candidate=suitable, recruiter=recruiter),
        actor=recruiter,
        employability="B",
        suitable_profiles=[forklift_need.profile],
    )
    experienced = _worked(person(), "carrellista", 0.5)

    assert ranked(forklift_need) == [experienced, suitable, related]


# 3. Commute as people travel -----------------------------------------------------------------


def _crow_flies(a: Comune, b: Comune) -> float:
    """The great-circle km between two comuni's centres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_distances_are_estimated_road_km_the_same_on_the_ranking_and_the_company_cards():
    need = NeedFactory(workplace=comune(BERGAMO))
    candidate = person(residence_comune=comune(TREVIGLIO))
    straight = _crow_flies(comune(TREVIGLIO), comune(BERGAMO))  # about 20 km

    shown = row_of(need, candidate).distance_km
    assert shown == pytest.approx(ROAD_FACTOR * straight, abs=0.2)
    assert road_km(comune(TREVIGLIO), comune(BERGAMO)) == pytest.approx(shown, abs=0.05)


def test_a_candidate_who_accepts_20_km_by_train_is_not_capped_at_the_no_car_default():
    need = NeedFactory(workplace=comune(BERGAMO))  # 26 km from Treviglio by road
    default = person(residence_comune=comune(TREVIGLIO), public_transport=True)
    by_train = person(residence_comune=comune(TREVIGLIO), public_transport=True, max_commute_km=30)

    assert row_of(need, default).components["commute"] == 0
    assert row_of(need, by_train).components["commute"] > 0
    assert ranked(need) == [by_train, default]


def test_minutes_accepted_are_read_at_the_speed_of_the_candidates_means():
    need = NeedFactory(workplace=comune(BERGAMO))  # 9 km from Dalmine by road
    by_car = person(residence_comune=comune(DALMINE), own_car=True, max_commute_minutes=20)
    by_bus = person(residence_comune=comune(DALMINE), public_transport=True, max_commute_minutes=20)

    assert row_of(need, by_car).components["commute"] > 0.3  # 20 minutes: some 14 km
    assert row_of(need, by_bus).components["commute"] == 0  # 20 minutes: under 7 km


def test_who_states_both_km_and_minutes_is_held_to_the_shorter_of_the_two():
    need = NeedFactory(workplace=comune(BERGAMO))  # 9 km from Dalmine by road
    home = {"residence_comune": comune(DALMINE), "own_car": True}
    far_but_quick = person(**home, max_commute_km=30, max_commute_minutes=10)  # 7 km by car
    far_and_long = person(**home, max_commute_km=30, max_commute_minutes=60)

    assert row_of(need, far_but_quick).components["commute"] == 0
    assert row_of(need, far_and_long).components["commute"] == pytest.approx(1 - 9.1 / 30, abs=0.02)


def test_night_shifts_need_a_car_a_motorbike_or_a_bicycle_within_reach():
    need = NeedFactory(workplace=comune(BERGAMO), shifts=Need.Shifts.THREE, nights=True)
    night = {"residence_comune": comune(DALMINE), "shifts": "three", "nights": True}
    motorbike = person(**night, motorbike=True)
    bicycle = person(**night, bicycle=True)
    bus = person(**night, public_transport=True)
    day_need = NeedFactory(workplace=comune(BERGAMO))

    assert row_of(need, motorbike).components["commute"] > 0.5
    assert row_of(need, bicycle).components["commute"] > 0  # 9 km: within a bicycle's 10
    assert row_of(need, bus).components["commute"] == 0
    assert any("night or early shifts" in gap.what for gap in row_of(need, bus).gaps)
    assert row_of(day_need, bus).components["commute"] > 0  # by day the bus runs


def test_a_bus_pass_does_not_reach_a_night_shift_but_a_company_shuttle_does():
    need = NeedFactory(
        workplace=comune(TREVIGLIO), shifts=Need.Shifts.THREE, nights=True, start_date=START
    )
    night = {"residence_comune": comune(BERGAMO), "shifts": "three", "nights": True}
    pass_holder, shuttle = person(**night), person(**night)
    for candidate, mode in ((pass_holder, "transport_pass"), (shuttle, "company_shuttle")):
        travel_arrangement_add(
            candidate=candidate,
            mode=mode,
            destination=comune(TREVIGLIO),
            since=START - datetime.timedelta(days=30),
        )

    assert row_of(need, pass_holder).components["commute"] == 0
    assert row_of(need, shuttle).components["commute"] > 0


def test_the_what_if_of_a_bus_pass_reaches_a_day_need_but_not_a_night_shift_one():
    night = NeedFactory(workplace=comune(TREVIGLIO), shifts=Need.Shifts.THREE, nights=True)
    day = NeedFactory(workplace=comune(TREVIGLIO))
    walker = person(residence_comune=comune(BERGAMO), shifts="three", nights=True)
    by_pass = Assumption(
        candidates=(walker.pk,), destination=comune(TREVIGLIO), mode="transport_pass"
    )
    by_shuttle = Assumption(candidates=(walker.pk,), destination=comune(TREVIGLIO))

    assert by_pass.reaches(day)
    assert not by_pass.reaches(night)
    assert by_shuttle.reaches(night)
    lifted = rank(night, among=[walker.pk], assume=by_shuttle).rows[0]
    assert lifted.components["commute"] > 0
    assert rank(night, among=[walker.pk], assume=by_pass).rows[0].components["commute"] == 0


# 4. Certificates and licences as the law has them ---------------------------------------------


@pytest.fixture
def licence_need():
    need = NeedFactory(start_date=START, duration_months=12)
    NeedCertification.objects.create(
        need=need, certification=Certification.objects.get(code=FORKLIFT), mandatory=True
    )
    return need


def _holds(candidate, verified=True, expires_on=None):
    CandidateCertification.objects.create(
        candidate=candidate,
        certification=Certification.objects.get(code=FORKLIFT),
        verified=verified,
        expires_on=expires_on,
    )
    return candidate


def test_a_mandatory_certificate_only_declared_is_to_verify_before_proposing(licence_need):
    declared = _holds(person(), verified=False)
    verified = _holds(person())

    assert ranked(licence_need) == [verified, declared]
    assert any(
        "to verify before proposing" in gap.what for gap in row_of(licence_need, declared).gaps
    )
    assert not any("to verify" in gap.what for gap in row_of(licence_need, verified).gaps)


def test_a_certificate_that_expires_during_the_contract_is_flagged(licence_need):
    lapsing = _holds(person(), expires_on=START + datetime.timedelta(days=90))
    lasting = _holds(person(), expires_on=START + datetime.timedelta(days=800))

    assert set(ranked(licence_need)) == {lapsing, lasting}
    (gap,) = [
        gap for gap in row_of(licence_need, lapsing).gaps if "during the contract" in gap.what
    ]
    assert gap.what.startswith("Forklift operator licence expires on")
    assert not any("during the contract" in g.what for g in row_of(licence_need, lasting).gaps)


def test_a_moped_licence_does_not_satisfy_a_need_for_licence_b():
    need = NeedFactory(driving_licence="B")
    moped = person(driving_licences="AM")
    truck = person(driving_licences="C, CQC")
    car = person(driving_licences="B")

    assert set(ranked(need)) == {truck, car}
    assert why_not(need, moped) == ["driving licence B needed; holds AM"]


def test_a_need_for_a_truck_licence_asks_for_c_not_b():
    need = NeedFactory(driving_licence="C")
    car = person(driving_licences="B")
    truck = person(driving_licences="B, CE")

    assert ranked(need) == [truck]
    assert why_not(need, car) == ["driving licence C needed; holds B"]


# 5. The assessment and the permit over the whole contract -------------------------------------


def test_a_severe_open_obstacle_of_the_latest_assessment_lowers_the_score_and_is_shown(recruiter):
    need = NeedFactory()
    clear, burdened = person(), person()
    assess(clear, recruiter, "B")
    assess(burdened, recruiter, "B", obstacles=[("housing", Obstacle.Severity.HIGH)])

    assert ranked(need) == [clear, burdened]
    row = row_of(need, burdened)
    assert row.components["employability"] == pytest.approx(
        row_of(need, clear).components["employability"] / 2
    )
    assert row.notes == ["severe obstacle: Housing"]


def test_a_resolved_severe_obstacle_or_one_of_an_older_assessment_no_longer_counts(recruiter):
    need = NeedFactory()
    resolved, reassessed = person(), person()
    assessment = assess(resolved, recruiter, "B", obstacles=[("transport", 3)])
    obstacle_resolve(obstacles=assessment.obstacles.all(), on=datetime.date(2026, 11, 1))
    assess(
        reassessed,
        recruiter,
        "B",
        obstacles=[("documents", 3)],
        when=datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC),
    )
    assess(reassessed, recruiter, "B", when=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))

    for candidate in (resolved, reassessed):
        assert row_of(need, candidate).notes == []
        assert row_of(need, candidate).components["employability"] == 0.6


def test_a_renewal_requested_keeps_a_candidate_whose_permit_expires_before_the_start():
    need = NeedFactory(start_date=START)
    expired = START - datetime.timedelta(days=10)
    person(permit_type="work", permit_expiry=expired)  # waiting, with no renewal asked
    renewing = person(
        permit_type="work",
        permit_expiry=expired,
        permit_renewal_requested_on=expired - datetime.timedelta(days=50),
    )

    assert ranked(need) == [renewing]
    assert row_of(need, renewing).notes == ["permit renewal requested on 12/31/2026"]


def test_a_permit_that_expires_during_the_contract_is_flagged_with_the_renewal_as_the_fix():
    need = NeedFactory(start_date=START, duration_months=6)
    during = person(permit_type="work", permit_expiry=START + datetime.timedelta(days=60))
    after = person(permit_type="work", permit_expiry=START + datetime.timedelta(days=400))

    gaps = {gap.what: gap.closes_it for gap in row_of(need, during).gaps}
    assert gaps["residence permit expires on 04/30/2027, during the contract"] == (
        "ask for the renewal: its receipt lets them keep working"
    )
    assert not any("permit" in gap.what for gap in row_of(need, after).gaps)


# 6. Near misses ----------------------------------------------------------------------------


def test_near_misses_are_those_one_quick_fix_away_each_with_its_fix(licence_need):
    fine = _holds(person(last_name="Fine"))
    permit = _holds(
        person(last_name="Permit", permit_type="work", permit_expiry=START - datetime.timedelta(1))
    )
    lapsed = _holds(person(last_name="Lapsed"), expires_on=START - datetime.timedelta(days=30))
    late = _holds(person(last_name="Late", available_from=START + datetime.timedelta(days=10)))
    consent = _holds(person(last_name="Consent", consent_matching=False))
    # Not near misses: two things wrong, or a start far too late, or no certificate at all.
    _holds(
        person(
            last_name="Twice",
            consent_matching=False,
            available_from=START + datetime.timedelta(days=5),
        )
    )
    _holds(person(last_name="Much later", available_from=START + datetime.timedelta(days=90)))
    person(last_name="Never")

    ranking = rank(licence_need, near_misses=True)

    assert [row.candidate for row in ranking.rows] == [fine]
    fixes = {miss.candidate.last_name: miss.fix for miss in ranking.near_misses}
    assert fixes == {
        "Permit": "ask for the renewal: its receipt lets them work",
        "Lapsed": "the refresher course for “Forklift operator licence”",
        "Late": "ask the company to start them on 03/11/2027, or the candidate to start earlier",
        "Consent": "ask the consent again",
    }
    assert {m.candidate for m in ranking.near_misses} == {permit, lapsed, late, consent}


# In Italian, on the pages and on the terminal -------------------------------------------------


def test_the_ranking_page_shows_near_misses_gates_and_notes_in_italian(login, staff, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    need = NeedFactory(start_date=START, shifts=Need.Shifts.TWO)
    person(
        shifts="two",
        own_car=True,
        permit_type="work",
        permit_expiry=START - datetime.timedelta(1),
        permit_renewal_requested_on=START - datetime.timedelta(30),
    )
    person(shifts="two", own_car=True, available_from=START + datetime.timedelta(days=14))
    days = person(shifts="day", own_car=True)

    html = login(staff).get(reverse("matching:need_rank", args=[need.pk])).content.decode()
    assert "A un passo dalla graduatoria" in html
    assert "disponibile dal 15/03, 14 giorni dopo l&#x27;inizio" in html
    assert "rinnovo del permesso richiesto il 30/01/2027" in html

    explained = (
        login(staff)
        .get(reverse("matching:need_explain", args=[need.pk]), {"c": days.pk})
        .content.decode()
    )
    assert "solo turno giornaliero, il fabbisogno è su due turni" in explained


def test_rank_explain_names_the_conflict_in_italian():
    need = NeedFactory(shifts=Need.Shifts.THREE, nights=True)
    candidate = person(shifts="three", nights=False, hours="part_time")
    out = StringIO()
    with translation.override("it"):
        call_command("rank", "--need", str(need.pk), "--explain", str(candidate.pk), stdout=out)
    text = out.getvalue()
    assert "non disponibile di notte" in text
    assert "cerca part-time" in text


def test_the_page_explaining_the_ranking_speaks_plain_italian_with_the_weights_in_use(
    login, staff, client
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    html = login(staff).get(reverse("matching:rules")).content.decode()
    assert "Come funziona la graduatoria" in html
    assert "Chi resta fuori" in html
    assert "20%" in html  # the employability class's share of the default weights
    assert "1.3" in html or "1,3" in html  # road km from straight lines
