"""Files: files.getUploadURLExternal, the upload itself, files.completeUploadExternal; and
files people shared, read with files.info and their private download URL (files:read)."""

from typing import Any
from urllib.parse import quote

from tests.fakeslack.blocks import MESSAGE_BLOCK_LIMIT, block_problems
from tests.fakeslack.conversations import ConversationMethods
from tests.fakeslack.specs import as_int
from tests.fakeslack.state import HostedFile, PendingFile, Route, SlackError, Upload

# What Slack answers a download without a valid token: its sign-in page, not the file.
SIGN_IN_PAGE = b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>"


class FileMethods(ConversationMethods):
    """External uploads in their three steps, completed ones kept in ``uploads``."""

    def _method_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        length = as_int(args["length"])
        if not length or length <= 0:
            raise SlackError("missing_argument", "length must be a positive integer")
        file_id = self._new_id("F")
        self._pending_files[file_id] = PendingFile(filename=str(args["filename"]), length=length)
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _receive_upload(self, file_id: str, body: bytes) -> Route:
        with self._changed:
            pending = self._pending_files.get(file_id)
            if pending is None:
                return Route(404, b"unknown upload")
            if len(body) != pending.length:
                return Route(400, f"expected {pending.length} bytes, got {len(body)}".encode())
            pending.content = body
            return Route(200, f"OK - {len(body)}".encode())

    def _method_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments", "files must be a non-empty JSON array")
        channel = args.get("channel_id") or None
        if channel is not None:
            channel = self._resolve_channel(channel, allow_user=False)
        if args.get("blocks") is not None:
            if block_problems(args["blocks"], limit=MESSAGE_BLOCK_LIMIT):
                raise SlackError("invalid_blocks")
        ready = [self._uploaded(entry) for entry in files]
        answer = []
        for file_id, pending, title in ready:
            del self._pending_files[file_id]
            assert pending.content is not None
            self._uploads.append(
                Upload(
                    file_id=file_id,
                    filename=pending.filename,
                    title=title,
                    content=pending.content,
                    channel_id=channel,
                    initial_comment=args.get("initial_comment") or None,
                    thread_ts=args.get("thread_ts") or None,
                )
            )
            answer.append({"id": file_id, "title": title, "name": pending.filename})
        return {"files": answer}

    def _uploaded(self, entry: Any) -> tuple[str, PendingFile, str]:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        pending = self._pending_files.get(file_id) if isinstance(file_id, str) else None
        if file_id is None or pending is None or pending.content is None:
            raise SlackError("file_not_found", f"no uploaded file {file_id!r}")
        return file_id, pending, str(entry.get("title") or pending.filename)

    # -- files people shared ---------------------------------------------------------------

    def share_file(
        self,
        content: bytes,
        *,
        user_id: str,
        name: str = "people.csv",
        redirect_to: str | None = None,
    ) -> str:
        """A file a person uploaded (e.g. in a modal's file_input); returns its id."""
        with self._lock:
            file_id = self._new_id("F")
            self._hosted[file_id] = HostedFile(
                file_id=file_id,
                name=name,
                content=content,
                user_id=user_id,
                redirect_to=redirect_to,
            )
            return file_id

    def _private_url(self, hosted: HostedFile) -> str:
        return f"{self.url}/files-pri/{self.team_id}-{hosted.file_id}/{quote(hosted.name)}"

    def _method_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        hosted = self._hosted.get(str(args["file"]))
        if hosted is None:
            raise SlackError("file_not_found", f"no file {args['file']!r}")
        url = self._private_url(hosted)
        return {
            "file": {
                "id": hosted.file_id,
                "name": hosted.name,
                "title": hosted.name,
                "mimetype": hosted.mimetype,
                "filetype": hosted.filetype,
                "pretty_type": "CSV",
                "user": hosted.user_id,
                "mode": "hosted",
                "is_external": False,
                "size": len(hosted.content),
                "url_private": url,
                "url_private_download": url.replace(
                    f"-{hosted.file_id}/", f"-{hosted.file_id}/download/"
                ),
            },
            "comments": [],
        }

    def _download(self, path: str, headers: dict[str, str]) -> Route:
        """A file's private URL: its bytes for a valid token with files:read, else sign-in."""
        authorization = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
        with self._lock:
            try:
                self._team_of_token(token)
            except SlackError:
                return Route(302, b"", {"Location": f"{self.url}/signin"})
            if self.scopes is not None and "files:read" not in self.scopes:
                return Route(302, b"", {"Location": f"{self.url}/signin"})
            key = path.removeprefix("/files-pri/").split("/", 1)[0]
            hosted = self._hosted.get(key.removeprefix(f"{self.team_id}-"))
        if hosted is None:
            return Route(404, b"not found")
        if hosted.redirect_to is not None:
            return Route(302, b"", {"Location": hosted.redirect_to})
        return Route(200, hosted.content, {"Content-Type": hosted.mimetype})
