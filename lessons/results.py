"""Class results for a lesson plan: a constant number of queries, however many attempts there are.

Attempts the teacher hid (a test, a prank) are listed, marked, but count in no figure.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone

from lessons.models import QuestionResponse, QuizAttempt
from lessons.question_kinds import kind_for

DISTRIBUTION_BANDS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
WRONG_ANSWERS_SHOWN = 4
HEAT_LEVELS = 5  # shades of the heat map, 0 (nobody) to 4 (the most marked sentence)


@dataclass
class HeatSentence:
    """A sentence of a "find the evidence" excerpt: how many students marked it, and whether it is the key."""

    text: str
    count: int
    level: int
    is_key: bool


@dataclass
class QuestionStat:
    position: int
    prompt_html: str
    source_url: str
    source_label: str
    answered: int
    right: int
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)  # the wrong answers given, most frequent first
    heat: list[HeatSentence] = field(default_factory=list)  # find the evidence: the class's marks, by sentence

    @property
    def rate(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


@dataclass
class QuizResults:
    quiz_id: int
    title: str
    slug: str
    attempts: list = field(default_factory=list)  # every attempt, hidden ones too, each student's together
    questions: list[QuestionStat] = field(default_factory=list)

    @property
    def counted(self) -> list:
        """The attempts the figures count: not those the teacher hid."""
        return [a for a in self.attempts if not a.hidden]

    @property
    def average(self) -> int:
        counted = self.counted
        return round(sum(a.percent for a in counted) / len(counted)) if counted else 0

    @property
    def distribution(self) -> list[tuple[str, int]]:
        bands = []
        for low, high in DISTRIBUTION_BANDS:
            count = sum(1 for a in self.counted if low <= a.percent < high)
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
        .only("id", "quiz_id", "display_name", "score", "max_score", "created_at", "hidden")
        .order_by("created_at")
    )
    number_attempts(attempts)
    # the questions as last asked, one snapshot per quiz (PostgreSQL DISTINCT ON)
    latest = (
        QuizAttempt.objects.filter(class_code=plan.class_code, quiz_id__in=ids)
        .order_by("quiz_id", "-created_at")
        .distinct("quiz_id")
        .only("quiz_id", "snapshot")
    )
    snapshots = {a.quiz_id: a.snapshot for a in latest}
    counted = QuestionResponse.objects.filter(
        attempt__class_code=plan.class_code, attempt__quiz_id__in=ids, attempt__hidden=False
    )
    stats = counted.values("attempt__quiz_id", "question_id").annotate(
        answered=Count("id"), right=Count("id", filter=Q(correct=True)), points=Avg("points")
    )
    # by question, not by position: a question moved or left out in a later version keeps its own count
    by_question = {(s["attempt__quiz_id"], s["question_id"]): s for s in stats}
    given = defaultdict(list)  # what the class answered, question by question (wrong answers, evidence marks)
    for quiz_id, question_id, answer, correct in counted.values_list(
        "attempt__quiz_id", "question_id", "answer", "correct"
    ):
        given[quiz_id, question_id].append((answer, correct))
    results = []
    for quiz in quizzes:
        result = QuizResults(
            quiz.pk, quiz.title, quiz.slug, grouped_by_student(a for a in attempts if a.quiz_id == quiz.pk)
        )
        for question in snapshots.get(quiz.pk, {}).get("questions", []):
            stat = by_question.get((quiz.pk, question["id"]), {})
            answers = given.get((quiz.pk, question["id"]), [])
            result.questions.append(
                QuestionStat(
                    question["position"],
                    question["prompt_html"],
                    question.get("source_url", ""),
                    question.get("source_label", ""),
                    stat.get("answered", 0),
                    stat.get("right", 0),
                    wrong_answers(question, answers),
                    heat_map(question, answers),
                )
            )
        results.append(result)
    return results


def student_key(attempt) -> str:
    return " ".join(attempt.display_name.casefold().split())


def number_attempts(attempts: list) -> None:
    """Each named student's attempts at a quiz, numbered in the order they were made ("attempt 2")."""
    seen = Counter()
    for attempt in attempts:  # oldest first
        key = (attempt.quiz_id, student_key(attempt))
        seen[key] += 1
        attempt.number = seen[key] if key[1] else 1
        attempt.local_time = timezone.localtime(attempt.created_at)


def grouped_by_student(attempts) -> list:
    """Each student's attempts together (by name, case and spacing ignored), then unnamed ones, by time."""
    return sorted(attempts, key=lambda a: (not student_key(a), student_key(a), a.created_at))


def wrong_answers(question: dict, answers: list) -> list[tuple[str, int]]:
    """The wrong answers the class gave, in words (as the snapshot describes them), the most frequent first."""
    kind = kind_for(question)
    counts = Counter()
    for answer, correct in answers:
        if not correct:
            try:
                text = kind.describe(question, answer)
            except (KeyError, IndexError, TypeError, ValueError):  # an answer to an older version of the question
                text = ""
            counts[text or "(another answer)"] += 1
    return counts.most_common(WRONG_ANSWERS_SHOWN)


def heat_map(question: dict, answers: list) -> list[HeatSentence]:
    """For "find the evidence": each sentence of the excerpt with how many students' marks touch it."""
    excerpt = question.get("excerpt") or {}
    sentences = excerpt.get("sentences") or []
    if question.get("kind") != "evidence" or not sentences:
        return []
    target = question.get("target") or {}
    counts = [0] * len(sentences)
    for answer, _correct in answers:
        if not (isinstance(answer, list) and len(answer) == 2):
            continue
        start, end = answer
        for n, sentence in enumerate(sentences):
            if start < sentence["end"] and sentence["start"] < end:
                counts[n] += 1
    most = max(counts) or 1
    return [
        HeatSentence(
            sentence["text"],
            count,
            0 if not count else 1 + round((HEAT_LEVELS - 2) * count / most),
            sentence["start"] < target.get("end", -1) and target.get("start", -1) < sentence["end"],
        )
        for sentence, count in zip(sentences, counts, strict=True)
    ]


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
        ["quiz", "name", "attempt", f"submitted ({timezone.get_current_timezone_name()})", "score", "out of"]
        + ["percent", "hidden", "result page"]
        + [f"Q{n}" for n in range(1, width + 1)]
    )
    for result in results:
        for attempt in result.attempts:
            row = [
                result.title,
                attempt.display_name,
                attempt.number,
                attempt.local_time.strftime("%Y-%m-%d %H:%M"),
                attempt.score,
                attempt.max_score,
                attempt.percent,
                "yes" if attempt.hidden else "",
                reverse("quiz_result", args=[result.slug, attempt.pk]),
            ]
            row += [points.get(attempt.pk, {}).get(n, "") for n in range(1, width + 1)]
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def safe_cell(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula: a student's name must not."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else value
