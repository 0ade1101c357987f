"""The owners' chart: participation and meetings week by week, as a PNG (matplotlib, Agg)."""

import io
from datetime import date

import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from bot.domain.anonymity import Breakdown
from bot.domain.stats import Figures

SERIES = (
    ("Sign-ups (people still in)", "signups", "o-"),
    ("Check-ins answered", "checkins", "s-"),
    ("Active pairs", "meetings", "^-"),
)


def _points(series: Breakdown[date]) -> tuple[npt.NDArray[np.datetime64], list[float]]:
    """Every week, with withheld weeks as gaps (NaN breaks the line there)."""
    weeks = np.array([week for week, _ in series.groups], dtype="datetime64[D]")
    values = [float("nan") if value is None else float(value) for _, value in series.groups]
    return weeks, values


def weekly_chart(figures: Figures) -> bytes:
    """A PNG of the weekly series; weeks resting on small groups are left out."""
    buffer = io.BytesIO()
    draw(figures).savefig(buffer, format="png")
    return buffer.getvalue()


def draw(figures: Figures) -> Figure:
    """The chart itself, to render or to inspect."""
    # A Figure with its own Agg canvas keeps no global pyplot state, so threads can draw at once.
    chart = Figure(figsize=(10, 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(chart)
    axes = chart.add_subplot()
    drawn: list[np.datetime64] = []
    for label, name, style in SERIES:
        weeks, values = _points(getattr(figures.weekly, name))
        shown = [w for w, v in zip(weeks, values, strict=True) if not np.isnan(v)]
        if shown:  # a series with nothing released is left out, legend and all
            axes.plot(weeks, values, style, label=label)
            drawn += shown
    plotted = bool(drawn)
    axes.set_title(f"{figures.name}: participation by period")
    axes.set_ylabel("people, answers or pairs")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    if plotted:
        # The programme's own dates, each tick dated with its year: never an empty, wide axis.
        first, last = min(drawn), max(drawn)
        margin = np.timedelta64(3, "D")
        axes.set_xlim(first - margin, last + margin)  # type: ignore[arg-type]
        locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DateFormatter("%d %b %Y"))  # type: ignore[no-untyped-call]
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    else:
        axes.text(0.5, 0.5, "Nothing to show yet", ha="center", va="center")
    axes.set_xlabel(
        f"Period starting. Only closed periods resting on at least {figures.minimum} people "
        "are drawn.",
        fontsize=8,
    )
    return chart
