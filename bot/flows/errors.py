"""Errors a person can be told about: the message is written for them."""


class Refusal(Exception):
    """A request that cannot be done as asked; `str(error)` is a friendly, complete reply."""
