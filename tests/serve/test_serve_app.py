"""The student pages and the API at the request level (FastAPI's TestClient): login,
cookies, CSRF, the homework list, uploads, receipts, attempts, caps, refusals."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

from .conftest import BROKEN, HONEST, csrf_of, login, notebook_bytes


def bearer(serve_course, student="alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {serve_course.tokens[student]}"}


def upload(client, headers, data: bytes, homework="hw01", **form):
    return client.post(
        f"/api/v1/homeworks/{homework}/submissions",
        headers=headers,
        files={"notebook": ("../../etc/passwd.ipynb", data, "application/x-ipynb+json")},
        data=form,
    )


def test_login_with_a_token_sets_a_signed_httponly_samesite_cookie(serve_course, client_for):
    client = client_for()
    reply = login(client, serve_course.tokens["alice"])
    assert reply.status_code == 303 and reply.headers["location"] == "/homeworks"
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    page = client.get("/homeworks")
    assert page.status_code == 200 and '<b id="student">alice</b>' in page.text
    assert "Функции" in page.text and "01.01.2099" in page.text


def test_secure_cookies_behind_tls(serve_course, client_for):
    reply = login(client_for(secure_cookies=True), serve_course.tokens["alice"])
    assert "Secure" in reply.headers["set-cookie"]


def test_reissuing_a_token_ends_the_sessions_opened_with_the_old_one(serve_course, client_for):
    from autograder.serve.roster import issue_tokens

    client = client_for()
    login(client, serve_course.tokens["alice"])
    assert client.get("/homeworks").status_code == 200
    book = serve_course.gradebook()
    issue_tokens(book, ["alice"])
    book.close()
    assert client.get("/homeworks").headers["location"] == "/"


def test_a_forged_cookie_is_no_session(serve_course, client_for):
    client = client_for()
    client.cookies.set("autograder_session", "eyJzIjoiYWxpY2UiLCJjIjoieCJ9.forged.sig")
    assert client.get("/homeworks").headers["location"] == "/"


def test_a_wrong_token_is_401_in_russian_and_repeated_failures_are_rate_limited(
    serve_course, client_for
):
    client = client_for(login_failures=3)
    for _ in range(3):
        reply = login(client, "wrong-token")
        assert reply.status_code == 401 and "Неверный или отозванный ключ доступа" in reply.text
    reply = login(client, serve_course.tokens["alice"])  # even the right one, for a while
    assert reply.status_code == 429 and "Слишком много неудачных попыток" in reply.text
    api = client.get("/api/v1/homeworks", headers=bearer(serve_course))
    assert api.status_code == 429


def test_the_api_refuses_without_a_bearer_token(serve_course, client_for):
    client = client_for()
    reply = client.get("/api/v1/homeworks")
    assert (
        reply.status_code == 401
        and reply.json()["detail"] == "Неверный или отозванный ключ доступа."
    )
    assert reply.headers["www-authenticate"] == "Bearer"
    assert (
        client.get("/api/v1/homeworks", headers={"Authorization": "Basic abc"}).status_code == 401
    )


def test_forms_without_the_sessions_csrf_token_are_refused(serve_course, client_for):
    client = client_for()
    assert client.post("/login", data={"token": serve_course.tokens["alice"]}).status_code == 403
    login(client, serve_course.tokens["alice"])
    reply = client.post(
        "/homeworks/hw01/upload",
        files={"notebook": ("a.ipynb", notebook_bytes(HONEST), "application/json")},
        data={"csrf": "not-the-token"},
    )
    assert reply.status_code == 403 and "Форма устарела" in reply.text
    assert client.post("/logout", data={}).status_code == 403


def test_upload_through_the_form_gives_a_receipt_page(serve_course, client_for):
    client = client_for()
    login(client, serve_course.tokens["alice"])
    data = notebook_bytes(HONEST)
    reply = client.post(
        "/homeworks/hw01/upload",
        files={"notebook": ("мой.ipynb", data, "application/json")},
        data={"csrf": csrf_of(client)},
    )
    assert reply.status_code == 303 and reply.headers["location"].startswith("/receipts/")
    page = client.get(reply.headers["location"])
    assert hashlib.sha256(data).hexdigest() in page.text
    assert "вовремя" in page.text and '<td id="attempt">1</td>' in page.text
    assert "в очереди на проверку" in page.text
    again = client.post(
        "/homeworks/hw01/upload",
        files={"notebook": ("другое-имя.ipynb", data, "application/json")},
        data={"csrf": csrf_of(client)},
    )
    assert again.headers["location"] == reply.headers["location"] + "?repeated=1"
    assert "попытка не израсходована" in client.get(again.headers["location"]).text


def test_receipt_has_server_time_sha_and_attempt_and_the_same_file_uses_no_attempt(
    serve_course, client_for
):
    client = client_for()
    headers = bearer(serve_course)
    first = upload(client, headers, notebook_bytes(HONEST))
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["attempt"] == 1 and receipt["late"] is False and receipt["new"] is True
    assert receipt["sha256"] == hashlib.sha256(notebook_bytes(HONEST)).hexdigest()
    assert receipt["received_at"].endswith("+00:00")
    same = upload(client, headers, notebook_bytes(HONEST))
    assert (
        same.status_code == 200
        and same.json()["id"] == receipt["id"]
        and same.json()["new"] is False
    )
    second = upload(client, headers, notebook_bytes(HONEST, "v2")).json()
    assert second["attempt"] == 2
    [hw01] = [
        h for h in client.get("/api/v1/homeworks", headers=headers).json() if h["id"] == "hw01"
    ]
    assert hw01["attempts_left"] == 1  # 3 allowed, 2 used; the repeat cost nothing


def test_attempts_run_out(serve_course, client_for):
    client = client_for()
    headers = bearer(serve_course)
    for n in range(3):
        assert upload(client, headers, notebook_bytes(HONEST, str(n))).status_code == 201
    refused = upload(client, headers, notebook_bytes(HONEST, "4"))
    assert refused.status_code == 429 and refused.json()["code"] == "no-attempts"
    assert "Попытки закончились" in refused.json()["detail"]
    other = upload(client, bearer(serve_course, "bob"), notebook_bytes(HONEST, "4"))
    assert other.status_code == 201  # attempts are per student


def test_a_late_upload_needs_explicit_confirmation(serve_course, client_for):
    client = client_for()
    headers = bearer(serve_course)
    refused = upload(client, headers, notebook_bytes(HONEST), homework="hw02")
    assert refused.status_code == 409 and refused.json()["code"] == "late-unconfirmed"
    confirmed = upload(
        client, headers, notebook_bytes(HONEST), homework="hw02", confirm_late="true"
    )
    assert confirmed.status_code == 201 and confirmed.json()["late"] is True
    login(client, serve_course.tokens["alice"])
    page = client.get("/homeworks")
    assert "Сдаю после срока" in page.text and "(срок прошёл)" in page.text


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 422, "empty"),
        (b"{not json", 422, "not-json"),
        ("ноутбук".encode("cp1251"), 422, "not-utf8"),
        (json.dumps({"cells": "nope", "nbformat": 4}).encode(), 422, "not-notebook"),
        (
            json.dumps(
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}
            ).encode(),
            422,
            "not-notebook",
        ),
        (b"[" * 100 + b"]" * 100, 422, "too-deep"),
        (b"[" * 100_000 + b"]" * 100_000, 422, "too-deep"),
    ],
)
def test_what_is_not_a_sane_notebook_is_refused(serve_course, client_for, data, status, code):
    reply = upload(client_for(), bearer(serve_course), data)
    assert reply.status_code == status and reply.json()["code"] == code, reply.text


def test_an_upload_over_the_size_cap_is_413(serve_course, client_for):
    client = client_for(max_upload_bytes=2000)
    nb = notebook_bytes(HONEST + "\n# " + "x" * 3000)
    reply = upload(client, bearer(serve_course), nb)
    assert reply.status_code == 413 and "больше допустимого" in reply.json()["detail"]


def test_unknown_or_unreleased_homework_is_404(serve_course, client_for):
    client = client_for()
    for homework in ("hw09", "exam", "..%2F..%2Fetc"):
        reply = upload(client, bearer(serve_course), notebook_bytes(HONEST), homework=homework)
        assert reply.status_code == 404, homework


def test_files_are_stored_under_generated_names_read_only_and_never_overwritten(
    serve_course, client_for
):
    client = client_for()
    ids = [
        upload(client, bearer(serve_course), notebook_bytes(BROKEN, str(n))).json()["id"]
        for n in range(2)
    ]
    stored = sorted((serve_course.data_dir / "uploads").iterdir())
    assert sorted(p.name for p in stored) == sorted(f"{i}.ipynb" for i in ids)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o440 for p in stored)
    from autograder.serve.uploads import store_file

    with pytest.raises(FileExistsError):
        store_file(stored[0], b"overwrite")
    assert stored[0].read_bytes() != b"overwrite"


def test_openapi_docs_describe_the_api(serve_course, client_for):
    paths = client_for().get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/homeworks",
        "/api/v1/homeworks/{homework}/submissions",
        "/api/v1/receipts/{public_id}",
    } <= set(paths)


def test_a_body_declared_larger_than_the_cap_is_refused_before_it_is_read(serve_course, client_for):
    client = client_for(max_upload_bytes=2**20)
    reply = client.post(
        "/api/v1/homeworks/hw01/submissions",
        headers={**bearer(serve_course), "Content-Length": str(3 * 2**20)},
        content=b"x" * 10,
    )
    assert reply.status_code == 413 and reply.json()["code"] == "too-large"
