"""The prompt library: the shipped files validate, broken files are refused, rotation is fair."""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.prompt_files import PROMPTS_DIR, default_library, load_library
from bot.domain.prompts import (
    CLOSING,
    KICKOFF,
    STAGES,
    Library,
    LibraryError,
    Prompt,
    Stage,
    Topic,
    candidates,
    choose_prompt,
    fits,
    stage_for,
)

# Topic ids are stored in participants' survey answers: renaming one silently loses data.
EXPECTED_TOPICS = {
    "kickoff",
    "closing",
    "digital_tools",
    "future_of_work",
    "younger_values",
    "attract_retain",
    "recruitment",
    "office_politics",
    "relationship_building",
    "company_history",
    "leadership",
    "career_development",
    "remote_hybrid",
    "diversity_inclusion",
    "current_trends",
    "co_creation",
}
SESSION = {KICKOFF, CLOSING}
SLACK_SECTION_MAX = 3000
SLACK_OPTION_MAX = 75

LIBRARY = default_library()
SELECTABLE_IDS = sorted(t.id for t in LIBRARY.selectable_topics())


def render(prompt: Prompt) -> str:
    """The prompt as a section's text, roughly as the bot posts it (text plus bullets)."""
    return "\n".join([prompt.text, *(f"• {f}" for f in prompt.follow_ups)])


# --- the shipped library -------------------------------------------------------------------


def test_shipped_library_has_the_expected_topics() -> None:
    assert {t.id for t in LIBRARY.topics} == EXPECTED_TOPICS
    assert {t.id for t in LIBRARY.selectable_topics()} == EXPECTED_TOPICS - SESSION
    assert not LIBRARY.topic(KICKOFF).selectable
    assert not LIBRARY.topic(CLOSING).selectable


def test_shipped_library_has_enough_prompts_per_topic() -> None:
    counts = Counter(p.topic for p in LIBRARY.prompts)
    assert sum(n for topic, n in counts.items() if topic not in SESSION) >= 80
    assert counts[KICKOFF] >= 3
    assert counts[CLOSING] >= 3
    for topic in EXPECTED_TOPICS - SESSION:
        assert 5 <= counts[topic] <= 8, topic
        # Every topic must be reachable in the middle of a round, not only at its edges.
        assert any(fits(p, "middle") for p in LIBRARY.prompts_for(topic)), topic


def test_shipped_ids_are_unique_and_prefixed_by_their_topic() -> None:
    ids = [p.id for p in LIBRARY.prompts]
    assert len(ids) == len(set(ids))
    known = {t.id for t in LIBRARY.topics}
    for p in LIBRARY.prompts:
        assert p.topic in known
        assert p.id.startswith(p.topic + ".")


def test_shipped_text_fits_slack() -> None:
    for topic in LIBRARY.topics:
        assert 0 < len(topic.label) <= min(40, SLACK_OPTION_MAX), topic.id
        assert 0 < len(topic.description) <= SLACK_OPTION_MAX, topic.id
    for p in LIBRARY.prompts:
        assert len(p.text) <= 600, p.id
        assert len(render(p)) <= SLACK_SECTION_MAX, p.id
        assert len(p.follow_ups) <= 3, p.id
        assert all(len(f) <= 200 for f in p.follow_ups), p.id
        assert not re.search(r"[<>]", render(p)), p.id


def test_shipped_prompts_read_well() -> None:
    for p in LIBRARY.prompts:
        # Programmes rename the roles, and some avoid these words on purpose.
        assert not re.search(r"\bment(or|ee)", render(p), re.IGNORECASE), p.id
        assert p.text[-1] in ".?!", p.id
        assert all(f.endswith("?") for f in p.follow_ups), p.id
        assert "  " not in p.text, p.id


def test_session_topics_own_their_stage() -> None:
    assert all(p.stage == "first" for p in LIBRARY.prompts_for(KICKOFF))
    assert all(p.stage == "closing" for p in LIBRARY.prompts_for(CLOSING))
    middle = candidates(LIBRARY, "middle")
    assert middle
    assert not [p for p in middle if p.topic in SESSION]


