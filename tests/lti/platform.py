"""A small but real LTI 1.3 platform (the LMS side, like Moodle) on 127.0.0.1, for testing our
LTI tool: OIDC third-party login, a signed id_token posted by a form, the platform key set, the
client-credentials token endpoint, the course and gradebook pages, and Assignment and Grade
Services (ags.py: line items, scores, results), served by server.py's BackgroundServer.

Built on `lti1p3platform` (registration, claim building, signing, access tokens); the parts it
lacks or gets wrong are written here with PyJWT, each with a comment saying why."""

import functools
import html
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .ags import (
    AGS_CLAIM,
    AGS_SCOPES,
    AgsEndpoints,
    LineItemRecord,
    PlatformSetupError,
    Refusal,
    refusal_json,
)
from .server import BackgroundServer

ID_TOKEN_SECONDS = 300
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class _User:
    sub: str
    email: str | None
    name: str | None
    sourcedid: str | None


@dataclass
class _ResourceLink:
    id: str
    title: str
    custom: dict[str, str]
    lineitem: int | None  # number of the line item bound to the link, as Moodle's grade sync


class _PlatformConfig(LTI1P3PlatformConfAbstract):
    """The library's platform object, holding our one registration (one tool)."""

    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration


class _ClaimBuilder(LTIAdvantageMessageLaunchAbstract):
    """The library's launch, used only to build claims. Its own form and FastAPI adapter are not
    used: the adapter imports pkg_resources (gone from current setuptools) and the form has no
    submit button for clients without JavaScript."""

    def __init__(self, config: _PlatformConfig, nonce: str) -> None:
        super().__init__(None, config)  # type: ignore[arg-type]  # no framework request
        self._registration = config.get_registration()
        self._nonce = nonce

    def get_preflight_response(self) -> dict[str, Any]:
        return {"nonce": self._nonce}

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Any:
        raise NotImplementedError("LocalPlatform renders its own launch form")


class _LoginRedirect(OIDCLoginAbstract):
    """The library's third-party login initiation: 302 to the tool's login URL."""

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> Response:
        return RedirectResponse(url, status_code=302)


