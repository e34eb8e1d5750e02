"""The web application: student pages (Russian, server-rendered, no JavaScript needed)
and the JSON API under /api/v1/ (OpenAPI docs at /docs).

Pages authenticate with the signed session cookie and check a CSRF token on every form;
the API takes `Authorization: Bearer <token>`. A receipt is looked up only together with
its owner, so someone else's is 404, by id or by path.
"""

from __future__ import annotations

import asyncio
import io
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from autograder.course.config import load_course
from autograder.course.scheme import quantize_points
from autograder.errors import ServeError
from autograder.gradebook import exports, overrides, standings
from autograder.gradebook.database import Gradebook
from autograder.reports import instructor
from autograder.serve import publishing, regrades, roster, staff, views
from autograder.serve import queue as grading_queue
from autograder.serve.lti.config import config_path as lti_config_path
from autograder.serve.sessions import (
    COOKIE,
    STAFF_COOKIE,
    LoginLimiter,
    SessionData,
    Sessions,
    csrf_ok,
    load_secret,
)
from autograder.serve.uploads import UploadRefused, accept_upload

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
UNAUTHORIZED = "Неверный или отозванный ключ доступа."
TOO_MANY = "Слишком много неудачных попыток входа. Повторите через несколько минут."
NOT_FOUND = "Квитанция не найдена."
BAD_CSRF = "Форма устарела или отправлена с чужой страницы. Обновите страницу и повторите."
NOT_STAFF = "Эта страница только для преподавателей и ассистентов курса: войдите своим ключом."
INSTRUCTOR_ONLY = "Это действие доступно только преподавателю курса."
MAX_WAIT_S = 60
MULTIPART_SLACK = 64 * 2**10  # the form's boundaries and headers around the notebook


@dataclass
class ServeSettings:
    course_root: Path
    gradebook_url: str
    data_dir: Path
    max_upload_bytes: int = 25 * 2**20
    secure_cookies: bool = False  # set behind HTTPS (the reverse proxy)
    session_hours: int = 12
    login_failures: int = 10  # per client address per 5 minutes
    lti_config: Path | None = None  # LTI 1.3 platforms; default <course>/lti/lti.json if there