def test_default_library_is_cached_and_matches_the_files() -> None:
    assert default_library() is default_library()
    assert load_library(PROMPTS_DIR) == default_library()


def test_library_lookups() -> None:
    assert LIBRARY.topic("leadership").label == "Leadership"
    first = LIBRARY.prompts[0]
    assert LIBRARY.prompt(first.id) is first
    assert LIBRARY.has_prompt(first.id)
    assert not LIBRARY.has_prompt("leadership.retired-long-ago")
    with pytest.raises(KeyError):
        LIBRARY.topic("astrology")
    labels = [t.label for t in LIBRARY.selectable_topics()]
    assert labels == sorted(labels)


def test_library_refuses_inconsistent_contents() -> None:
    topic = Topic("a", "A", "About a.", True)
    prompt = Prompt("a.one", "a", "middle", "Text.")
    with pytest.raises(ValueError, match="unique"):
        Library((topic,), (prompt, prompt))
    with pytest.raises(ValueError, match="unknown topics: b"):
        Library((topic,), (Prompt("b.one", "b", "middle", "Text."),))


# --- broken libraries ------------------------------------------------------------------------


def toml_value(value: object) -> str:
    """Just enough TOML for the test files: strings, booleans and lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def good_topic(topic_id: str = "alpha") -> dict[str, Any]:
    """A valid topic file's contents, for tests to break one thing at a time."""
    return {
        "id": topic_id,
        "label": "Alpha",
        "description": "A topic for tests.",
        "selectable": topic_id not in SESSION,
        "prompts": [
            {
                "id": f"{topic_id}.one",
                "stage": {KICKOFF: "first", CLOSING: "closing"}.get(topic_id, "middle"),
                "text": "  Talk about alpha.  ",
                "follow_ups": ["Why?"],
            },
            {
                "id": f"{topic_id}.two",
                "stage": "closing" if topic_id == CLOSING else "first",
                "text": "Try alpha.",
            },
        ],
    }


def write_topic(directory: Path, topic: dict[str, Any], name: str | None = None) -> Path:
    """Write `topic` as `<id>.toml` (or `name`) in `directory`."""
    lines = [f"{k} = {toml_value(v)}" for k, v in topic.items() if k != "prompts"]
    for prompt in topic.get("prompts", []):
        lines += ["", "[[prompts]]", *(f"{k} = {toml_value(v)}" for k, v in prompt.items())]
    path = directory / (name or f"{topic['id']}.toml")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_good_library_loads(tmp_path: Path) -> None:
    write_topic(tmp_path, good_topic("alpha"))
    write_topic(tmp_path, good_topic(KICKOFF))
    (tmp_path / "README.md").write_text("not a topic", encoding="utf-8")
    library = load_library(tmp_path)
    assert [t.id for t in library.topics] == ["alpha", KICKOFF]
    assert library.prompt("alpha.one") == Prompt(
        "alpha.one", "alpha", "middle", "Talk about alpha.", ("Why?",)
    )
    assert library.prompt("alpha.two").follow_ups == ()
    assert [t.id for t in library.selectable_topics()] == ["alpha"]


def break_prompt(**change: object) -> dict[str, Any]:
    topic = good_topic()
    topic["prompts"][0].update(change)
    return topic


