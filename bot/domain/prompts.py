"""The conversation-prompt library: topic files in `prompts/`, validated, and a fair rotation.

Each `prompts/<topic>.toml` file holds one topic and its prompts; `prompts/README.md` describes
the format. Two topics are special: `kickoff` (the first session) and `closing` (the last). They
are never offered in the intake survey and are only posted at their own stage of a round.

Rotation (`choose_prompt`) works on a pair's history of posted prompt ids:

1. Candidates are the prompts that fit the stage (`fits`): at `first`, kickoff prompts and topic
   prompts marked `first`; at `middle`, topic prompts marked `first` or `middle` (an opener is
   still a good conversation later on), never kickoff or closing; at `closing`, closing prompts
   and topic prompts marked `closing`.
2. Cycles: a candidate's use count is how often its id appears in the history. Only candidates
   with the lowest count (those not yet used in the current cycle) are eligible, so nothing
   repeats until every candidate has been used once, then twice, and so on.
3. Among eligible prompts, in order of preference: the stage's own session topic (kickoff at
   `first`, closing at `closing`), taken in file order because those prompts are a sequence;
   then topics in the pair's interests; then the topic used least so far (so the pair moves
   between topics instead of exhausting one); then prompts written for exactly this stage.
4. Remaining ties are broken by a hash of the seed, the cycle number and the prompt id: stable
   for a pair, different between pairs, reshuffled each cycle, independent of the order of the
   history and of the files.
"""

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

Stage = Literal["first", "middle", "closing"]
STAGES: Final[tuple[Stage, ...]] = ("first", "middle", "closing")

KICKOFF: Final = "kickoff"
CLOSING: Final = "closing"
# The session topic that owns a stage; its prompts are posted at that stage and no other.
SESSION_TOPICS: Final[Mapping[Stage, str]] = {"first": KICKOFF, "closing": CLOSING}

# Labels double as Slack select options (75 chars max); 40 keeps them readable in a narrow modal.
LABEL_MAX: Final = 40
# Descriptions may be shown as a Slack option description, which is also capped at 75.
DESCRIPTION_MAX: Final = 75
TEXT_MAX: Final = 600
FOLLOW_UP_MAX: Final = 200
FOLLOW_UPS_MAX: Final = 3
# Rounds of this many periods or more get two `first` periods: one kickoff session is not enough
# to settle goals, ground rules and working styles when the pair will meet for months.
LONG_ROUND: Final = 6


class LibraryError(ValueError):
    """A prompt library file is missing, unreadable or breaks a rule."""

    def __init__(self, file: str, problem: str, *, prompt: str | None = None) -> None:
        where = f"{file}: prompt {prompt!r}" if prompt else file
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.prompt = prompt
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Topic:
    """A conversation topic; selectable topics are offered in the intake survey."""

    id: str
    label: str
    description: str
    selectable: bool


