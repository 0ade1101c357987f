"""Built-in copy follows the programme: its kind, its role words with the right article, and
labels that tell the truth about what is required."""

from bot.domain.states import Kind, Side
from bot.flows.participants import Status
from bot.slack.home import home_view
from bot.slack.participants.survey import side_words
from bot.store.models import Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import ALICE
from tests.support.participants import new_programme, open_survey


def test_role_words_take_the_right_article() -> None:
    words = side_words(Programme(share_word="explorer", learn_word="guide"))
    assert words[Side.SHARE] == "Share what I know (be an explorer)"
    assert words[Side.LEARN] == "Learn from a colleague (be a guide)"


def test_the_app_home_describes_the_kind_of_the_persons_programme() -> None:
    def home_text(kind: Kind | None) -> str:
        programme = None if kind is None else Programme(kind=kind, name="Spring")
        view = home_view(Status(participant=None, programme=programme), can_join=False)
        return str(view.to_dict()["blocks"][:2])

    assert "a junior colleague, who mentors" in home_text(Kind.REVERSE)
    assert "a junior colleague, who mentors" in home_text(None)  # Upward's own kind
    traditional = home_text(Kind.TRADITIONAL)
    assert "an experienced colleague, who mentors" in traditional
    assert "junior colleague, who mentors" not in traditional
    assert "learn from each other" in home_text(Kind.PEER)


def test_the_ground_rules_are_not_labelled_optional(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    new_programme(slack)
    view = open_survey(slack, fake_slack).args["view"]
    (rules,) = [b for b in view["blocks"] if b.get("block_id") == "ground_rules"]
    assert not rules.get("optional", False)  # Slack adds "(optional)" to optional inputs