class LocalPlatform(AgsEndpoints):
    """An LTI 1.3 platform with one course, one registered tool, users and resource links."""

    def __init__(
        self,
        *,
        tool_login_url: str,
        tool_launch_url: str,
        tool_jwks_url: str,
        client_id: str = "autograder",
        deployment_id: str = "1",
        context_id: str = "nn-2026",
        context_title: str = "Нейронные сети",
    ) -> None:
        self.tool_login_url, self.tool_launch_url = tool_login_url, tool_launch_url
        self.tool_jwks_url = tool_jwks_url
        self.client_id, self.deployment_id = client_id, deployment_id
        self.context_id, self.context_title = context_id, context_title
        self._key = _rsa_key()
        self._lock = threading.Lock()  # state shared by the server thread and the test
        self._token_lock = threading.Lock()  # the library keeps the assertion being checked on self
        self._users: dict[str, _User] = {}
        self._links: dict[str, _ResourceLink] = {}
        self._items: dict[int, LineItemRecord] = {}
        self._login_hints: dict[str, str] = {}  # login_hint -> sub
        self._message_hints: dict[str, tuple[str, str]] = {}  # -> (login_hint, resource link)
        self._seen_jti: set[str] = set()
        self._failures: tuple[int, int] = (0, 503)  # (requests left to fail, status)
        self._last_id_token: str | None = None
        self._server: BackgroundServer | None = None

    # --- lifecycle ---

    def start(self) -> "LocalPlatform":
        """Serve on a free 127.0.0.1 port; return once it answers."""
        self._server = BackgroundServer(self._app())
        self.url = self.issuer = self._server.url
        self.auth_login_url, self.auth_token_url = self.url + "/auth", self.url + "/token"
        self.key_set_url = self.url + "/jwks"
        private, public = _pem(self._key), _pem(self._key.public_key())
        registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_oidc_login_url(self.tool_login_url)
            .set_launch_url(self.tool_launch_url)
            .set_tool_key_set_url(self.tool_jwks_url)
            .set_platform_private_key(private)
            .set_platform_public_key(public)
        )
        self._config = _PlatformConfig(registration=registration)
        self._kid = registration.get_kid()
        self._server.start()
        return self

    def stop(self) -> None:
        """Shut the server down; safe to call twice."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> "LocalPlatform":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- course content ---

    def add_user(
        self,
        sub: str,
        *,
        email: str | None = None,
        name: str | None = None,
        sourcedid: str | None = None,
    ) -> None:
        """Enrol a student; email and name left out are not shared with the tool."""
        with self._lock:
            self._users[sub] = _User(sub, email, name, sourcedid)

    def add_resource_link(
        self,
        resource_link_id: str,
        *,
        title: str,
        custom: dict[str, str] | None = None,
        lineitem: bool = False,
    ) -> None:
        """Place the tool in the course; lineitem=True also creates its grade column."""
        with self._lock:
            number = None
            if lineitem:
                number = self._add_item(
                    {"label": title, "scoreMaximum": 100, "resourceLinkId": resource_link_id}
                )
            self._links[resource_link_id] = _ResourceLink(
                resource_link_id, title, dict(custom or {}), number
            )

    def lineitems_url(self) -> str:
        """The AGS line items container of the course."""
        return f"{self.url}/contexts/{quote(self.context_id, safe='')}/lineitems"

    def launch_start_url(self, sub: str, resource_link_id: str) -> str:
        """The URL a student's click on the link opens: it redirects to the tool's login."""
        self._user(sub)
        self._link(resource_link_id)
        return f"{self.url}/launch?{urlencode({'sub': sub, 'resource_link_id': resource_link_id})}"

    # --- inspection ---

    def line_items(self) -> list[dict]:
        """All line items as the AGS would show them."""
        with self._lock:
            return [self._item_view(number) for number in sorted(self._items)]

    def results(self, lineitem_id: str) -> dict[str, float]:
        """sub -> the latest scoreGiven on this line item."""
        latest: dict[str, dict] = {post["userId"]: post for post in self.score_posts(lineitem_id)}
        return {sub: post["scoreGiven"] for sub, post in latest.items() if "scoreGiven" in post}

    def score_posts(self, lineitem_id: str) -> list[dict]:
        """Every accepted score post on this line item, in order."""
        with self._lock:
            return [dict(post) for post in self._items[self._number(lineitem_id)].posts]

    def fail_next(self, n: int, status: int = 503) -> None:
        """The next n token and AGS requests answer `status`."""
        with self._lock:
            self._failures = (n, status)

    def last_id_token(self) -> str | None:
        """The id_token /auth issued last."""
        with self._lock:
            return self._last_id_token

    # --- id_tokens ---

    def launch_claims(self, sub: str, resource_link_id: str, nonce: str) -> dict:
        """The claims /auth would sign for this student opening this link."""
        user, link = self._user(sub), self._link(resource_link_id)
        launch = _ClaimBuilder(self._config, nonce)
        launch.set_user_data(sub, [LEARNER], full_name=user.name, email_address=user.email)
        launch.set_resource_link_claim(link.id, title=link.title)
        launch.set_launch_context_claim(
            self.context_id, [COURSE_OFFERING], self.context_title, context_label=self.context_id
        )
        launch.set_launch_presentation_claim("iframe", f"{self.url}/course/{quote(sub, safe='')}")
        if link.custom:
            launch.set_custom_parameters_claim(dict(link.custom))
        lineitem = self._item_url(link.lineitem) if link.lineitem is not None else None
        launch.set_ags(self.lineitems_url(), lineitem)
        # The library offers lineitem or lineitem.readonly, never both; Moodle grants all four.
        extra: dict[str, Any] = {
            AGS_CLAIM: {**launch.extra_claims[AGS_CLAIM], "scope": list(AGS_SCOPES)}
        }
        if user.name:
            given, _, family = user.name.partition(" ")
            extra |= {"given_name": given} | ({"family_name": family} if family else {})
        if user.sourcedid:
            extra["https://purl.imsglobal.org/spec/lti/claim/lis"] = {
                "person_sourcedid": user.sourcedid
            }
        launch.set_extra_claims(extra)
        claims, _state = launch.get_launch_data()
        now = int(time.time())
        return {**claims, "iat": now, "exp": now + ID_TOKEN_SECONDS}

    def sign(self, claims: dict, *, key: str = "platform", alg: str = "RS256") -> str:
        """Sign claims as /auth does; key="stranger" forges (another key, our kid), alg="none"
        leaves them unsigned (both for attack tests on the tool)."""
        headers = {"kid": self._kid}
        if alg == "none":
            return jwt.encode(dict(claims), None, algorithm="none", headers=headers)
        if key == "platform" and alg == "RS256":
            return self._config.get_registration().platform_encode_and_sign(dict(claims))
        if key not in ("platform", "stranger"):
            raise PlatformSetupError(f"key must be 'platform' or 'stranger', not {key!r}")
        signer = self._key if key == "platform" else self._stranger_key
        return jwt.encode(dict(claims), _pem(signer), algorithm=alg, headers=headers)

    @functools.cached_property
    def _stranger_key(self) -> rsa.RSAPrivateKey:
        return _rsa_key()  # made on first use: key generation is the slow part of a start

    # --- HTTP ---

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None)
        app.middleware("http")(self._injected_failures)
        app.add_exception_handler(Refusal, refusal_json)  # type: ignore[arg-type]
        app.add_api_route("/launch", self._launch_start, methods=["GET"])
        app.add_api_route("/auth", self._authenticate, methods=["GET", "POST"])
        app.add_api_route("/jwks", self._jwks, methods=["GET"])
        app.add_api_route("/token", self._token, methods=["POST"])
        app.add_api_route("/course/{sub}", self._course_page, methods=["GET"])
        app.add_api_route("/gradebook", self._gradebook_page, methods=["GET"])
        items = "/contexts/{context_id}/lineitems"
        app.add_api_route(items, self._get_lineitems, methods=["GET"])
        app.add_api_route(items, self._create_lineitem, methods=["POST"])
        app.add_api_route(items + "/{number}", self._get_lineitem, methods=["GET"])
        app.add_api_route(items + "/{number}/scores", self._post_score, methods=["POST"])
        app.add_api_route(items + "/{number}/results", self._get_results, methods=["GET"])
        return app

    async def _injected_failures(self, request: Request, call_next: Any) -> Response:
        if request.url.path == "/token" or request.url.path.startswith("/contexts/"):
            with self._lock:
                left, status = self._failures
                if left > 0:
                    self._failures = (left - 1, status)
                    return JSONResponse({"error": "injected_failure"}, status_code=status)
        return await call_next(request)

    def _launch_start(self, sub: str, resource_link_id: str) -> Response:
        if sub not in self._users or resource_link_id not in self._links:
            raise Refusal(404, "not_found", "no such student or resource link in the course")
        login_hint, message_hint = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        with self._lock:
            self._login_hints[login_hint] = sub
            self._message_hints[message_hint] = (login_hint, resource_link_id)
        login = _LoginRedirect(None, self._config)
        login.set_lti_message_hint(hint=message_hint)
        return login.initiate_login(login_hint)

    async def _authenticate(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params |= {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        try:
            sub, resource_link_id = self._check_auth_request(params)
        except Refusal as refusal:
            return PlainTextResponse(refusal.description, status_code=400)
        id_token = self.sign(self.launch_claims(sub, resource_link_id, params["nonce"]))
        with self._lock:
            self._last_id_token = id_token
        return HTMLResponse(_launch_form(params["redirect_uri"], id_token, params["state"]))

    def _check_auth_request(self, params: dict[str, str]) -> tuple[str, str]:
        # Written here: the library's validate_preflight_response checks only nonce, state and
        # client_id, not redirect_uri against the registration nor the hints, and says nothing.
        expected = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": self.client_id,
            "redirect_uri": self.tool_launch_url,
        }
        for name, value in expected.items():
            if params.get(name) != value:
                raise Refusal(
                    400, "invalid_request", f"{name} must be {value!r}, not {params.get(name)!r}"
                )
        for name in ("nonce", "state"):
            if not params.get(name):
                raise Refusal(400, "invalid_request", f"{name} is missing")
        with self._lock:
            sub = self._login_hints.get(params.get("login_hint", ""))
            issued = self._message_hints.get(params.get("lti_message_hint", ""))
        if sub is None:
            raise Refusal(400, "invalid_request", "login_hint was not issued by this platform")
        if issued is None or issued[0] != params["login_hint"]:
            raise Refusal(
                400, "invalid_request", "lti_message_hint was not issued with this login_hint"
            )
        return sub, issued[1]

    def _jwks(self) -> Response:
        return JSONResponse(self._config.get_jwks())

    async def _token(self, request: Request) -> Response:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        granted = await run_in_threadpool(self._grant, form)  # fetches the tool's key set
        return JSONResponse(granted, headers={"Cache-Control": "no-store"})

    def _grant(self, form: dict[str, str]) -> dict:
        for name in ("grant_type", "client_assertion_type", "client_assertion", "scope"):
            if not form.get(name):
                raise Refusal(400, "invalid_request", f"{name} is missing")
        if form["grant_type"] != "client_credentials":
            raise Refusal(400, "unsupported_grant_type", "only client_credentials is granted")
        if form["client_assertion_type"] != JWT_BEARER:
            raise Refusal(400, "invalid_request", f"client_assertion_type must be {JWT_BEARER}")
        with self._token_lock:
            jti = self._check_assertion(form["client_assertion"])
            granted = dict(self._config.get_access_token(form))  # the library signs the token
            self._seen_jti.add(jti)
        if not granted["scope"]:
            raise Refusal(400, "invalid_scope", f"none of {form['scope']!r} is offered")
        return granted | {"token_type": "Bearer"}  # the library answers "bearer"

    def _check_assertion(self, assertion: str) -> str:
        """Verify the tool's client assertion and return its jti."""
        # The library finds the tool's key by kid but decodes without checking aud, iss, sub or
        # jti; we take its key and decode here.
        try:
            self._config.validate_jwt_format(assertion)
            try:
                public_key = self._config.get_tool_public_key()
            except LtiException:  # maybe the tool rotated its key: the library caches the old set
                self._config.get_registration().set_tool_key_set(None)  # type: ignore[arg-type]
                public_key = self._config.get_tool_public_key()
            claims = jwt.decode(
                assertion,
                public_key,
                algorithms=["RS256"],
                audience=self.auth_token_url,
                issuer=self.client_id,
                options={"require": ["iss", "sub", "aud", "exp", "jti"]},
            )
        except (LtiException, jwt.PyJWTError) as err:
            raise Refusal(401, "invalid_client", f"client assertion refused: {err}") from err
        if claims["sub"] != self.client_id:
            raise Refusal(401, "invalid_client", f"client assertion sub must be {self.client_id!r}")
        if claims["jti"] in self._seen_jti:
            raise Refusal(401, "invalid_client", "client assertion jti was already used")
        return claims["jti"]

    def _authorize(self, request: Request, scopes: list[str]) -> None:
        kind, _, token = request.headers.get("authorization", "").partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise Refusal(401, "invalid_token", "a bearer access token is required")
        try:
            allowed = self._config.validate_token(token.strip(), allowed_scopes=scopes)
        except (LtiException, jwt.PyJWTError) as err:
            raise Refusal(401, "invalid_token", f"access token refused: {err}") from err
        if not allowed:
            raise Refusal(403, "insufficient_scope", f"needs one of {scopes}")

    def _gradebook_page(self) -> HTMLResponse:
        """The course's grades as the teacher sees them in the LMS: a column per line item,
        a row per student, the latest score scaled to the column's maximum as Moodle does, and
        the tool's score beside it (cell id `grade-<sub>-<line item number>`)."""
        with self._lock:
            items = sorted(self._items.items())
            users = sorted(self._users)
        head = "".join(
            f"<th>{html.escape(str(item.fields.get('label', number)))} "
            f"(из {item.fields.get('scoreMaximum')})</th>"
            for number, item in items
        )
        rows = []
        for sub in users:
            cells = []
            for number, item in items:
                latest = [p for p in item.posts if p["userId"] == sub]
                shown = _grade(latest[-1], item.fields["scoreMaximum"]) if latest else ""
                cells.append(f'<td id="grade-{html.escape(sub)}-{number}">{shown}</td>')
            rows.append(f"<tr><td>{html.escape(sub)}</td>{''.join(cells)}</tr>")
        title = html.escape(self.context_title)
        return HTMLResponse(
            f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Оценки: {title}'
            f'</title></head><body><h1>Оценки: {title}</h1><table border="1" id="grades">'
            f"<tr><th>Пользователь</th>{head}</tr>{''.join(rows)}</table></body></html>"
        )

    def _course_page(self, sub: str) -> HTMLResponse:
        if sub not in self._users:
            raise Refusal(404, "not_found", f"no student {sub!r} in the course")
        with self._lock:
            course = list(self._links.values())
        links = "".join(
            f'<li><a id="launch-{html.escape(link.id)}" '
            f'href="{html.escape(self.launch_start_url(sub, link.id))}">{html.escape(link.title)}</a></li>'
            for link in course
        )
        title = html.escape(self.context_title)
        return HTMLResponse(
            f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Курс: {title}</title>'
            f"</head><body><h1>Курс: {title}</h1><p>Открыть задание:</p><ul>{links}</ul></body></html>"
        )

    # --- lookups (callers hold self._lock where they mutate) ---

    def _user(self, sub: str) -> _User:
        if sub not in self._users:
            raise PlatformSetupError(f"no user {sub!r}: add_user() it first")
        return self._users[sub]

    def _link(self, resource_link_id: str) -> _ResourceLink:
        if resource_link_id not in self._links:
            raise PlatformSetupError(
                f"no resource link {resource_link_id!r}: add_resource_link() it first"
            )
        return self._links[resource_link_id]


def _grade(post: dict, column_maximum: float) -> str:
    """'100 (1.75 из 1.75)': the score on the column's scale, then as the tool sent it."""
    if "scoreGiven" not in post:
        return ""
    given, maximum = post["scoreGiven"], post["scoreMaximum"]
    return f"{round(given / maximum * column_maximum, 2):g} ({given:g} из {maximum:g})"


def _launch_form(redirect_uri: str, id_token: str, state: str) -> str:
    """The form_post answer: auto-submitted by script, with a button for clients without it."""
    action, token, state = (html.escape(value) for value in (redirect_uri, id_token, state))
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Переход к заданию</title>'
        f'</head><body><form id="lti-launch" method="post" action="{action}">'
        f'<input type="hidden" name="id_token" value="{token}">'
        f'<input type="hidden" name="state" value="{state}">'
        '<button type="submit">Открыть</button></form>'
        '<script>document.getElementById("lti-launch").submit();</script></body></html>'
    )


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
