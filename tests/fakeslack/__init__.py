"""A fake Slack for tests: the Web API the bot calls, and a driver that plays Slack's requests."""

from tests.fakeslack.driver import Response, SlackDriver
from tests.fakeslack.server import FakeSlack
from tests.fakeslack.state import Call, Upload

__all__ = ["Call", "FakeSlack", "Response", "SlackDriver", "Upload"]
