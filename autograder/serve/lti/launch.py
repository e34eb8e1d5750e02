"""The LTI 1.3 launch: the platform's OIDC login initiation (/lti/login), the launch itself
(/lti/launch: the id_token validated by pylti1p3, the student found on our roster by the
platform's configured claim), and our public key set (/lti/jwks). A launch opens the same
server-side session a token login does and lands on the homework the activity names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pylti1p3.exception import LtiException, OIDCException, ToolConfException
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from autograder.course.config import Course
from autograder.gradebook.database import (
    Gradebook,
    LtiContext,
    LtiMember,
    LtiResourceLink,
    LtiUser,
    RosterEntry,
    now,
)
from autograder.serve.lti import adapter
from autograder.serve.lti.config import LtiError, read_platforms, tool_config
from autograder.serve.views import served_homeworks

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
STAFF_ROLES = ("#Instructor", "#TeachingAssistant", "#Administrator", "#ContentDeveloper")

FAILED = "Вход из системы дистанционного обучения не удался"
# pylti1p3 raises these for a launch it refuses (ToolConfException: an unknown issuer or client)
REFUSED = (
    "Запрос на вход отклонён. Откройте задание в курсе ещё раз; если ошибка повторяется, "
    "сообщите преподавателю время и техническую причину: «{reason}»."
)
NOT_ON_ROSTER = (
    "Вас нет в списке студентов курса ({claim}: {value}). Если вы записаны на курс, "
    "сообщите преподавателю: он добавит вас в список."
)
NO_CLAIM = (
    "Система дистанционного обучения не передала {claim}, по которому курс узнаёт студентов. "
    "Сообщите преподавателю: в настройках инструмента должна быть включена передача {claim}."
)
STAFF_HERE = (
    "Вход из курса — для студентов. Преподавателям и ассистентам: страницы курса открываются "
    "по адресу /staff (вход по ключу)."
)
NOT_A_LAUNCH = "Этот вид запуска ({kind}) не поддерживается: откройте задание из курса."
CLAIM_NAMES = {"email": "адрес электронной почты", "sourcedid": "идентификационный номер",
               "sub": "идентификатор пользователя"}  # fmt: skip


@dataclass(frozen=True)
class Launched:
    student_id: str
    homework: str | None  # the activity's homework, if it names one we serve


Page = Callable[[Request, int, str, str], Response]  # (request, status, heading, text)
LogIn = Callable[[Request, Launched], Response]


def lti_router(
    config: Path, gradebook: Gradebook, course: Course, message: Page, log_in: LogIn
) -> APIRouter:
    """The /lti/ routes for the platforms in `config` (checked now: a broken file stops
    `autograder serve` at start, not a student at launch)."""
    tools = tool_config(config)
    # how each platform names the student, read once: a launch reads no file
    roster_claims = {(p.issuer, p.client_id): p.roster_claim for p in read_platforms(config)}
    storage = lambda: adapter.GradebookStorage(gradebook)  # noqa: E731 - one per request
    router = APIRouter(prefix="/lti", include_in_schema=False)

    async def read(request: Request) -> adapter.LaunchRequest:
        params = dict(request.query_params)
        if request.method == "POST":
            form = await request.form()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        return adapter.LaunchRequest(params, dict(request.cookies), request.url.scheme == "https")

    def refused(request: Request, reason: str, status: int = 400) -> Response:
        return message(request, status, FAILED, REFUSED.format(reason=reason))

    @router.api_route("/login", methods=["GET", "POST"], name="lti_login")
    async def login(request: Request):
        launch_url = str(request.url_for("lti_launch"))
        lti_request = await read(request)

        def redirect():
            oidc = adapter.ToolLogin(lti_request, tools, storage())
            return oidc.redirect(launch_url)

        try:
            return await run_in_threadpool(redirect)
        except (OIDCException, LtiException, ToolConfException) as exc:
            return refused(request, str(exc))

    @router.post("/launch", name="lti_launch")
    async def launch(request: Request):
        lti_request = await read(request)

        def validate() -> tuple[dict, adapter.ToolLaunch]:
            launched = adapter.ToolLaunch(lti_request, tools, storage())
            return launched.validate().get_launch_data(), launched

        try:
            claims, launched = await run_in_threadpool(validate)
        except (
            LtiException,
            OIDCException,
            ToolConfException,
            KeyError,
            TypeError,
            ValueError,
        ) as exc:
            return refused(request, str(exc) or type(exc).__name__, 403)
        kind = claims.get(LTI + "message_type")
        if kind != RESOURCE_LINK_REQUEST:
            return message(request, 400, FAILED, NOT_A_LAUNCH.format(kind=kind))
        found = await run_in_threadpool(admit, gradebook, course, roster_claims, claims)
        if isinstance(found, str):
            return message(request, 403, FAILED, found)
        response = log_in(request, found)
        launched.cookies.update_response(response)
        return response

    @router.get("/jwks", name="lti_jwks")
    def jwks():
        return JSONResponse(tools.get_jwks())

    return router


def admit(
    gradebook: Gradebook, course: Course, roster_claims: dict[tuple[str, str], str], claims: dict
) -> Launched | str:
    """The roster student this launch is (found by the platform's claim in `roster_claims`,
    keyed by issuer and client id), recorded with the course and activity it came from (for
    the grade passback); or the refusal to show."""
    issuer, client_id = str(claims["iss"]), _client_id(claims)
    claim = roster_claims.get((issuer, client_id), "email")
    value = _claim_value(claims, claim)
    roles = " ".join(str(r) for r in claims.get(LTI + "roles") or [])
    with gradebook.transaction() as session:
        student_id = _on_roster(session, claim, value) if value else None
        if student_id is None:
            if any(role in roles for role in STAFF_ROLES):
                return STAFF_HERE
            if not value:
                return NO_CLAIM.format(claim=CLAIM_NAMES[claim])
            return NOT_ON_ROSTER.format(claim=CLAIM_NAMES[claim], value=value)
        homework = _homework(course, claims)
        _record(session, claims, issuer, client_id, student_id, homework)
    return Launched(student_id, homework)


def _client_id(claims: dict) -> str:
    aud = claims.get("aud")
    return str(aud[0] if isinstance(aud, list) else aud)


def _claim_value(claims: dict, claim: str) -> str:
    if claim == "email":
        value = claims.get("email")
    elif claim == "sourcedid":
        value = (claims.get(LTI + "lis") or {}).get("person_sourcedid")
    else:
        value = claims.get("sub")
    return str(value).strip() if value else ""


def _on_roster(session, claim: str, value: str) -> str | None:
    if claim == "email":
        query = select(RosterEntry.student_id).where(func.lower(RosterEntry.email) == value.lower())
    else:
        query = select(RosterEntry.student_id).where(RosterEntry.student_id == value)
    found = session.scalars(query).all()
    return found[0] if len(found) == 1 else None  # an e-mail two students share names neither


def _homework(course: Course, claims: dict) -> str | None:
    wanted = str((claims.get(LTI + "custom") or {}).get("homework", "")).strip()
    return wanted if wanted in {c.id for c in served_homeworks(course)} else None


def _record(session, claims: dict, issuer: str, client_id: str, student_id: str, homework):
    at = now()
    user = _row(session, LtiUser, {"student_id": student_id}, issuer=issuer,
                client_id=client_id, sub=str(claims["sub"]))  # fmt: skip
    user.student_id, user.last_launch_at = student_id, at
    context_claim = claims.get(LTI + "context") or {}
    if not context_claim.get("id"):
        return
    deployment_id = str(claims.get(LTI + "deployment_id", ""))
    context = _row(session, LtiContext, {"deployment_id": deployment_id}, issuer=issuer,
                   client_id=client_id, context_id=str(context_claim["id"]))  # fmt: skip
    ags = claims.get(AGS_CLAIM) or {}
    context.deployment_id = deployment_id
    context.title = str(context_claim.get("title") or context_claim.get("label") or "")[:512]
    context.lineitems_url = ags.get("lineitems") or context.lineitems_url
    context.scopes = " ".join(ags.get("scope") or []) or context.scopes or ""
    context.updated_at = at
    session.flush()
    _row(session, LtiMember, {}, context_row=context.id, user_row=user.id)
    link_id = str((claims.get(LTI + "resource_link") or {}).get("id", ""))
    if link_id:
        link = _row(session, LtiResourceLink, {}, context_row=context.id, resource_link_id=link_id)
        link.component_id = homework or link.component_id
        link.lineitem_url = ags.get("lineitem") or link.lineitem_url


def _row(session, model, defaults: dict, **key):
    """The row of `model` with these key columns, inserted (with `defaults`) if there is
    none. Two launches of one user at once on PostgreSQL may both find none: the loser's
    insert fails the unique key in its savepoint, and it reads the winner's row."""
    row = session.scalars(select(model).filter_by(**key)).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = model(**key, **defaults)
            session.add(row)
    except IntegrityError:
        row = session.scalars(select(model).filter_by(**key)).one()
    return row


__all__ = ["LtiError", "lti_router", "admit", "Launched"]