BROKEN: dict[str, tuple[dict[str, Any], str | None, str]] = {
    "duplicated id": (
        {**good_topic(), "prompts": [good_topic()["prompts"][0]] * 2},
        "alpha.one",
        "duplicate prompt id",
    ),
    "unknown stage": (break_prompt(stage="later"), "alpha.one", "unknown stage 'later'"),
    "over-long text": (
        break_prompt(text="x" * 601),
        "alpha.one",
        "601 characters; the limit is 600",
    ),
    "empty text": (break_prompt(text="   "), "alpha.one", "text must be non-empty"),
    "over-long follow-up": (break_prompt(follow_ups=["y" * 201]), "alpha.one", "the limit is 200"),
    "too many follow-ups": (break_prompt(follow_ups=["a?"] * 4), "alpha.one", "at most 3"),
    "slack markup": (break_prompt(text="Hi <!channel>"), "alpha.one", "must not contain '<'"),
    "foreign prefix": (break_prompt(id="beta.one"), "beta.one", "id must be 'alpha.<short-slug>'"),
    "bad slug": (break_prompt(id="alpha.One_Two"), "alpha.One_Two", "id must be"),
    "typo key": (break_prompt(follow_up=["x?"]), "alpha.one", "unknown key(s): follow_up"),
    "missing text": (
        {**good_topic(), "prompts": [{"id": "alpha.one", "stage": "middle"}]},
        "alpha.one",
        "missing key(s): text",
    ),
    "long label": ({**good_topic(), "label": "L" * 41}, None, "label is 41 characters"),
    "two-line description": ({**good_topic(), "description": "a\nb"}, None, "single line"),
    "no prompts": ({**good_topic(), "prompts": []}, None, "at least one [[prompts]]"),
    "selectable not bool": ({**good_topic(), "selectable": "yes"}, None, "true or false"),
    "bad topic id": ({**good_topic(), "id": "Alpha Topic"}, None, "must be snake_case"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_library_names_file_prompt_and_problem(tmp_path: Path, case: str) -> None:
    topic, prompt_id, problem = BROKEN[case]
    write_topic(tmp_path, good_topic("beta"))
    write_topic(tmp_path, topic, name="alpha.toml")
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path)
    message = str(caught.value)
    assert message.startswith("alpha.toml: ")
    assert problem in message
    assert caught.value.file == "alpha.toml"
    assert caught.value.prompt == prompt_id
    if prompt_id:
        assert f"prompt {prompt_id!r}" in message


def test_topic_id_must_match_file_name(tmp_path: Path) -> None:
    write_topic(tmp_path, good_topic("alpha"), name="beta.toml")
    with pytest.raises(LibraryError, match=r"beta\.toml: topic id 'alpha' must match the file"):
        load_library(tmp_path)


def test_session_topics_are_not_selectable_and_keep_their_stage(tmp_path: Path) -> None:
    write_topic(tmp_path, {**good_topic(KICKOFF), "selectable": True})
    with pytest.raises(
        LibraryError, match="kickoff.toml: the 'kickoff' topic cannot be selectable"
    ):
        load_library(tmp_path)
    closing = good_topic(CLOSING)
    closing["prompts"][0]["stage"] = "middle"
    (tmp_path / "kickoff.toml").unlink()
    write_topic(tmp_path, closing)
    with pytest.raises(LibraryError, match="closing prompts must have stage 'closing'"):
        load_library(tmp_path)


def test_unreadable_and_missing_libraries(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="holds no topic files"):
        load_library(tmp_path)
    with pytest.raises(LibraryError, match="is not a directory"):
        load_library(tmp_path / "nowhere")
    (tmp_path / "alpha.toml").write_text('id = "alpha"\nlabel = ', encoding="utf-8")
    with pytest.raises(LibraryError, match=r"alpha\.toml: cannot be read"):
        load_library(tmp_path)


# --- rotation --------------------------------------------------------------------------------

TOY_TOPICS = ("a", "b", "c", "d")


@st.composite
def libraries(draw: st.DrawFn) -> Library:
    """Small libraries with any mix of topics and stages, kickoff and closing included."""
    topic_ids = [*draw(st.lists(st.sampled_from(TOY_TOPICS), unique=True)), KICKOFF, CLOSING]
    prompts: list[Prompt] = []
    for topic in topic_ids:
        for n in range(draw(st.integers(min_value=0, max_value=5))):
            if topic == KICKOFF:
                stage: Stage = "first"
            elif topic == CLOSING:
                stage = "closing"
            else:
                stage = draw(st.sampled_from(STAGES))
            prompts.append(Prompt(f"{topic}.p{n}", topic, stage, "Text."))
    topics = tuple(Topic(t, t.upper(), "Test topic.", t not in SESSION) for t in topic_ids)
    return Library(topics, tuple(prompts))


any_library = st.one_of(st.just(LIBRARY), libraries())
seeds = st.one_of(st.integers(), st.text(max_size=12))
interest_sets = st.sets(st.sampled_from([*SELECTABLE_IDS, *TOY_TOPICS]), max_size=4)


def run(
    library: Library, picks: int, *, stage: Stage, seed: int | str, interests: set[str]
) -> list[Prompt]:
    """Pick `picks` prompts in a row, feeding each pick back into the history."""
    used: list[str] = []
    chosen: list[Prompt] = []
    for _ in range(picks):
        prompt = choose_prompt(library, used=used, interests=interests, stage=stage, seed=seed)
        assert prompt is not None
        used.append(prompt.id)
        chosen.append(prompt)
    return chosen


@settings(max_examples=60, deadline=None)
@given(
    library=any_library,
    stage=st.sampled_from(STAGES),
    seed=seeds,
    interests=interest_sets,
    cycles=st.integers(min_value=1, max_value=3),
)
def test_no_prompt_repeats_until_every_fitting_one_was_used(
    library: Library, stage: Stage, seed: int | str, interests: set[str], cycles: int
) -> None:
    pool = sorted(p.id for p in candidates(library, stage))
    if not pool:
        assert choose_prompt(library, used=[], interests=interests, stage=stage, seed=seed) is None
        return
    picks = run(library, cycles * len(pool), stage=stage, seed=seed, interests=interests)
    for cycle in range(cycles):
        window = picks[cycle * len(pool) : (cycle + 1) * len(pool)]
        assert sorted(p.id for p in window) == pool
    assert all(fits(p, stage) for p in picks)


@settings(deadline=None)
@given(
    library=any_library,
    stage=st.sampled_from(STAGES),
    seed=seeds,
    history=st.lists(st.integers(min_value=0, max_value=200), max_size=60),
)
def test_the_pick_is_always_among_the_least_used(
    library: Library, stage: Stage, seed: int | str, history: list[int]
) -> None:
    ids = [p.id for p in library.prompts] + ["retired.prompt"]
    used = [ids[i % len(ids)] for i in history]
    prompt = choose_prompt(library, used=used, interests=(), stage=stage, seed=seed)
    pool = candidates(library, stage)
    if not pool:
        assert prompt is None
        return
    assert prompt is not None
    uses = Counter(used)
    assert uses[prompt.id] == min(uses[p.id] for p in pool)


@settings(deadline=None)
@given(
    seed=seeds,
    interests=st.sets(st.sampled_from(SELECTABLE_IDS), min_size=1, max_size=4),
)
def test_interests_are_preferred_while_they_last(seed: int | str, interests: set[str]) -> None:
    pool = candidates(LIBRARY, "middle")
    wanted = sum(p.topic in interests for p in pool)
    picks = run(LIBRARY, len(pool), stage="middle", seed=seed, interests=interests)
    assert all(p.topic in interests for p in picks[:wanted])
    assert not any(p.topic in interests for p in picks[wanted:])
    # The pair moves between its topics instead of using one up first.
    assert {p.topic for p in picks[: len(interests)]} == interests


def test_without_interests_the_pair_tours_every_topic() -> None:
    picks = run(LIBRARY, len(SELECTABLE_IDS), stage="middle", seed="pair-1", interests=set())
    assert sorted(p.topic for p in picks) == SELECTABLE_IDS


@settings(deadline=None)
@given(
    library=any_library,
    stage=st.sampled_from(STAGES),
    seed=seeds,
    interests=interest_sets,
    data=st.data(),
)
def test_choice_is_deterministic_and_ignores_history_order(
    library: Library, stage: Stage, seed: int | str, interests: set[str], data: st.DataObject
) -> None:
    ids = [p.id for p in library.prompts]
    used = data.draw(st.lists(st.sampled_from(ids), max_size=20)) if ids else []
    shuffled = data.draw(st.permutations(used))
    first = choose_prompt(library, used=used, interests=interests, stage=stage, seed=seed)
    again = choose_prompt(library, used=shuffled, interests=interests, stage=stage, seed=seed)
    assert first == again
    as_tuple = choose_prompt(
        library, used=tuple(used), interests=frozenset(interests), stage=stage, seed=seed
    )
    assert as_tuple == first


def test_different_pairs_get_different_orders() -> None:
    orders = {
        tuple(p.id for p in run(LIBRARY, 5, stage="middle", seed=seed, interests=set()))
        for seed in range(10)
    }
    assert len(orders) > 1
    # The same pair always gets the same order.
    assert run(LIBRARY, 5, stage="middle", seed=7, interests=set()) == run(
        LIBRARY, 5, stage="middle", seed=7, interests=set()
    )


@pytest.mark.parametrize(("stage", "topic"), [("first", KICKOFF), ("closing", CLOSING)])
def test_session_prompts_come_first_and_in_file_order(stage: Stage, topic: str) -> None:
    session = LIBRARY.prompts_for(topic)
    for seed in ("pair-1", "pair-2", 3):
        picks = run(LIBRARY, len(session), stage=stage, seed=seed, interests={"leadership"})
        assert picks == list(session)
    # Once the session prompts are used, the stage's topic prompts follow.
    pool = candidates(LIBRARY, stage)
    rest = run(LIBRARY, len(pool), stage=stage, seed=1, interests=set())[len(session) :]
    assert rest
    assert all(p.topic not in SESSION and p.stage == stage for p in rest)


def test_middle_stage_never_uses_session_topics() -> None:
    picks = run(LIBRARY, 200, stage="middle", seed="pair", interests={KICKOFF, CLOSING})
    assert not [p for p in picks if p.topic in SESSION]


def test_middle_prefers_prompts_written_for_the_middle() -> None:
    # The only difference between the two prompts is their stage.
    topics = (Topic("a", "A", "A.", True),)
    prompts = (Prompt("a.opener", "a", "first", "T."), Prompt("a.body", "a", "middle", "T."))
    library = Library(topics, prompts)
    for seed in range(20):
        pick = choose_prompt(library, used=[], interests=(), stage="middle", seed=seed)
        assert pick is not None
        assert pick.id == "a.body"


def test_choose_prompt_refuses_an_unknown_stage() -> None:
    with pytest.raises(ValueError, match="unknown stage"):
        choose_prompt(LIBRARY, used=[], interests=[], stage="later", seed=1)  # type: ignore[arg-type]


def test_history_may_name_retired_prompts() -> None:
    used = ["digital_tools.retired", "nowhere.at-all"]
    assert choose_prompt(LIBRARY, used=used, interests=[], stage="middle", seed=1) == choose_prompt(
        LIBRARY, used=[], interests=[], stage="middle", seed=1
    )


# --- stages of a round -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        (1, ["first"]),
        (2, ["first", "closing"]),
        (3, ["first", "middle", "closing"]),
        (5, ["first", "middle", "middle", "middle", "closing"]),
        (6, ["first", "first", "middle", "middle", "middle", "closing"]),
    ],
)
def test_stage_for_a_round(periods: int, expected: list[Stage]) -> None:
    assert [stage_for(i, periods) for i in range(periods)] == expected


@given(periods=st.integers(min_value=1, max_value=60), overrun=st.integers(0, 5))
def test_stages_run_first_then_middle_then_closing(periods: int, overrun: int) -> None:
    stages = [stage_for(i, periods) for i in range(periods)]
    assert stages[0] == "first"
    assert stages.count("first") in (1, 2)
    if periods > 1:
        assert stages[-1] == "closing"
        assert stages.count("closing") == 1
    assert stages == sorted(stages, key=STAGES.index)
    if overrun:
        assert stage_for(periods - 1 + overrun, periods) == "closing"


def test_stage_for_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        stage_for(0, 0)
    with pytest.raises(ValueError):
        stage_for(-1, 4)
