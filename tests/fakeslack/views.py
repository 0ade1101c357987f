"""Modals and the Home tab: triggers, views.open, push, update, publish, and what a user does."""

import copy
import secrets
import time
from collections.abc import Iterable
from typing import Any

from tests.fakeslack.blocks import view_problems, with_block_ids
from tests.fakeslack.state import USER_ID, SlackError, SlackState, Trigger

TRIGGER_TTL = 3.0  # seconds, as on Slack: a bot that dawdles before views.open must fail here too
PUSH_LIMIT = 3


class ViewMethods(SlackState):
    """Views as Slack holds them, keyed by view id, with each modal's stack."""

    def issue_trigger_id(self, *, view_id: str | None = None) -> str:
        """A fresh trigger_id, as Slack sends with an interaction (from a modal when view_id)."""
        with self._lock:
            trigger_id = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = Trigger(issued_at=time.time(), view_id=view_id)
            return trigger_id

    def open_modals(self, view_id: str) -> list[str]:
        """The stack of modal view ids that ``view_id`` belongs to (empty once closed)."""
        with self._lock:
            root = self._views.get(view_id, {}).get("root_view_id")
            return list(self._stacks.get(root, [])) if isinstance(root, str) else []

    # -- views as the user sees them (driven by SlackDriver) -----------------------------------

    def view(self, view_id: str) -> dict[str, Any]:
        """The view Slack holds under ``view_id``; AssertionError when there is none."""
        with self._lock:
            if view_id not in self._views:
                raise AssertionError(f"no view {view_id!r}; known views: {sorted(self._views)}")
            return copy.deepcopy(self._views[view_id])

    def apply_view_response(self, view_id: str, body: dict[str, Any]) -> None:
        """Do what Slack does with a view_submission acknowledgement (close, update, push…)."""
        action = body.get("response_action")
        with self._changed:
            if action is None:
                self._close_view(view_id)
            elif action == "clear":
                self._clear_stack(view_id)
            elif action in ("update", "push"):
                problems = view_problems(body.get("view"), kinds=["modal"])
                if problems:
                    raise AssertionError(f"Slack would refuse the {action} view: {problems}")
                if action == "update":
                    self._replace_view(view_id, body["view"])
                else:
                    self._push_view(view_id, body["view"])
            elif action == "errors":
                self._check_error_keys(view_id, body.get("errors"))
            else:
                raise AssertionError(f"Slack does not know response_action {action!r}")
            self._changed.notify_all()

    def _check_error_keys(self, view_id: str, errors: Any) -> None:
        inputs = {b.get("block_id") for b in self._views[view_id]["blocks"] if b["type"] == "input"}
        if not isinstance(errors, dict) or not errors or not set(errors) <= inputs:
            raise AssertionError(f"errors must name input blocks {sorted(inputs)}: {errors!r}")

    # -- views.* -------------------------------------------------------------------------------

    def _check_view(self, view: Any, *, kinds: Iterable[str]) -> dict[str, Any]:
        if isinstance(view, str):
            raise SlackError("invalid_arguments", "view is not valid JSON [json-pointer:/view]")
        problems = view_problems(view, kinds=kinds)
        if problems:
            if any("250kb" in p for p in problems):
                raise SlackError("view_too_large")
            raise SlackError("invalid_arguments", *problems)
        assert isinstance(view, dict)
        return view

    def _valid_trigger(self, trigger_id: Any) -> Trigger:
        trigger = self._triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise SlackError("invalid_trigger_id", f"unknown trigger_id {trigger_id!r}")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if time.time() - trigger.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        return trigger

    def _check_external_id(self, view: dict[str, Any], *, replacing: str | None = None) -> None:
        external_id = view.get("external_id")
        if not external_id:
            return
        for view_id, known in self._views.items():
            if known.get("external_id") == external_id and view_id != replacing:
                raise SlackError("duplicate_external_id")

    def _store_view(
        self, view: dict[str, Any], *, view_id: str, root: str, previous: str | None
    ) -> dict[str, Any]:
        stored = {
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": self.team_id,
            "blocks": with_block_ids(view["blocks"]),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": self._new_hash(),
            "root_view_id": root,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _method_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._valid_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view = self._check_view(args["view"], kinds=["modal"])
        self._check_external_id(view)
        trigger.used = True
        view_id = self._new_id("V")
        self._stacks[view_id] = [view_id]
        return {"view": self._store_view(view, view_id=view_id, root=view_id, previous=None)}

    def _method_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._valid_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view = self._check_view(args["view"], kinds=["modal"])
        self._check_external_id(view)
        if trigger.view_id is None or not self.open_modals(trigger.view_id):
            raise SlackError("not_found", "views.push needs a trigger_id from an open modal")
        if len(self.open_modals(trigger.view_id)) >= PUSH_LIMIT:
            raise SlackError("push_limit_reached")
        trigger.used = True
        return {"view": self._push_view(trigger.view_id, view)}

    def _push_view(self, from_view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        root = self._views[from_view_id]["root_view_id"]
        stack = self._stacks[root]
        view_id = self._new_id("V")
        stored = self._store_view(view, view_id=view_id, root=root, previous=stack[-1])
        stack.append(view_id)
        return stored

    def _find_view(self, args: dict[str, Any]) -> str:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            matches = [v for v, d in self._views.items() if d["external_id"] == args["external_id"]]
            view_id = matches[0] if matches else None
        if not view_id:
            raise SlackError("invalid_arguments", "either view_id or external_id is required")
        if view_id not in self._views:
            raise SlackError("not_found", f"no view {view_id!r}")
        return str(view_id)

    def _method_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = self._find_view(args)
        current = self._views[view_id]
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view(args["view"], kinds=[current["type"]])
        self._check_external_id(view, replacing=view_id)
        return {"view": self._replace_view(view_id, view)}

    def _replace_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        current = self._views[view_id]
        stored = self._store_view(
            view,
            view_id=view_id,
            root=current["root_view_id"],
            previous=current["previous_view_id"],
        )
        if stored["type"] == "home":
            self._published_home[self._home_owner(view_id)] = copy.deepcopy(stored)
        return stored

    def _home_owner(self, view_id: str) -> str:
        return next(user for user, home_id in self._home_ids.items() if home_id == view_id)

    def _method_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args["user_id"]
        # The spec names no user error for views.publish, so only a malformed id is refused.
        if not (isinstance(user_id, str) and USER_ID.match(user_id)):
            raise SlackError("invalid_arguments", f"user_id {user_id!r} is not a user id")
        view = self._check_view(args["view"], kinds=["home"])
        current = self._published_home.get(user_id)
        if args.get("hash") and (current is None or args["hash"] != current["hash"]):
            raise SlackError("hash_conflict")
        view_id = self._home_ids.setdefault(user_id, self._new_id("V"))
        self._check_external_id(view, replacing=view_id)
        stored = self._store_view(view, view_id=view_id, root=view_id, previous=None)
        self._published_home[user_id] = copy.deepcopy(stored)
        return {"view": stored}

    def _close_view(self, view_id: str) -> None:
        """The user's modal closes: the top view is popped off its stack."""
        root = self._views[view_id]["root_view_id"]
        stack = self._stacks.get(root, [])
        if view_id in stack:
            stack.remove(view_id)
        if not stack:
            self._stacks.pop(root, None)

    def _clear_stack(self, view_id: str) -> None:
        self._stacks.pop(self._views[view_id]["root_view_id"], None)