@dataclass(frozen=True, slots=True)
class Prompt:
    """One conversation prompt: a question or small exercise for a 30–45 minute session."""

    id: str
    topic: str
    stage: Stage
    text: str
    follow_ups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    """All topics and prompts, in file order, with lookups by id."""

    topics: tuple[Topic, ...]
    prompts: tuple[Prompt, ...]
    _topics: dict[str, Topic] = field(init=False, repr=False, compare=False)
    _prompts: dict[str, Prompt] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        topics = {t.id: t for t in self.topics}
        prompts = {p.id: p for p in self.prompts}
        if len(topics) != len(self.topics) or len(prompts) != len(self.prompts):
            raise ValueError("topic and prompt ids must be unique")
        unknown = sorted({p.topic for p in self.prompts} - topics.keys())
        if unknown:
            raise ValueError(f"prompts refer to unknown topics: {', '.join(unknown)}")
        # Frozen, so the lookup tables are set past the dataclass guard.
        object.__setattr__(self, "_topics", topics)
        object.__setattr__(self, "_prompts", prompts)

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id (KeyError if there is none)."""
        return self._topics[topic_id]

    def prompt(self, prompt_id: str) -> Prompt:
        """The prompt with this id (KeyError if there is none, e.g. a retired prompt)."""
        return self._prompts[prompt_id]

    def has_prompt(self, prompt_id: str) -> bool:
        """Whether a prompt with this id is in the library."""
        return prompt_id in self._prompts

    def prompts_for(self, topic_id: str) -> tuple[Prompt, ...]:
        """The prompts of one topic, in file order."""
        return tuple(p for p in self.prompts if p.topic == topic_id)

    def selectable_topics(self) -> tuple[Topic, ...]:
        """The topics offered in the intake survey, sorted by label for a readable select."""
        return tuple(sorted((t for t in self.topics if t.selectable), key=lambda t: t.label))


def fits(prompt: Prompt, stage: Stage) -> bool:
    """Whether `prompt` may be posted at `stage` of a round (see the module docstring)."""
    if prompt.topic in SESSION_TOPICS.values():
        return prompt.stage == stage
    if stage == "middle":
        return prompt.stage in ("first", "middle")
    return prompt.stage == stage


def candidates(library: Library, stage: Stage) -> tuple[Prompt, ...]:
    """Every prompt in `library` that fits `stage`, in file order."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return tuple(p for p in library.prompts if fits(p, stage))


def choose_prompt(
    library: Library,
    *,
    used: Collection[str],
    interests: Collection[str],
    stage: Stage,
    seed: int | str,
) -> Prompt | None:
    """The next prompt for a pair, or None if nothing fits `stage`.

    `used` is the pair's history of posted prompt ids, with repeats (a list): repeats are how
    cycles are counted. A set also works but cannot tell a second cycle from the first.
    `interests` are topic ids the pair shares or wants to learn; `seed` is stable per pair.
    """
    pool = candidates(library, stage)
    if not pool:
        return None
    uses = Counter(used)
    topic_uses: Counter[str] = Counter()
    for p in pool:
        topic_uses[p.topic] += uses[p.id]
    cycle = min(uses[p.id] for p in pool)
    session_topic = SESSION_TOPICS.get(stage)
    wanted = frozenset(interests)
    # Position in file order, used only to keep kickoff and closing prompts in sequence.
    position = {p.id: i for i, p in enumerate(pool)}

    def rank(p: Prompt) -> tuple[int, bool, bool, int, bool, int, bytes]:
        in_session = p.topic == session_topic
        return (
            uses[p.id],
            not in_session,
            p.topic not in wanted,
            topic_uses[p.topic],
            p.stage != stage,
            position[p.id] if in_session else 0,
            _tiebreak(seed, cycle, p.id),
        )

    return min(pool, key=rank)


def stage_for(period_index: int, periods_in_round: int) -> Stage:
    """The stage of a period (0-based) in a round: first period(s), middle, last is closing.

    The first period is `first` (the first two in rounds of `LONG_ROUND` periods or more); the
    last is `closing`, and so is any period past the end, as an overrunning round is wrapping up.
    A one-period round is all kickoff: the round-end survey does the closing.
    """
    if periods_in_round < 1:
        raise ValueError(f"a round has at least one period, not {periods_in_round}")
    if period_index < 0:
        raise ValueError(f"period index must not be negative, not {period_index}")
    first_periods = 2 if periods_in_round >= LONG_ROUND else 1
    if period_index < first_periods and period_index < periods_in_round:
        return "first"
    if period_index >= periods_in_round - 1:
        return "closing"
    return "middle"


def _tiebreak(seed: int | str, cycle: int, prompt_id: str) -> bytes:
    # A cryptographic hash only for its even spread: Python's hash() of str is salted per run.
    return hashlib.sha256(f"{seed}\x1f{cycle}\x1f{prompt_id}".encode()).digest()
