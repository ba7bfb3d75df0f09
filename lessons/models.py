"""Lesson modules, quizzes and lesson plans (issues 5 and 6)."""
