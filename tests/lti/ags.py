"""Assignment and Grade Services on the test platform: line items, scores and results, and
the JSON refusals of its REST endpoints. Written here rather than taken from lti1p3platform:
its AssignmentsGradesService checks any one service scope for every endpoint, crashes paging
on a string page number and puts "next" in the body, not in a Link header; its enums and
status codes are used."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse
from lti1p3platform.score import (
    UPDATE_SCORE_STATUSCODE,
    ActivityProgress,
    GradeProgress,
    UpdateScoreStatus,
)
from starlette.responses import Response

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPE_LINEITEM, SCOPE_LINEITEM_READ = SCOPE + "lineitem", SCOPE + "lineitem.readonly"
SCOPE_RESULT_READ, SCOPE_SCORE = SCOPE + "result.readonly", SCOPE + "score"
AGS_SCOPES = [SCOPE_LINEITEM, SCOPE_LINEITEM_READ, SCOPE_RESULT_READ, SCOPE_SCORE]
LINEITEM_MEDIA = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_MEDIA = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_MEDIA = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_MEDIA = "application/vnd.ims.lis.v1.score+json"


class PlatformSetupError(ValueError):
    """The test asked the platform for a user, resource link or line item it was never given."""


class Refusal(Exception):
    """An HTTP refusal: answered as JSON {"error", "error_description"} (plain text at /auth)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


@dataclass
class LineItemRecord:
    fields: dict[str, Any]  # label, scoreMaximum, tag, resourceId, resourceLinkId...
    posts: list[dict[str, Any]] = field(default_factory=list)  # accepted scores, in order
    last_timestamp: dict[str, datetime] = field(default_factory=dict)  # per userId


class AgsEndpoints:
    """The AGS endpoints of `LocalPlatform`, which provides the course (`_users`, `_links`,
    `_items`, `context_id`, `lineitems_url()`), its lock and `_authorize` (the bearer token
    and its scopes)."""

    async def _get_lineitems(self, request: Request, context_id: str) -> Response:
        self._authorize(request, [SCOPE_LINEITEM, SCOPE_LINEITEM_READ])
        self._check_context(context_id)
        items, query = self.line_items(), request.query_params
        for name, param in (
            ("tag", "tag"),
            ("resourceId", "resource_id"),
            ("resourceLinkId", "resource_link_id"),
        ):
            if param in query:
                items = [item for item in items if item.get(name) == query[param]]
        return _page(request, items, LINEITEMS_MEDIA)

    async def _create_lineitem(self, request: Request, context_id: str) -> Response:
        self._authorize(request, [SCOPE_LINEITEM])
        self._check_context(context_id)
        body = await _json_object(request)
        if not isinstance(body.get("label"), str) or not body["label"].strip():
            raise Refusal(400, "invalid_request", "label is required")
        if not _is_number(body.get("scoreMaximum")) or body["scoreMaximum"] <= 0:
            raise Refusal(400, "invalid_request", "scoreMaximum must be a number above 0")
        if "resourceLinkId" in body and body["resourceLinkId"] not in self._links:
            raise Refusal(400, "invalid_request", "resourceLinkId is not a link of this course")
        known = (
            "label",
            "scoreMaximum",
            "tag",
            "resourceId",
            "resourceLinkId",
            "startDateTime",
            "endDateTime",
        )
        with self._lock:
            number = self._add_item({name: body[name] for name in known if name in body})
            item = self._item_view(number)
        return JSONResponse(item, status_code=201, media_type=LINEITEM_MEDIA)

    async def _get_lineitem(self, request: Request, context_id: str, number: int) -> Response:
        self._authorize(request, [SCOPE_LINEITEM, SCOPE_LINEITEM_READ])
        self._check_item(context_id, number)
        with self._lock:
            return JSONResponse(self._item_view(number), media_type=LINEITEM_MEDIA)

    async def _post_score(self, request: Request, context_id: str, number: int) -> Response:
        self._authorize(request, [SCOPE_SCORE])
        self._check_item(context_id, number)
        if request.headers.get("content-type", "").split(";")[0].strip() != SCORE_MEDIA:
            raise Refusal(415, "invalid_request", f"a score is sent as {SCORE_MEDIA}")
        score = await _json_object(request)
        if score.get("userId") not in self._users:
            raise Refusal(
                400, "invalid_request", f"userId {score.get('userId')!r} is not in the course"
            )
        timestamp = _check_score(score)
        with self._lock:
            item = self._items[number]
            last = item.last_timestamp.get(score["userId"])
            if last is not None and timestamp <= last:
                status = UPDATE_SCORE_STATUSCODE[UpdateScoreStatus.OLD_TIMESTAMP]
                raise Refusal(status, "conflict", f"timestamp is not later than {last.isoformat()}")
            item.last_timestamp[score["userId"]] = timestamp
            item.posts.append(dict(score))
        return Response(status_code=200)

    async def _get_results(self, request: Request, context_id: str, number: int) -> Response:
        self._authorize(request, [SCOPE_RESULT_READ])
        self._check_item(context_id, number)
        item_url = self._item_url(number)
        latest = {post["userId"]: post for post in self.score_posts(item_url)}
        wanted = request.query_params.get("user_id")
        results = [_result(item_url, post) for sub, post in latest.items() if wanted in (None, sub)]
        return _page(request, results, RESULTS_MEDIA)

    # --- line items (callers hold self._lock where they mutate) ---

    def _add_item(self, fields: dict[str, Any]) -> int:
        number = max(self._items, default=0) + 1
        self._items[number] = LineItemRecord(fields)
        return number

    def _item_url(self, number: int) -> str:
        return f"{self.lineitems_url()}/{number}"

    def _item_view(self, number: int) -> dict:
        return {"id": self._item_url(number), **self._items[number].fields}

    def _number(self, lineitem_id: str) -> int:
        prefix = self.lineitems_url() + "/"
        tail = lineitem_id.removeprefix(prefix)
        if lineitem_id.startswith(prefix) and tail.isdigit() and int(tail) in self._items:
            return int(tail)
        raise PlatformSetupError(f"no line item {lineitem_id!r}; ids are URLs like {prefix}1")

    def _check_context(self, context_id: str) -> None:
        if context_id != self.context_id:
            raise Refusal(404, "not_found", f"no course {context_id!r}")

    def _check_item(self, context_id: str, number: int) -> None:
        self._check_context(context_id)
        if number not in self._items:
            raise Refusal(404, "not_found", f"no line item {number}")


