"""Answer tables hold nothing that could point back to a person, a pair or a Slack id."""

from sqlalchemy import Date, inspect

from bot.store.db import make_engine

# Everything an anonymous answer may carry; a new column has to be argued for here.
ALLOWED = {
    "checkin_answers": {
        "id",
        "team_id",
        "programme_id",
        "side",
        "week",
        "met",
        "usefulness",
        "comment",
    },
    "closing_answers": {
        "id",
        "team_id",
        "programme_id",
        "side",
        "week",
        "choice",
        "usefulness",
        "comment",
    },
    # Waiting for its period to close: no request, person, time, nor sequence (random id); only
    # whether its block was mixed since it was cast.
    "ballots": {
        "id",
        "team_id",
        "programme_id",
        "kind",
        "period",
        "side",
        "met",
        "choice",
        "usefulness",
        "comment",
        "fresh",
    },
}
IDENTIFYING = (
    "user",
    "pair",
    "slack",
    "channel",
    "member",
    "mentor",
    "mentee",
    "person",
    "request",
)


def test_answer_tables_hold_no_person_pair_or_slack_id(database_url: str) -> None:
    engine = make_engine(database_url)
    inspector = inspect(engine)
    for table, allowed in ALLOWED.items():
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        assert set(columns) == allowed, table
        assert not [name for name in columns if any(word in name for word in IDENTIFYING)]
        # No fine timestamp: the week is a date, and nothing else holds a time.
        times = [n for n, c in columns.items() if "TIME" in str(c["type"]).upper()]
        day = columns.get("week") or columns["period"]
        assert times == [] and isinstance(day["type"], Date), table
        assert str(columns["id"]["type"]).upper().startswith("VARCHAR"), table  # no sequence
        keys = inspector.get_foreign_keys(table)
        assert {k["referred_table"] for k in keys} <= {"programmes", "rounds"}, table
    engine.dispose()
