"""Nothing of a body is read before its signature and timestamp are verified.

An unsigned body is refused with 401 whatever it holds (not UTF-8, deeply nested, cut short):
it is never decoded. A signed body too deep to parse is refused with 400; a body over the
limit with 413; none of them logs an ERROR line or changes anything.
"""

from urllib.parse import quote

import pytest

from bot.web import MAX_BODY_BYTES
from tests.fakeslack.driver import FORM, JSON
from tests.support.bot import Hostile
from tests.support.database import snapshot
from tests.support.logs import error_trap
from tests.support.participants import new_programme

DEEP = 100 * 1024  # 100 KB of "[": Python's parser gives up long before the end
NESTED = {
    "JSON event body": (b"[" * DEEP, JSON),
    "JSON object": (b'{"a":' * (DEEP // 5), JSON),
    "form payload": (b"payload=" + quote("[" * DEEP).encode(), FORM),
}
UNREADABLE = {
    **NESTED,
    "not UTF-8": (b"\xff\xfe\x00command", FORM),
    "JSON cut short": (b'{"type": "event_callback", "event": {', JSON),
}


@pytest.mark.parametrize("what", sorted(UNREADABLE))
def test_an_unsigned_body_is_refused_before_it_is_read(hostile: Hostile, what: str) -> None:
    body, content_type = UNREADABLE[what]
    new_programme(hostile.slack)
    hostile.settle()
    before = snapshot(hostile.runtime)
    with error_trap() as trap:
        response = hostile.slack.post_raw(body, content_type=content_type, sign=False)
        hostile.settle()
    assert response.status == 401, response
    assert snapshot(hostile.runtime) == before
    assert trap.summary() == []


@pytest.mark.parametrize("what", sorted(NESTED))
def test_a_signed_deeply_nested_body_gets_400(hostile: Hostile, what: str) -> None:
    body, content_type = NESTED[what]
    before = snapshot(hostile.runtime)
    with error_trap() as trap:
        response = hostile.slack.post_raw(body, content_type=content_type)
        hostile.settle()
    assert response.status == 400, response
    assert snapshot(hostile.runtime) == before
    assert trap.summary() == []


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_an_oversized_body_gets_413(hostile: Hostile, signed: bool) -> None:
    with error_trap() as trap:
        response = hostile.slack.post_raw(
            b"payload=" + b"[" * (MAX_BODY_BYTES + 1), content_type=FORM, sign=signed
        )
    assert response.status == 413, response
    assert trap.summary() == []


def test_a_signed_body_of_normal_depth_still_goes_through(hostile: Hostile) -> None:
    """The refusals above are about depth and signatures, not about JSON."""
    response = hostile.slack.url_verification("deep-enough")
    assert response.status == 200 and "deep-enough" in response.body
