"""The one reader of a submitted modal: what each input holds, read calmly whatever was sent.

Every input of Upward's modals uses its block id as its action id too. Odd values (a missing
block, a list where an object belongs) read as empty, so the validation that follows reports them
as the person would see them: a required field left empty, or an option that does not exist.
"""

import json
from dataclasses import dataclass
from datetime import date, time
from typing import Any

NOBODY = "?"  # what a malformed user list reads as: no user id has this shape


@dataclass(frozen=True)
class ViewState:
    """The state and private metadata of a submitted view."""

    values: dict[str, Any]
    metadata: str

    @classmethod
    def of(cls, view: dict[str, Any]) -> "ViewState":
        """Read a view from a `view_submission` payload."""
        state = view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        return cls(
            values=values if isinstance(values, dict) else {},
            metadata=str(view.get("private_metadata") or ""),
        )

    def has(self, block_id: str) -> bool:
        """Whether the modal had this input at all."""
        return block_id in self.values

    def _element(self, block_id: str) -> dict[str, Any]:
        block = self.values.get(block_id)
        element = block.get(block_id) if isinstance(block, dict) else None
        return element if isinstance(element, dict) else {}

    def text(self, block_id: str) -> str:
        """What was typed into a text input ("" when nothing was)."""
        value = self._element(block_id).get("value")
        return value if isinstance(value, str) else ""

    def selected(self, block_id: str) -> str:
        """The value of the chosen option of a select or radio buttons ("" when none)."""
        option = self._element(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, dict) else None
        return value if isinstance(value, str) else ""

    def selected_many(self, block_id: str) -> tuple[str, ...]:
        """The values of the ticked checkboxes or chosen options of a multi-select."""
        options = self._element(block_id).get("selected_options")
        if not isinstance(options, list):
            return ()
        values = (o.get("value") if isinstance(o, dict) else None for o in options)
        return tuple(v for v in values if isinstance(v, str))

    def user(self, block_id: str) -> str | None:
        """The user chosen in a user select (an odd value reads as NOBODY, refused later)."""
        value = self._element(block_id).get("selected_user")
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else NOBODY

    def users(self, block_id: str) -> list[str]:
        """The users chosen in a multi-user select.

        Anything but a list of strings reads as one entry that names nobody, so the check of
        the ids refuses it instead of reading text letter by letter or dropping part of it.
        """
        value = self._element(block_id).get("selected_users")
        if value is None:
            return []
        if isinstance(value, list) and all(isinstance(u, str) for u in value):
            return value
        return [NOBODY]

    def conversation(self, block_id: str) -> str:
        """The conversation chosen in a conversations select ("" when none)."""
        value = self._element(block_id).get("selected_conversation")
        return value if isinstance(value, str) else ""

    def day(self, block_id: str) -> date | None:
        """The date picked; `date.min` for one that is not a date (reported as in the past)."""
        value = self._element(block_id).get("selected_date")
        if not isinstance(value, str) or not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            return date.min

    def file_ids(self, block_id: str) -> tuple[str, ...]:
        """The ids of the files chosen in a file input (odd entries are left out)."""
        files = self._element(block_id).get("files")
        if not isinstance(files, list):
            return ()
        ids = (f.get("id") if isinstance(f, dict) else None for f in files)
        return tuple(i for i in ids if isinstance(i, str))

    def clock_time(self, block_id: str) -> time | None:
        """The time picked ("HH:MM"); None when none was, or it is not a time."""
        value = self._element(block_id).get("selected_time")
        if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
            return None
        try:
            return time.fromisoformat(value)
        except ValueError:
            return None

    def metadata_field(self, key: str) -> object:
        """One field of JSON private metadata (None when the metadata is not such an object)."""
        try:
            parsed = json.loads(self.metadata or "{}")
        except ValueError:
            return None
        return parsed.get(key) if isinstance(parsed, dict) else None