def create_app(settings: ServeSettings) -> FastAPI:
    """The application for one course and gradebook."""
    course = load_course(settings.course_root)
    gradebook = Gradebook(settings.gradebook_url)
    sessions = Sessions(load_secret(settings.data_dir), settings.session_hours * 3600)
    staff_sessions = Sessions(
        load_secret(settings.data_dir), settings.session_hours * 3600, salt="autograder-staff"
    )
    limiter = LoginLimiter(settings.login_failures)
    lti_path = lti_config_path(settings.course_root, settings.lti_config)
    lti_on = settings.lti_config is not None or lti_path.exists()
    bundles: dict = {}  # released bundles, read once per release (the homeworks' questions)
    # Every request body is capped while it streams in (Starlette's body limit, chunked or
    # not): the multipart parser and its spool file never hold more than the cap.
    body_cap = settings.max_upload_bytes + MULTIPART_SLACK
    app = FastAPI(title=f"autograder serve — {course.title}", version="1")
    app.state.gradebook = gradebook
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=body_cap)  # inner: the stream

    def too_large() -> JSONResponse:
        text = f"Файл больше допустимого размера ({settings.max_upload_bytes // 2**20} МиБ)."
        return JSONResponse({"detail": text, "code": "too-large"}, status_code=413)

    @app.exception_handler(StarletteHTTPException)
    async def too_large_in_russian(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 413:  # the body limit, met while the body streamed in
            return too_large()
        return await http_exception_handler(request, exc)

    @app.middleware("http")  # outer: before the limit would answer in plain English
    async def refuse_declared_large_bodies(request: Request, call_next):
        # a length declared over the cap: refused before a byte of the body is read
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > body_cap:
            return too_large()
        return await call_next(request)

    def page(request: Request, name: str, session: SessionData, status: int = 200, **context):
        context = {"course_title": course.title, "student_id": session.student_id,
                   "csrf": session.csrf, **context}  # fmt: skip
        response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
        return keep(response, session)

    def keep(response: Response, session: SessionData, staff_side: bool = False) -> Response:
        """The session's cookie on the response (a staff session's: its own, under /staff)."""
        name, store, path = (STAFF_COOKIE, staff_sessions, "/staff") if staff_side else (
            COOKIE, sessions, "/")  # fmt: skip
        response.set_cookie(
            name, store.dump(session), max_age=settings.session_hours * 3600,
            httponly=True, samesite="strict", secure=settings.secure_cookies, path=path,
        )  # fmt: skip
        return response

    def session_of(request: Request) -> SessionData:
        session = sessions.read(request.cookies.get(COOKIE))
        if session.sid is not None:
            session.student_id = roster.session_student(gradebook, session.sid)
            if session.student_id is None:  # logged out, or its token was reissued
                return SessionData(None, secrets.token_urlsafe(24), fresh=True)
        return session

    def message(request: Request, session: SessionData, status: int, heading: str, text: str):
        return page(request, "message.html", session, status, heading=heading, message=text)

    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        session = session_of(request)
        if session.student_id:
            return RedirectResponse("/homeworks", status_code=303)
        return page(request, "login.html", session)

    @app.post("/login", response_class=HTMLResponse, include_in_schema=False)
    def login(
        request: Request, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
    ):
        session = session_of(request)
        if not csrf_ok(session, csrf):
            return message(request, session, 403, "Ошибка формы", BAD_CSRF)
        if limiter.blocked(client(request)):
            return page(request, "login.html", session, 429, error=TOO_MANY)
        found = roster.login_token(gradebook, token.strip())
        if found is None:
            limiter.failed(client(request))
            return page(request, "login.html", session, 401, error=UNAUTHORIZED)
        # a new session, a new CSRF token
        sid = roster.open_session(gradebook, *found)
        fresh = SessionData(found[0], secrets.token_urlsafe(24), sid=sid)
        return keep(RedirectResponse("/homeworks", status_code=303), fresh)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form()] = ""):
        session = session_of(request)
        if not csrf_ok(session, csrf):
            return message(request, session, 403, "Ошибка формы", BAD_CSRF)
        roster.end_session(gradebook, session.sid)  # every copy of the cookie dies with it
        return keep(
            RedirectResponse("/", status_code=303), SessionData(None, secrets.token_urlsafe(24))
        )

    @app.get("/homeworks", response_class=HTMLResponse, include_in_schema=False)
    def homeworks_page(request: Request):
        session = session_of(request)
        if not session.student_id:
            return RedirectResponse("/", status_code=303)
        return homeworks_with(request, session)

    def homeworks_with(request, session, status: int = 200, error: str = ""):
        rows = views.homework_rows(gradebook, course, session.student_id)
        receipts = [
            {"component_id": r.component_id, "attempt": r.attempt, "public_id": r.public_id,
             "received_at": r.received_at, "state": r.state_text}
            for r in views.student_receipts(gradebook, session.student_id)
        ]  # fmt: skip
        return page(request, "homeworks.html", session, status, homeworks=rows,
                    receipts=receipts, error=error)  # fmt: skip

    @app.post("/homeworks/{homework}/upload", include_in_schema=False)
    async def upload_page(
        request: Request,
        homework: str,
        notebook: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form()] = "",
        confirm_late: Annotated[str, Form()] = "",
    ):
        session = session_of(request)
        if not session.student_id:
            return message(request, session, 401, "Нужен вход", "Войдите, чтобы отправить работу.")
        if not csrf_ok(session, csrf):
            return message(request, session, 403, "Ошибка формы", BAD_CSRF)
        try:
            accepted = await take_upload(
                homework, session.student_id, notebook, confirm_late == "yes"
            )
        except UploadRefused as exc:
            return await run_in_threadpool(
                homeworks_with, request, session, exc.status_code, exc.message
            )
        target = f"/receipts/{accepted.receipt.public_id}" + ("" if accepted.new else "?repeated=1")
        return RedirectResponse(target, status_code=303)

    @app.get("/receipts/{public_id}", response_class=HTMLResponse, include_in_schema=False)
    def receipt_page(request: Request, public_id: str, repeated: int = 0):
        session = session_of(request)
        if not session.student_id:
            return RedirectResponse("/", status_code=303)
        return receipt_with(request, session, public_id, repeated=bool(repeated))

    def receipt_with(request, session, public_id: str, status: int = 200, **context):
        view = views.receipt_view(gradebook, session.student_id, public_id)
        if view is None:
            return message(request, session, 404, "Не найдено", NOT_FOUND)
        public = view.public()
        regrade = None
        if view.published and view.full_results_path:  # graded and published: may ask
            regrade = {
                "questions": regrades.questions_of(course, view.component_id, bundles),
                "requests": regrades.student_requests(
                    gradebook, session.student_id, view.component_id
                ),
                "max": regrades.MAX_MESSAGE,
            }
        return page(request, "receipt.html", session, status, r=view,
                    public=public.to_dict() if public else None, published=view.published,
                    regrade=regrade, **context)  # fmt: skip

    @app.post("/receipts/{public_id}/regrade", include_in_schema=False)
    def regrade_request(
        request: Request,
        public_id: str,
        question: Annotated[str, Form()] = "",
        text: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ):
        session = session_of(request)
        if not session.student_id:
            return message(request, session, 401, "Нужен вход", "Войдите, чтобы отправить запрос.")
        if not csrf_ok(session, csrf):
            return message(request, session, 403, "Ошибка формы", BAD_CSRF)
        try:
            regrades.open_request(
                gradebook, course, session.student_id, public_id, question, text, bundles
            )
        except regrades.RegradeRefused as exc:
            return receipt_with(request, session, public_id, exc.status, regrade_error=exc.message)
        return RedirectResponse(f"/receipts/{public_id}#regrades", status_code=303)

    @app.get("/receipts/{public_id}/feedback", response_class=HTMLResponse, include_in_schema=False)
    def feedback_page(request: Request, public_id: str):
        session = session_of(request)
        if not session.student_id:
            return RedirectResponse("/", status_code=303)
        return feedback_for(session.student_id, public_id, lambda status, text: message(
            request, session, status, "Недоступно", text))  # fmt: skip

    def feedback_for(student_id: str, public_id: str, refuse):
        view = views.receipt_view(gradebook, student_id, public_id)
        if view is None:
            return refuse(404, NOT_FOUND)
        if not view.published:
            return refuse(403, "Полные результаты будут доступны после публикации оценок.")
        if not view.full_results_path:  # the hidden phase has not finished yet
            return refuse(409, "Работа ещё не проверена.")
        payload = publishing.read_payload(Path(view.full_results_path))
        return HTMLResponse(publishing.full_feedback(payload, course))

    async def take_upload(homework: str, student_id: str, upload: UploadFile, confirm_late: bool):
        if homework not in {c.id for c in views.served_homeworks(course)}:
            raise UploadRefused(404, "Такого задания нет или оно ещё не выдано.", "no-homework")
        data = await upload.read(settings.max_upload_bytes + 1)
        return await run_in_threadpool(
            accept_upload, gradebook, course, settings.data_dir, student_id, homework, data,
            confirm_late=confirm_late, max_bytes=settings.max_upload_bytes,
        )  # fmt: skip

    # ------------------------------------------------------------ staff pages
    # A staff member has a cookie of their own (signed apart, naming a staff session); the
    # role is read from the gradebook on every request, never from the cookie.

    def staff_session_of(request: Request) -> tuple[SessionData, staff.Staff | None]:
        session = staff_sessions.read(request.cookies.get(STAFF_COOKIE))
        member = staff.session_staff(gradebook, session.sid) if session.sid else None
        if session.sid is not None and member is None:  # logged out, or token reissued
            return SessionData(None, secrets.token_urlsafe(24), fresh=True), None
        return session, member

    def keep_staff(response: Response, session: SessionData) -> Response:
        return keep(response, session, staff_side=True)

    def staff_page(request, name, session, member, status: int = 200, **context):
        context = {"course_title": course.title, "staff": member, "csrf": session.csrf,
                   "lti_on": lti_on, **context}  # fmt: skip
        response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
        return keep_staff(response, session)

    def staff_message(request, session, member, status: int, heading: str, text: str):
        return staff_page(request, "message.html", session, member, status, heading=heading,
                          message=text)  # fmt: skip

    def not_served(request, session, member, homework: str) -> Response | None:
        """The staff's 404 page for a homework that is not released, else None."""
        if homework in {c.id for c in views.served_homeworks(course)}:
            return None
        return staff_message(request, session, member, 404, "Не найдено",
                             "Такого задания нет или оно ещё не выдано.")  # fmt: skip

    def overview(request, session, member, status: int = 200, **context):
        rows = views.course_overview(gradebook, course)
        return staff_page(request, "staff_overview.html", session, member, status,
                          homeworks=rows, **context)  # fmt: skip

    @app.get("/staff", response_class=HTMLResponse, include_in_schema=False)
    def staff_index(request: Request):
        session, member = staff_session_of(request)
        if member is None:
            return staff_page(request, "staff_login.html", session, None)
        return overview(request, session, member)

    @app.post("/staff/login", response_class=HTMLResponse, include_in_schema=False)
    def staff_login(
        request: Request, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
    ):
        session, _ = staff_session_of(request)
        if not csrf_ok(session, csrf):
            return staff_message(request, session, None, 403, "Ошибка формы", BAD_CSRF)
        if limiter.blocked(client(request)):
            return staff_page(request, "staff_login.html", session, None, 429, error=TOO_MANY)
        sid = staff.staff_login(gradebook, token.strip())
        if sid is None:
            limiter.failed(client(request))
            return staff_page(request, "staff_login.html", session, None, 401, error=UNAUTHORIZED)
        fresh = SessionData(None, secrets.token_urlsafe(24), sid=sid)
        return keep_staff(RedirectResponse("/staff", status_code=303), fresh)

    @app.post("/staff/logout", include_in_schema=False)
    def staff_logout(request: Request, csrf: Annotated[str, Form()] = ""):
        session, member = staff_session_of(request)
        if not csrf_ok(session, csrf):
            return staff_message(request, session, member, 403, "Ошибка формы", BAD_CSRF)
        staff.staff_logout(gradebook, session.sid)
        fresh = SessionData(None, secrets.token_urlsafe(24))
        return keep_staff(RedirectResponse("/staff", status_code=303), fresh)

    @app.post("/staff/homeworks/{homework}/publish", include_in_schema=False)
    def staff_publish(
        request: Request,
        homework: str,
        csrf: Annotated[str, Form()] = "",
        force: Annotated[str, Form()] = "",
    ):
        session, member, refused = staff_form(request, csrf, instructor=True)
        if refused:
            return refused
        if (missing := not_served(request, session, member, homework)) is not None:
            return missing

        def audit(db_session, row) -> None:
            after = "published" + (" before the deadline" if row.forced else "")
            staff.record_action(db_session, member, "publish", homework, "not published", after)

        try:
            publishing.publish(gradebook, course, homework, by=member.staff_id,
                               force=force == "yes", audit=audit)  # fmt: skip
        except ServeError:  # the deadline has not passed: the same rule as the CLI
            return overview(request, session, member, 409, error=(
                f"Срок сдачи {homework} ещё не прошёл: студенты, увидев скрытые тесты, смогут "
                "пересдать работу. Опубликовать всё равно можно, отметив «до срока»."))  # fmt: skip
        return RedirectResponse("/staff", status_code=303)

    def staff_only(request: Request):
        """(session, member, refusal): the refusal page when no staff member is logged in."""
        session, member = staff_session_of(request)
        if member is None:
            return (
                session,
                None,
                staff_message(request, session, None, 401, "Нужен вход", NOT_STAFF),
            )
        return session, member, None

    def staff_form(request: Request, csrf: str, instructor: bool = False):
        """(session, member, refusal) for a staff form: logged in, its CSRF token, the role."""
        session, member, refused = staff_only(request)
        if refused is None and not csrf_ok(session, csrf):
            refused = staff_message(request, session, member, 403, "Ошибка формы", BAD_CSRF)
        if refused is None and instructor and not member.instructor:
            refused = staff_message(request, session, member, 403, "Недоступно", INSTRUCTOR_ONLY)
        return session, member, refused

    @app.get("/staff/gradebook", response_class=HTMLResponse, include_in_schema=False)
    def staff_gradebook(request: Request, sort: str = "student", q: str = ""):
        session, member, refused = staff_only(request)
        if refused:
            return refused
        rows = standings.gradebook_rows(gradebook, course)
        if q.strip():
            rows = [r for r in rows if q.strip().lower() in r.student_id.lower()]
        keys = {"student": lambda r: r.student_id, "total": lambda r: -r.total,
                "final": lambda r: (-r.final, -r.total)}  # fmt: skip
        for c in course.components:
            keys[c.id] = lambda r, cid=c.id: -(r.cells[cid].points or 0)
        rows.sort(key=keys.get(sort, keys["student"]))
        return staff_page(request, "staff_gradebook.html", session, member, rows=rows,
                          components=course.components, sort=sort, q=q,
                          points=standings.format_points)  # fmt: skip

    @app.get("/staff/gradebook.csv", include_in_schema=False)
    def staff_gradebook_csv(request: Request, kind: str = "ours"):
        _, member, refused = staff_only(request)
        if refused:
            return refused
        writers = {"ours": standings.write_csv, "moodle": exports.write_moodle,
                   "canvas": exports.write_canvas}  # fmt: skip
        if kind not in writers:
            raise HTTPException(404)
        buffer = io.StringIO()
        writers[kind](standings.gradebook_rows(gradebook, course), course, buffer)
        name = f"gradebook-{kind}.csv"
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    @app.get("/staff/students/{student_id}", response_class=HTMLResponse, include_in_schema=False)
    def staff_student(request: Request, student_id: str):
        session, member, refused = staff_only(request)
        if refused:
            return refused
        return student_page(request, session, member, student_id)

    def student_page(request, session, member, student_id: str, status: int = 200, error=""):
        row = next((r for r in standings.gradebook_rows(gradebook, course)
                    if r.student_id == student_id), None)  # fmt: skip
        receipts = views.staff_receipts(gradebook, student_id)
        if row is None and not receipts:
            return staff_message(
                request, session, member, 404, "Не найдено", "Такого студента нет."
            )
        return staff_page(request, "staff_student.html", session, member, status,
                          subject=student_id, row=row, receipts=receipts, error=error,
                          components=course.components, points=standings.format_points)  # fmt: skip

    @app.post("/staff/students/{student_id}/score", include_in_schema=False)
    def staff_set_score(
        request: Request,
        student_id: str,
        component: Annotated[str, Form()] = "",
        points: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ):
        session, member, refused = staff_form(request, csrf)
        if refused:
            return refused
        if component not in course.ids:
            return student_page(request, session, member, student_id, 400,
                                error="Нет такой части курса.")  # fmt: skip

        def audit(db_session, old, new) -> None:
            staff.record_action(
                db_session, member, "score", f"{student_id} {component}",
                standings.format_points(old) or "nothing",
                f"{standings.format_points(new)}: {reason.strip()}",
            )  # fmt: skip

        try:
            overrides.set_override(gradebook, course, student_id, component, points,
                                   reason=reason, author=member.staff_id, audit=audit)  # fmt: skip
        except overrides.ScoreRefused as exc:
            return student_page(request, session, member, student_id, 400, error=str(exc))
        return RedirectResponse(f"/staff/students/{student_id}", status_code=303)

    @app.get("/staff/receipts/{public_id}/feedback", response_class=HTMLResponse,
             include_in_schema=False)  # fmt: skip
    def staff_feedback(request: Request, public_id: str):
        session, member, refused = staff_only(request)
        if refused:
            return refused
        path = views.staff_feedback_path(gradebook, public_id)
        if path is None:
            return staff_message(request, session, member, 404, "Не найдено",
                                 "Полной проверки этой работы ещё нет.")  # fmt: skip
        return HTMLResponse(publishing.full_feedback(publishing.read_payload(Path(path)), course))

    @app.get("/staff/homeworks/{homework}", response_class=HTMLResponse, include_in_schema=False)
    def staff_homework(request: Request, homework: str):
        session, member, refused = staff_only(request)
        if refused:
            return refused
        if (missing := not_served(request, session, member, homework)) is not None:
            return missing
        component = course.component(homework)
        latest = instructor.latest_submissions(gradebook, homework)
        scores = [s.points for s in latest]
        return staff_page(
            request, "staff_homework.html", session, member, component=component,
            students=len(latest), mean=standings.format_points(
                quantize_points(sum(scores) / len(scores)) if scores else None),
            histogram=views.histogram(scores, float(component.max_points)),
            rates=[r for r in instructor.pass_rates(latest) if not r.test],
            problems=instructor.problems(latest), jobs=views.homework_jobs(gradebook, homework),
            points=standings.format_points,
        )  # fmt: skip

    @app.post("/staff/jobs/{phase}/{job_id}/retry", include_in_schema=False)
    def staff_retry(request: Request, phase: str, job_id: int, csrf: Annotated[str, Form()] = ""):
        session, member, refused = staff_form(request, csrf)
        if refused:
            return refused

        def audit(db_session, job) -> None:
            staff.record_action(db_session, member, "retry", f"{phase} job {job_id}",
                                "error", "queued")  # fmt: skip

        homework = grading_queue.retry(gradebook, phase, job_id, audit=audit)
        if homework is None:
            return staff_message(request, session, member, 409, "Не выполнено",
                                 "Эта проверка не завершилась сбоем: повторять нечего.")  # fmt: skip
        return RedirectResponse(f"/staff/homeworks/{homework}", status_code=303)

    @app.get("/staff/regrades", response_class=HTMLResponse, include_in_schema=False)
    def staff_regrades(request: Request):
        session, member, refused = staff_only(request)
        if refused:
            return refused
        return regrades_page(request, session, member)

    def regrades_page(request, session, member, status: int = 200, error: str = ""):
        return staff_page(request, "staff_regrades.html", session, member, status,
                          requests=regrades.queue(gradebook), error=error,
                          max=regrades.MAX_MESSAGE)  # fmt: skip

    @app.post("/staff/regrades/{request_id}/answer", include_in_schema=False)
    def staff_answer(
        request: Request,
        request_id: int,
        answer: Annotated[str, Form()] = "",
        points: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ):
        session, member, refused = staff_form(request, csrf)
        if refused:
            return refused
        try:
            regrades.answer_request(gradebook, course, request_id, member, answer, points)
        except regrades.RegradeRefused as exc:
            return regrades_page(request, session, member, exc.status, exc.message)
        except overrides.ScoreRefused as exc:
            return regrades_page(request, session, member, 400, str(exc))
        return RedirectResponse("/staff/regrades", status_code=303)

    # ------------------------------------------------------------ JSON API

    def api_student(request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if limiter.blocked(client(request)):
            raise HTTPException(429, TOO_MANY)
        student = (
            roster.student_for_token(gradebook, token.strip())
            if scheme.lower() == "bearer"
            else None
        )
        if student is None:
            limiter.failed(client(request))
            raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
        return student

    # a default, not Annotated: the alias would be local and annotations are strings here
    student_dep = Depends(api_student)

    @app.get("/api/v1/homeworks")
    def api_homeworks(student: str = student_dep) -> list[dict]:
        """Homeworks open for upload, with deadlines and remaining attempts."""
        return views.homework_rows(gradebook, course, student)

    @app.post("/api/v1/homeworks/{homework}/submissions")
    async def api_submit(
        homework: str,
        notebook: Annotated[UploadFile, File()],
        confirm_late: Annotated[bool, Form()] = False,
        student: str = student_dep,
    ):
        """Upload a notebook; 201 with a new receipt, 200 with the earlier one for the same file."""
        try:
            accepted = await take_upload(homework, student, notebook, confirm_late)
        except UploadRefused as exc:
            return JSONResponse(
                {"detail": exc.message, "code": exc.code}, status_code=exc.status_code
            )
        view = await run_in_threadpool(
            views.receipt_view, gradebook, student, accepted.receipt.public_id
        )
        body = {**view.to_dict(), "new": accepted.new}
        return JSONResponse(body, status_code=201 if accepted.new else 200)

    @app.get("/api/v1/receipts")
    def api_receipts(student: str = student_dep) -> list[dict]:
        """This student's receipts, newest first."""
        return [v.to_dict() for v in views.student_receipts(gradebook, student)]

    @app.get("/api/v1/receipts/{public_id}")
    async def api_receipt(public_id: str, wait: float = 0, student: str = student_dep):
        """One receipt with its public results; `wait` (seconds, up to 60) waits for grading."""
        deadline = time.monotonic() + min(max(wait, 0), MAX_WAIT_S)
        while True:
            view = await run_in_threadpool(views.receipt_view, gradebook, student, public_id)
            if view is None:
                raise HTTPException(404, NOT_FOUND)
            if view.finished or time.monotonic() >= deadline:
                return view.to_dict()
            await asyncio.sleep(0.25)  # the grading processes write the database, not us

    @app.get("/api/v1/receipts/{public_id}/feedback", response_class=HTMLResponse)
    def api_feedback(public_id: str, student: str = student_dep):
        """The full feedback page, once the homework is published."""

        def refuse(status: int, text: str):
            raise HTTPException(status, text)

        return feedback_for(student, public_id, refuse)

    # ------------------------------------------------------------ LTI 1.3 (the course's LMS)

    if lti_on:
        from autograder.serve.lti.launch import lti_router

        def lti_message(request: Request, status: int, heading: str, text: str):
            return message(request, session_of(request), status, heading, text)

        def lti_log_in(request: Request, launched) -> Response:
            """A launch logs the student in as a token does; the landing page then opens
            the homework from our own site, so the SameSite=Strict cookie goes with it
            (a redirect chain that began on the LMS's site would leave it behind)."""
            sid = roster.open_session(gradebook, launched.student_id, None)
            fresh = SessionData(launched.student_id, secrets.token_urlsafe(24), sid=sid)
            target = "/homeworks" + (f"#hw-{launched.homework}" if launched.homework else "")
            return page(request, "lti_landing.html", fresh, target=target,
                        homework=launched.homework)  # fmt: skip

        app.include_router(lti_router(lti_path, gradebook, course, lti_message, lti_log_in))

        @app.post("/staff/homeworks/{homework}/lti-push", include_in_schema=False)
        def staff_lti_push(request: Request, homework: str, csrf: Annotated[str, Form()] = ""):
            """The instructor sends a published homework's scores to the LMS (as `autograder
            lti push`), audited with its counts."""
            from autograder.serve.lti.passback import push_scores

            session, member, refused = staff_form(request, csrf, instructor=True)
            if refused:
                return refused
            if (missing := not_served(request, session, member, homework)) is not None:
                return missing
            try:
                report = push_scores(gradebook, course, lti_path, homework)
            except ServeError as exc:
                return staff_message(request, session, member, 409, "Оценки не отправлены",
                                     str(exc))  # fmt: skip
            counts = (f"sent {report.sent}, unchanged {report.unchanged}, skipped "
                      f"{len(report.skipped)}, failed {len(report.failed)}")  # fmt: skip
            with gradebook.transaction() as db_session:
                staff.record_action(db_session, member, "lti_push", homework, "", counts)
            text = (
                f"{homework} → LMS ({report.courses} курс.): отправлено {report.sent}, без "
                f"изменений {report.unchanged}, пропущено {len(report.skipped)} (не входили из "
                f"LMS), с ошибкой {len(report.failed)}."
                + "".join(f" Ошибка: {line}." for line in report.failed)
            )
            status = 502 if report.failed else 200
            return staff_message(request, session, member, status, "Оценки в LMS", text)

    return app