def _check_score(score: dict) -> datetime:
    """Refuse a score that breaks the AGS score schema; return its timestamp."""
    try:
        timestamp = datetime.fromisoformat(score["timestamp"])
    except (KeyError, TypeError, ValueError) as err:
        raise Refusal(400, "invalid_request", "timestamp must be ISO 8601") from err
    if timestamp.tzinfo is None:
        raise Refusal(400, "invalid_request", "timestamp must carry a time zone")
    if score.get("activityProgress") not in {p.value for p in ActivityProgress}:
        raise Refusal(400, "invalid_request", "activityProgress is missing or unknown")
    if score.get("gradingProgress") not in {p.value for p in GradeProgress}:
        raise Refusal(400, "invalid_request", "gradingProgress is missing or unknown")
    if "scoreGiven" in score:
        if not _is_number(score["scoreGiven"]) or score["scoreGiven"] < 0:
            raise Refusal(400, "invalid_request", "scoreGiven must be a number, 0 or more")
        if not _is_number(score.get("scoreMaximum")) or score["scoreMaximum"] <= 0:
            raise Refusal(400, "invalid_request", "scoreMaximum must come with scoreGiven, above 0")
    return timestamp


def _result(item_url: str, post: dict) -> dict:
    """The AGS result a user's latest accepted score makes."""
    sub = post["userId"]
    result = {"id": f"{item_url}/results/{quote(sub, safe='')}", "scoreOf": item_url, "userId": sub}
    if "scoreGiven" in post:
        result |= {"resultScore": post["scoreGiven"], "resultMaximum": post["scoreMaximum"]}
    if "comment" in post:
        result["comment"] = post["comment"]
    return result


def _page(request: Request, items: list[dict], media_type: str) -> Response:
    """One page of `items` (?limit=, ?page=) with a Link rel="next" header when more follow."""
    try:
        limit = int(request.query_params.get("limit", len(items) or 1))
        page = int(request.query_params.get("page", 1))
    except ValueError as err:
        raise Refusal(400, "invalid_request", "limit and page are whole numbers") from err
    if limit < 1 or page < 1:
        raise Refusal(400, "invalid_request", "limit and page start at 1")
    headers = {}
    if page * limit < len(items):
        headers["Link"] = f'<{request.url.include_query_params(page=page + 1)}>; rel="next"'
    chunk = items[(page - 1) * limit : page * limit]
    return JSONResponse(chunk, media_type=media_type, headers=headers)


async def _json_object(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError as err:
        raise Refusal(400, "invalid_request", "the body is not JSON") from err
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_request", "the body is not a JSON object")
    return body


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def refusal_json(request: Request, refusal: Refusal) -> Response:
    return JSONResponse(
        {"error": refusal.error, "error_description": refusal.description}, refusal.status
    )
