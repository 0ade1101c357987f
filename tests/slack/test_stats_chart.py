"""The owners' chart and CSV read well: the programme's own dates, only what is drawn, its words."""

from datetime import date
from random import Random

import numpy as np
from matplotlib.dates import num2date

from bot.flows import stats as stats_flow
from bot.runtime import Runtime
from bot.slack.stats import charts, export
from tests.support.constants import OWNER, TEAM_ID
from tests.support.stats import NOW, new_programme, seed


def report(runtime: Runtime) -> stats_flow.Report:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        programme.share_word, programme.learn_word = "guide", "explorer"
        seed(session, programme)
    with runtime.sessions.begin() as session:
        return stats_flow.report(
            session=session,
            team_id=TEAM_ID,
            user_id=OWNER,
            name="",
            now=NOW,
            rng=Random(1),
            configured_owners=[OWNER],
        )


def test_the_chart_spans_the_programmes_own_dates_and_draws_only_what_it_has(
    runtime: Runtime,
) -> None:
    figures = report(runtime).figures
    axes = charts.draw(figures).axes[0]
    drawn = [line for line in axes.get_lines() if not str(line.get_label()).startswith("_")]
    assert drawn, "the seeded programme has released figures to draw"
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [line.get_label() for line in drawn]
    days = sorted(
        date.fromisoformat(str(d)[:10])
        for line in drawn
        for d in np.asarray(line.get_xdata(), dtype="datetime64[D]")
    )
    low, high = (num2date(x).date() for x in axes.get_xlim())  # type: ignore[no-untyped-call]
    assert low <= days[0] and days[-1] <= high
    assert (high - low).days <= (days[-1] - days[0]).days + 7  # no years-wide axis
    assert all(str(NOW.year) in t.get_text() or not t.get_text() for t in axes.get_xticklabels())


def test_nothing_released_draws_nothing_and_says_so(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        new_programme(session, "Empty")
    with runtime.sessions.begin() as session:
        figures = stats_flow.report(
            session=session,
            team_id=TEAM_ID,
            user_id=OWNER,
            name="",
            now=NOW,
            rng=Random(1),
            configured_owners=[OWNER],
        ).figures
    axes = charts.draw(figures).axes[0]
    assert axes.get_legend() is None
    assert "Nothing to show yet" in [t.get_text() for t in axes.texts]


def test_the_csv_uses_the_programmes_words(runtime: Runtime) -> None:
    text = export.csv_bytes(report(runtime)).decode()
    assert "guide" in text
    assert "new_partner" not in text and ",share," not in text and ",learn," not in text
