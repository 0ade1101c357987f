"""Errors a person can be told about: the message is written for them."""


class Refusal(Exception):
    """A request that cannot be done as asked; `str(error)` is a friendly, complete reply.

    `field` names the input at fault, where there is one (a form shows the reply under it).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
