"""pylti1p3 on FastAPI and the gradebook: the thin pieces the library leaves to a web
framework (a request, cookies, a redirect) and to the application (where launch data lives,
how service tokens are cached), written against its abstract classes as its Django and
Flask adapters are. Nothing here validates a token: pylti1p3 does."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import requests
from fastapi.responses import RedirectResponse
from pylti1p3.cookie import CookieService
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.request import Request
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService
from sqlalchemy import delete

from autograder.gradebook.database import Gradebook, LtiLaunchValue, now

HTTP_TIMEOUT_S = 20  # a platform that does not answer must not hold a request forever


class LaunchRequest(Request):
    """One HTTP request as pylti1p3 reads it: its parameters (query and form, already read
    by the async handler), its cookies, and whether it came over HTTPS. No `session`: that
    serves pylti1p3's session storage, and ours is the gradebook (GradebookStorage)."""

    def __init__(self, params: dict[str, str], cookies: dict[str, str], secure: bool):
        self._params, self._cookies, self._secure = params, cookies, secure

    def is_secure(self) -> bool:
        return self._secure

    def get_param(self, key: str) -> str:
        return self._params.get(key)

    def get_cookie(self, key: str) -> str | None:
        return self._cookies.get(key)


class LaunchCookies(CookieService):
    """The state and launch-session cookies. Over HTTPS they are SameSite=None (the
    platform's form posts the launch from its own site); over plain HTTP (a test on
    127.0.0.1, where platform and tool are one site) Lax."""

    def __init__(self, request: LaunchRequest):
        self._request = request
        self._to_set: dict[str, tuple[str, int | None]] = {}

    def _name(self, name: str) -> str:
        return f"{self._cookie_prefix}-{name}"

    def get_cookie(self, name: str) -> str | None:
        return self._request.get_cookie(self._name(name))

    def set_cookie(self, name: str, value, exp: int | None = 3600) -> None:
        self._to_set[self._name(name)] = (str(value), exp)

    def update_response(self, response) -> None:
        secure = self._request.is_secure()
        for name, (value, exp) in self._to_set.items():
            response.set_cookie(
                name, value, max_age=exp, path="/lti", httponly=True, secure=secure,
                samesite="none" if secure else "lax",
            )  # fmt: skip


class LaunchRedirect(Redirect):
    def __init__(self, location: str, cookies: LaunchCookies):
        self._location, self._cookies = location, cookies

    def do_redirect(self):
        response = RedirectResponse(self._location, status_code=302)
        self._cookies.update_response(response)
        return response

    def do_js_redirect(self):  # never asked for: the login always answers with a 302
        return self.do_redirect()

    def set_redirect_url(self, location: str) -> None:
        self._location = location

    def get_redirect_url(self) -> str:
        return self._location


class GradebookStorage(LaunchDataStorage):
    """pylti1p3's launch data in the gradebook (`lti_launch_values`), so that the OIDC login
    and the launch may reach different server processes, and a restart loses at most the
    launches in flight. Keys carry the launch-session cookie's id (set at login)."""

    def __init__(self, gradebook: Gradebook):
        super().__init__()
        self._gradebook = gradebook

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        with self._gradebook.transaction() as session:
            row = session.get(LtiLaunchValue, self._prepare_key(key))
            if row is None or row.expires_at <= now():
                return None
            return json.loads(row.value)

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        at = now()
        with self._gradebook.transaction() as session:
            session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.expires_at <= at))
            session.merge(
                LtiLaunchValue(
                    key=self._prepare_key(key),
                    value=json.dumps(value),
                    expires_at=at + timedelta(seconds=exp or 86400),
                )
            )

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def take(self, key: str) -> bool:
        """Delete the value if it is there and alive; True for exactly one caller."""
        with self._gradebook.transaction() as session:
            gone = session.execute(
                delete(LtiLaunchValue).where(
                    LtiLaunchValue.key == self._prepare_key(key), LtiLaunchValue.expires_at > now()
                )
            )
            return gone.rowcount == 1


class OneTimeNonces(SessionService):
    """pylti1p3 only checks that a launch's nonce was issued; here a launch also uses it up,
    so the same id_token (or another with the same nonce) posted again is refused. Launch
    data lives an hour (pylti1p3's default is a day)."""

    _launch_data_lifetime = 3600

    def check_nonce(self, nonce: str) -> bool:
        storage = self.data_storage
        key = self._get_key("nonce", nonce)
        return storage.take(key) if isinstance(storage, GradebookStorage) else False


class ToolLogin(OIDCLogin):
    def __init__(self, request: LaunchRequest, tool_config, storage: GradebookStorage):
        cookies = LaunchCookies(request)
        super().__init__(
            request, tool_config, session_service=OneTimeNonces(request),
            cookie_service=cookies, launch_data_storage=storage,
        )  # fmt: skip

    def get_redirect(self, url: str) -> LaunchRedirect:
        return LaunchRedirect(url, self._cookie_service)


class ToolLaunch(MessageLaunch):
    """A launch as pylti1p3 validates it (state, nonce, registration, signature from the
    platform's JWKS, deployment, message); PyJWT checks `exp`, and `iat` must be there."""

    def __init__(self, request: LaunchRequest, tool_config, storage: GradebookStorage):
        self.cookies = LaunchCookies(request)
        super().__init__(
            request, tool_config, session_service=OneTimeNonces(request),
            cookie_service=self.cookies, launch_data_storage=storage,
            requests_session=http_session(), service_connector_cls=ToolServiceConnector,
        )  # fmt: skip
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)


class _Timeouts(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    session = _Timeouts()
    session.headers["User-Agent"] = "course-autograder (LTI 1.3 tool)"
    return session


class ToolServiceConnector(ServiceConnector):
    """pylti1p3's service connector with the access-token cache it leaves to the
    application: per process, until a minute before the token expires."""

    _tokens: dict[str, tuple[str, float]] = {}
    _lock = threading.Lock()

    def __init__(self, registration, requests_session: requests.Session | None = None):
        super().__init__(registration, requests_session or http_session())

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        with self._lock:
            token, until = self._tokens.get(scope_key, ("", 0.0))
        return token if token and time.monotonic() < until else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        with self._lock:
            self._tokens[scope_key] = (access_token, time.monotonic() + float(expires_in) - 60)
