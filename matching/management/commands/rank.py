"""`manage.py rank`: one need's ranking on the terminal, as an aligned table or as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from candidates.models import Candidate
from companies.models import Need
from matching.models import MatchingWeights
from matching.ranking import NearMiss, RankedRow, Ranking, rank


def _labels() -> dict[str, str]:
    """Column headings of the six components (built at run time: they are translated)."""
    return {
        "profile": _("profile"),
        "skills": _("skills"),
        "language": _("Italian"),
        "employability": _("employability"),
        "commute": _("commute"),
        "availability": _("availability"),
    }


def _km(row: RankedRow) -> str:
    return "?" if row.distance_km is None else f"{row.distance_km:.1f}"


def _gaps(row: RankedRow) -> str:
    told = [f"{gap.what} → {gap.closes_it}" for gap in row.gaps] + [f"[{n}]" for n in row.notes]
    return "; ".join(told) or "-"


def _table(headings: list[str], lines: list[list[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; the last column (free text) is not padded."""
    widths = [max(len(cell) for cell in column) for column in zip(headings, *lines, strict=True)]

    def _line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells[:-1], widths, strict=False))
        ]
        return "  ".join([*padded, cells[-1]]).rstrip()

    rule = ["-" * width for width in widths[:-1]] + ["-" * len(headings[-1])]
    return [_line(headings), _line(rule), *map(_line, lines)]


def _row_json(row: RankedRow) -> dict:
    return {
        "position": row.position,
        "candidate": {"id": row.candidate.pk, "name": str(row.candidate)},
        "score": row.score,
        "components": row.components,
        "distance_km": row.distance_km,
        "employability": row.employability or None,
        "gaps": [{"what": gap.what, "closes_it": gap.closes_it} for gap in row.gaps],
        "notes": row.notes,
    }


def _miss_json(miss: NearMiss) -> dict:
    return {
        "candidate": {"id": miss.candidate.pk, "name": str(miss.candidate)},
        "score": miss.score,
        "what": miss.what,
        "fix": miss.fix,
    }


def _weights(weights: MatchingWeights) -> int | None:
    return weights.version if weights.pk else None


class Command(BaseCommand):
    help = (
        "Rank the candidates for one need: position, candidate, score, the six components, "
        "distance, employability class and the gaps with what closes them. With --explain, "
        "where one candidate stands and why, or why they are not ranked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--need", type=int, required=True, help="ID of the need.")
        parser.add_argument("--top", type=int, default=50, help="How many rows (default 50).")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--explain", type=int, metavar="CANDIDATE_ID", help="Explain this candidate only."
        )

    def handle(self, *args, need: int, top: int, format: str, explain: int | None, **options):
        if top < 1:
            raise CommandError(_("--top must be at least 1."))
        found = Need.objects.select_related("company__organisation", "profile", "workplace")
        need_obj = found.filter(pk=need).first()
        if need_obj is None:
            raise CommandError(_("There is no need with ID %(id)s.") % {"id": need})
        if explain is not None:
            candidate = Candidate.objects.filter(pk=explain).first()
            if candidate is None:
                raise CommandError(_("There is no candidate with ID %(id)s.") % {"id": explain})
            ranking = rank(need_obj, candidate=candidate)
            show = self._explain_json if format == "json" else self._explain_text
            show(ranking, candidate)
        else:
            ranking = rank(need_obj, top=top, near_misses=True)
            (self._ranking_json if format == "json" else self._ranking_table)(ranking)

    # The whole ranking ---------------------------------------------------------------------

    def _header(self, ranking: Ranking) -> str:
        return _("%(need)s (need %(id)s), weights %(weights)s") % {
            "need": ranking.need,
            "id": ranking.need.pk,
            "weights": ranking.weights,
        }

    def _ranking_table(self, ranking: Ranking) -> None:
        labels = _labels()
        headings = [
            _("pos."),
            _("ID"),
            _("candidate"),
            _("score"),
            *(labels[name] for name in MatchingWeights.COMPONENTS),
            _("km"),
            _("class"),
            _("gaps"),
        ]
        lines = [
            [
                str(row.position),
                str(row.candidate.pk),
                str(row.candidate),
                f"{row.score:.1f}",
                *(f"{row.components[name]:.2f}" for name in MatchingWeights.COMPONENTS),
                _km(row),
                row.employability or "-",
                _gaps(row),
            ]
            for row in ranking.rows
        ]
        numbers = {0, 1, 3, 4, 5, 6, 7, 8, 9, 10}
        self.stdout.write(self._header(ranking))
        self.stdout.write("\n".join(_table(headings, lines, right=numbers)))
        self.stdout.write(
            _("%(shown)d shown of %(eligible)d ranked candidates.")
            % {"shown": len(ranking.rows), "eligible": ranking.eligible}
        )
        if ranking.near_misses:
            self.stdout.write(_("One quick fix away:"))
            for miss in ranking.near_misses:
                self.stdout.write(
                    f"  {miss.candidate.pk}  {miss.candidate}  {miss.score:.1f}  "
                    f"{miss.what} → {miss.fix}"
                )

    def _ranking_json(self, ranking: Ranking) -> None:
        data = {
            "need": ranking.need.pk,
            "weights": _weights(ranking.weights),
            "eligible": ranking.eligible,
            "rows": [_row_json(row) for row in ranking.rows],
            "near_misses": [_miss_json(miss) for miss in ranking.near_misses],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    # One candidate -------------------------------------------------------------------------

    def _explain_text(self, ranking: Ranking, candidate: Candidate) -> None:
        who = {"id": candidate.pk, "name": candidate}
        self.stdout.write(self._header(ranking))
        if not ranking.rows:
            self.stdout.write(_("Candidate %(id)s %(name)s is not ranked:") % who)
            for reason in ranking.why_not:
                self.stdout.write(f"  - {reason}")
            return
        row = ranking.rows[0]
        self.stdout.write(
            _("Candidate %(id)s %(name)s: position %(position)d, score %(score).1f")
            % {**who, "position": row.position, "score": row.score}
        )
        labels = _labels()
        facts = [
            *((labels[name], f"{row.components[name]:.2f}") for name in MatchingWeights.COMPONENTS),
            (_("distance (km)"), _km(row)),
            (_("class"), row.employability or "-"),
        ]
        width = max(len(label) for label, _value in facts)
        for label, value in facts:
            self.stdout.write(f"  {label.ljust(width)}  {value}")
        self.stdout.write(_("Gaps:") if row.gaps else _("No gaps."))
        for gap in row.gaps:
            self.stdout.write(f"  - {gap.what} → {gap.closes_it}")
        for note in row.notes:
            self.stdout.write(f"  * {note}")

    def _explain_json(self, ranking: Ranking, candidate: Candidate) -> None:
        data = {"need": ranking.need.pk, "weights": _weights(ranking.weights)}
        if ranking.rows:
            data |= {"ranked": True, **_row_json(ranking.rows[0])}
        else:
            data |= {
                "ranked": False,
                "candidate": {"id": candidate.pk, "name": str(candidate)},
                "why_not": ranking.why_not,
            }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
