"""Class results for a lesson plan: a constant number of queries, however many attempts there are."""

import csv
import io
from dataclasses import dataclass, field
from html import escape

from django.db.models import Avg, Count, Q
from django.urls import reverse

from lessons.models import QuestionResponse, QuizAttempt

DISTRIBUTION_BANDS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]


@dataclass
class QuestionStat:
    position: int
    prompt_html: str
    source_url: str
    source_label: str
    answered: int
    right: int

    @property
    def rate(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


@dataclass
class QuizResults:
    quiz_id: int
    title: str
    slug: str
    attempts: list = field(default_factory=list)
    questions: list[QuestionStat] = field(default_factory=list)

    @property
    def average(self) -> int:
        return round(sum(a.percent for a in self.attempts) / len(self.attempts)) if self.attempts else 0

    @property
    def distribution(self) -> list[tuple[str, int]]:
        bands = []
        for low, high in DISTRIBUTION_BANDS:
            count = sum(1 for a in self.attempts if low <= a.percent < high)
            bands.append((f"{low}–{min(high, 100)} %", count))
        return bands

    @property
    def most_missed(self) -> list[QuestionStat]:
        answered = [q for q in self.questions if q.answered]
        return sorted(answered, key=lambda q: (q.rate, q.position))[:3]

    @property
    def chart_svg(self) -> str:
        return correct_rate_chart(self.title, self.questions)


def class_results(plan) -> list[QuizResults]:
    quizzes = plan.quizzes()
    ids = [q.pk for q in quizzes]
    attempts = list(
        QuizAttempt.objects.filter(class_code=plan.class_code, quiz_id__in=ids)
        .only("id", "quiz_id", "display_name", "score", "max_score", "created_at")
        .order_by("created_at")
    )
    # the questions as last asked, one snapshot per quiz (PostgreSQL DISTINCT ON)
    latest = (
        QuizAttempt.objects.filter(class_code=plan.class_code, quiz_id__in=ids)
        .order_by("quiz_id", "-created_at")
        .distinct("quiz_id")
        .only("quiz_id", "snapshot")
    )
    snapshots = {a.quiz_id: a.snapshot for a in latest}
    stats = (
        QuestionResponse.objects.filter(attempt__class_code=plan.class_code, attempt__quiz_id__in=ids)
        .values("attempt__quiz_id", "question_id")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)), points=Avg("points"))
    )
    # by question, not by position: a question moved or left out in a later version keeps its own count
    by_question = {(s["attempt__quiz_id"], s["question_id"]): s for s in stats}
    results = []
    for quiz in quizzes:
        result = QuizResults(quiz.pk, quiz.title, quiz.slug, [a for a in attempts if a.quiz_id == quiz.pk])
        for question in snapshots.get(quiz.pk, {}).get("questions", []):
            stat = by_question.get((quiz.pk, question["id"]), {})
            result.questions.append(
                QuestionStat(
                    question["position"],
                    question["prompt_html"],
                    question.get("source_url", ""),
                    question.get("source_label", ""),
                    stat.get("answered", 0),
                    stat.get("right", 0),
                )
            )
        results.append(result)
    return results


def correct_rate_chart(title: str, questions: list[QuestionStat]) -> str:
    """Horizontal bars, one per question, each labelled with its number and rate: readable without colour."""
    row, top, width, label_width = 30, 10, 480, 70
    height = top * 2 + row * max(len(questions), 1)
    parts = [
        f'<svg class="rate-chart" role="img" viewBox="0 0 {label_width + width + 110} {height}" '
        f'aria-labelledby="chart-title-{id(questions)} chart-desc-{id(questions)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title-{id(questions)}">Share of right answers per question: {escape(title)}</title>',
        f'<desc id="chart-desc-{id(questions)}">'
        + escape("; ".join(f"Question {q.position}: {q.rate} % right ({q.right} of {q.answered})" for q in questions))
        + "</desc>",
    ]
    for n, question in enumerate(questions):
        y = top + n * row
        bar = round(width * question.rate / 100)
        parts.append(f'<text x="0" y="{y + 19}" class="chart-label">Q{question.position}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="20" class="chart-track"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar}" height="20" class="chart-bar"/>')
        parts.append(
            f'<text x="{label_width + width + 8}" y="{y + 19}" class="chart-value">{question.rate} % '
            f"({question.right}/{question.answered})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def results_csv(plan, results: list[QuizResults]) -> str:
    responses = QuestionResponse.objects.filter(
        attempt__class_code=plan.class_code, attempt__quiz_id__in=[r.quiz_id for r in results]
    ).values_list("attempt_id", "position", "points")
    points = {}
    for attempt_id, position, value in responses:
        points.setdefault(attempt_id, {})[position] = value
    width = max((len(r.questions) for r in results), default=0)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["quiz", "name", "submitted (UTC)", "score", "out of", "percent", "result page"]
        + [f"Q{n}" for n in range(1, width + 1)]
    )
    for result in results:
        for attempt in result.attempts:
            row = [
                result.title,
                attempt.display_name,
                attempt.created_at.strftime("%Y-%m-%d %H:%M"),
                attempt.score,
                attempt.max_score,
                attempt.percent,
                reverse("quiz_result", args=[result.slug, attempt.pk]),
            ]
            row += [points.get(attempt.pk, {}).get(n, "") for n in range(1, width + 1)]
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def safe_cell(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula: a student's name must not."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else value
