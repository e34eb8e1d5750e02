"""Web service basics against attacks that need no bug in our pages: a session copied
before logout, a chunked upload with no Content-Length, wrong tokens from an address
that keeps changing (a reissued token ending sessions: test_serve_app.py)."""

from __future__ import annotations

import asyncio

from autograder.serve.app import ServeSettings, create_app
from autograder.serve.sessions import LoginLimiter

from .conftest import csrf_of, login


def test_a_cookie_copied_before_logout_is_dead_after_it(serve_course, client_for):
    browser, thief = client_for(), client_for()
    assert login(browser, serve_course.tokens["alice"]).status_code == 303
    stolen = dict(browser.cookies)
    thief.cookies.update(stolen)
    assert thief.get("/homeworks").status_code == 200  # the copy works while the session lives
    csrf = csrf_of(browser)
    assert browser.post("/logout", data={"csrf": csrf}).status_code == 303
    thief.cookies.clear()
    thief.cookies.update(stolen)
    assert thief.get("/homeworks").status_code == 303  # back to the login page
    upload = thief.post(
        "/homeworks/hw01/upload",
        data={"csrf": csrf},
        files={"notebook": ("hw01.ipynb", b"{}", "application/json")},
    )
    assert upload.status_code == 401 and not list((serve_course.data_dir / "uploads").glob("*"))


def test_logging_in_again_after_logout_works(serve_course, client_for):
    browser = client_for()
    login(browser, serve_course.tokens["alice"])
    browser.post("/logout", data={"csrf": csrf_of(browser)})
    assert login(browser, serve_course.tokens["alice"]).status_code == 303
    assert browser.get("/homeworks").status_code == 200


# ---------------------------------------------------------------- the size cap, streamed

CHUNK = 64 * 2**10
PART_HEAD = (
    b'--endless\r\nContent-Disposition: form-data; name="notebook"; filename="hw01.ipynb"'
    b"\r\nContent-Type: application/json\r\n\r\n"
)


def _post_endless_body(app, token: str, declared: int | None = None) -> tuple[int, int, bytes]:
    """POST an upload whose body never ends (chunked, no Content-Length unless `declared`)
    straight into the ASGI app; (status, bytes the app pulled from the body, reply)."""
    pulled = 0
    replies: list[dict] = []

    async def receive():
        nonlocal pulled
        body = (PART_HEAD + b"x" * CHUNK)[:CHUNK] if pulled == 0 else b"x" * CHUNK
        pulled += len(body)
        return {"type": "http.request", "body": body, "more_body": True}

    async def send(message):
        replies.append(message)

    headers = [
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"multipart/form-data; boundary=endless"),
    ]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/homeworks/hw01/submissions",
        "raw_path": b"/api/v1/homeworks/hw01/submissions",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 60))
    start = next(m for m in replies if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in replies if m["type"] == "http.response.body")
    return start["status"], pulled, body


def test_a_chunked_upload_is_cut_off_at_the_cap_without_reading_on(serve_course):
    cap = 2**20
    app = create_app(ServeSettings(serve_course.root, serve_course.url, serve_course.data_dir, cap))
    status, pulled, body = _post_endless_body(app, serve_course.tokens["alice"])
    assert status == 413 and "больше допустимого" in body.decode()
    assert pulled <= cap + 64 * 2**10 + 2 * CHUNK  # the cap, its slack, and one chunk over
    assert not list((serve_course.data_dir / "uploads").glob("*"))


def test_a_declared_length_over_the_cap_is_refused_before_a_byte_is_read(serve_course):
    app = create_app(
        ServeSettings(serve_course.root, serve_course.url, serve_course.data_dir, 2**20)
    )
    status, pulled, _ = _post_endless_body(app, serve_course.tokens["alice"], 50 * 2**20)
    assert status == 413 and pulled == 0


# ---------------------------------------------------------------- failed logins


def test_wrong_tokens_from_ever_new_addresses_meet_the_global_limit():
    limiter = LoginLimiter(failures=3)
    blocked_at = None
    for n in range(100):
        address = f"10.0.{n}.1"  # never the same twice
        if limiter.blocked(address):
            blocked_at = n
            break
        limiter.failed(address)
    assert blocked_at == 3 * LoginLimiter.GLOBAL_FACTOR
    assert limiter.blocked("192.0.2.1")  # a newcomer too, while it lasts


def test_one_address_is_limited_long_before_the_global_bucket():
    limiter = LoginLimiter(failures=3)
    for _ in range(3):
        limiter.failed("10.0.0.1")
    assert limiter.blocked("10.0.0.1") and not limiter.blocked("10.0.0.2")


def test_the_api_throttles_wrong_bearer_tokens(serve_course, client_for):
    client = client_for(login_failures=3)
    codes = [
        client.get("/api/v1/homeworks", headers={"Authorization": f"Bearer wrong-{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [401, 401, 401, 429]
