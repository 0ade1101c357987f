"""What check-ins and closing surveys both ask: how useful (1–5) and an optional comment."""

from dataclasses import dataclass

from bot.domain.text import clean

USEFULNESS = range(1, 6)
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Feedback:
    """A usefulness score (None when skipped) and a comment, cleaned."""

    usefulness: int | None
    comment: str


def problem(feedback: Feedback) -> tuple[str, str] | None:
    """The field at fault and what is wrong, in words for the person; None when it can be
    stored."""
    if feedback.usefulness is not None and feedback.usefulness not in USEFULNESS:
        return "usefulness", "Usefulness is a number from 1 to 5."
    if len(feedback.comment) > MAX_COMMENT:
        return "comment", f"Please keep the comment under {MAX_COMMENT} characters."
    return None


def feedback(usefulness: int | None, comment: str) -> Feedback:
    """Feedback as typed, with the comment cleaned of invisible and control characters."""
    return Feedback(usefulness=usefulness, comment=clean(comment))
