"""The test LTI 1.3 platform behaves like a strict LMS: login redirect, signed id_token,
client-credentials tokens, AGS line items and scores. A fake tool here is only a key set."""

import json
import re
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from .ags import AGS_CLAIM, AGS_SCOPES, SCORE_MEDIA
from .platform import LocalPlatform
from .server import BackgroundServer

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
TOOL_KID = "tool-key-1"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tool_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def tool(tool_key) -> Iterator[BackgroundServer]:
    """A stand-in tool that only serves its key set."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(tool_key.public_key()))
    jwk |= {"kid": TOOL_KID, "alg": "RS256", "use": "sig"}
    app = FastAPI()
    app.get("/jwks")(lambda: {"keys": [jwk]})
    server = BackgroundServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module: a new httpx client loads the CA bundle (tens of ms)."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def platform(tool) -> Iterator[LocalPlatform]:
    with LocalPlatform(
        tool_login_url=tool.url + "/lti/login",
        tool_launch_url=tool.url + "/lti/launch",
        tool_jwks_url=tool.url + "/jwks",
    ) as platform:
        platform.add_user("s1", email="ivanov@example.org", name="Иван Иванов", sourcedid="1001")
        platform.add_user("s2")
        platform.add_resource_link("hw01", title="ДЗ 1", custom={"homework": "hw01"}, lineitem=True)
        platform.add_resource_link("hw02", title="ДЗ 2")
        yield platform


def login_request(
    http: httpx.Client, platform: LocalPlatform, sub: str, link: str
) -> dict[str, str]:
    reply = http.get(platform.launch_start_url(sub, link))
    assert reply.status_code == 302
    location = urlsplit(reply.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.tool_login_url
    return dict(parse_qsl(location.query))


def auth_params(login: dict[str, str], **overrides: str) -> dict[str, str]:
    """The authentication request a well-behaved tool sends back."""
    return {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": login["client_id"],
        "redirect_uri": login["target_link_uri"],
        "login_hint": login["login_hint"],
        "lti_message_hint": login["lti_message_hint"],
        "nonce": "nonce-123",
        "state": "state-456",
    } | overrides


def launch(http: httpx.Client, platform: LocalPlatform, sub: str, link: str) -> tuple[str, dict]:
    """Run login and /auth; return the form's action and its fields."""
    reply = http.post(
        platform.auth_login_url, data=auth_params(login_request(http, platform, sub, link))
    )
    assert reply.status_code == 200, reply.text
    form = re.search(r'<form id="lti-launch" method="post" action="([^"]+)">', reply.text)
    assert form and '<button type="submit">' in reply.text and ".submit()" in reply.text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', reply.text))
    return form.group(1), fields


def verified(http: httpx.Client, platform: LocalPlatform, id_token: str) -> dict:
    keys = jwt.PyJWKSet.from_dict(http.get(platform.key_set_url).json())
    key = keys[jwt.get_unverified_header(id_token)["kid"]]
    assert key.algorithm_name == "RS256" and key.public_key_use == "sig"
    return jwt.decode(
        id_token, key, algorithms=["RS256"], audience="autograder", issuer=platform.issuer
    )


def assertion(platform: LocalPlatform, key: rsa.RSAPrivateKey, **overrides) -> str:
    now = int(time.time())
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.auth_token_url,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_hex(8),
    } | overrides
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": TOOL_KID})


def token_reply(
    http: httpx.Client, platform: LocalPlatform, client_assertion: str, scopes=AGS_SCOPES
) -> httpx.Response:
    return http.post(
        platform.auth_token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion,
            "scope": " ".join(scopes),
        },
    )


def bearer(
    http: httpx.Client, platform: LocalPlatform, key: rsa.RSAPrivateKey, scopes=AGS_SCOPES
) -> dict[str, str]:
    reply = token_reply(http, platform, assertion(platform, key), scopes)
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def post_score(
    http: httpx.Client, lineitem: str, headers: dict, user: str, given: float, at: datetime
) -> httpx.Response:
    score = {
        "userId": user,
        "scoreGiven": given,
        "scoreMaximum": 10,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": at.isoformat(),
    }
    return http.post(
        lineitem + "/scores",
        headers=headers | {"Content-Type": SCORE_MEDIA},
        content=json.dumps(score),
    )


def test_launch_start_redirects_to_the_tool_login_with_opaque_hints(http, platform):
    login = login_request(http, platform, "s1", "hw01")
    assert login["iss"] == platform.issuer == platform.url
    assert login["target_link_uri"] == platform.tool_launch_url
    assert login["client_id"] == "autograder" and login["lti_deployment_id"] == "1"
    assert login["login_hint"] not in ("s1", "") and login["lti_message_hint"] not in ("hw01", "")


def test_auth_posts_an_id_token_signed_with_the_published_key(http, platform):
    action, fields = launch(http, platform, "s1", "hw01")
    assert action == platform.tool_launch_url and fields["state"] == "state-456"
    assert platform.last_id_token() == fields["id_token"]
    claims = verified(http, platform, fields["id_token"])
    assert (
        claims["sub"] == "s1" and claims["azp"] == "autograder" and claims["nonce"] == "nonce-123"
    )
    assert claims["exp"] == claims["iat"] + 300
    assert (claims["name"], claims["given_name"], claims["family_name"]) == (
        "Иван Иванов",
        "Иван",
        "Иванов",
    )
    assert claims["email"] == "ivanov@example.org"
    assert (
        claims[LTI + "message_type"] == "LtiResourceLinkRequest"
        and claims[LTI + "version"] == "1.3.0"
    )
    assert claims[LTI + "deployment_id"] == "1"
    assert claims[LTI + "target_link_uri"] == platform.tool_launch_url
    assert claims[LTI + "resource_link"] == {"id": "hw01", "title": "ДЗ 1"}
    assert (
        claims[LTI + "context"]["id"] == "nn-2026"
        and claims[LTI + "context"]["title"] == "Нейронные сети"
    )
    assert claims[LTI + "roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
    assert claims[LTI + "lis"] == {"person_sourcedid": "1001"}
    assert claims[LTI + "custom"] == {"homework": "hw01"}
    ags = claims[AGS_CLAIM]
    assert (
        sorted(ags["scope"]) == sorted(AGS_SCOPES) and ags["lineitems"] == platform.lineitems_url()
    )
    assert ags["lineitem"] == platform.line_items()[0]["id"]


def test_unshared_name_and_email_and_a_link_without_grades_are_left_out(http, platform):
    claims = verified(http, platform, launch(http, platform, "s2", "hw02")[1]["id_token"])
    assert not {"name", "given_name", "family_name", "email"} & claims.keys()
    assert LTI + "lis" not in claims and LTI + "custom" not in claims
    assert "lineitem" not in claims[AGS_CLAIM]


REFUSED_AUTH = [
    {"redirect_uri": "http://127.0.0.1:1/evil"},
    {"client_id": "someone-else"},
    {"scope": "openid profile"},
    {"response_type": "code"},
    {"response_mode": "query"},
    {"prompt": "login"},
    {"login_hint": "s1"},
    {"lti_message_hint": "hw01"},
    {"nonce": ""},
    {"state": ""},
]


def test_auth_refuses_a_request_that_is_not_ours(http, platform):
    for override in REFUSED_AUTH:
        params = auth_params(login_request(http, platform, "s1", "hw01"), **override)
        reply = http.post(platform.auth_login_url, data=params)
        assert reply.status_code == 400, override
        assert reply.headers["content-type"].startswith("text/plain") and "<form" not in reply.text
    assert platform.last_id_token() is None


def test_message_hint_of_another_login_is_refused(http, platform):
    first, second = (
        login_request(http, platform, "s1", "hw01"),
        login_request(http, platform, "s2", "hw01"),
    )
    params = auth_params(first, lti_message_hint=second["lti_message_hint"])
    assert http.get(platform.auth_login_url, params=params).status_code == 400


def test_a_good_client_assertion_buys_a_bearer_token_that_reads_line_items(
    http, platform, tool_key
):
    reply = token_reply(
        http, platform, assertion(platform, tool_key, aud=[platform.auth_token_url, "x"])
    )
    assert reply.status_code == 200, reply.text
    token = reply.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert sorted(token["scope"].split()) == sorted(AGS_SCOPES)
    items = http.get(
        platform.lineitems_url(), headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert items.status_code == 200 and [item["label"] for item in items.json()] == ["ДЗ 1"]
    assert items.headers["content-type"].startswith(
        "application/vnd.ims.lis.v2.lineitemcontainer+json"
    )


def test_token_refuses_replayed_misaddressed_expired_and_forged_assertions(
    http, platform, tool_key
):
    replayed = assertion(platform, tool_key)
    assert token_reply(http, platform, replayed).status_code == 200
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused = [
        replayed,
        assertion(platform, tool_key, aud=platform.url + "/auth"),
        assertion(platform, tool_key, exp=int(time.time()) - 10),
        assertion(platform, tool_key, iss="someone-else"),
        assertion(platform, stranger),
    ]
    for client_assertion in refused:
        reply = token_reply(http, platform, client_assertion)
        assert reply.status_code == 401 and reply.json()["error"] == "invalid_client"


def test_ags_needs_a_token_with_the_right_scope(http, platform, tool_key):
    lineitem = platform.line_items()[0]["id"]
    assert http.get(platform.lineitems_url()).status_code == 401
    assert (
        http.get(platform.lineitems_url(), headers={"Authorization": "Bearer x.y.z"}).status_code
        == 401
    )
    read_only = bearer(http, platform, tool_key, [AGS_SCOPES[1]])
    assert post_score(http, lineitem, read_only, "s1", 5, T0).status_code == 403
    assert http.get(lineitem, headers=read_only).json()["resourceLinkId"] == "hw01"


def test_late_timestamps_only_and_results_keep_the_latest(http, platform, tool_key):
    headers, lineitem = bearer(http, platform, tool_key), platform.line_items()[0]["id"]
    assert post_score(http, lineitem, headers, "s1", 4, T0).status_code == 200
    assert post_score(http, lineitem, headers, "s1", 9, T0).status_code == 409
    assert (
        post_score(http, lineitem, headers, "s1", 9, T0 - timedelta(seconds=1)).status_code == 409
    )
    assert (
        post_score(http, lineitem, headers, "s1", 7, T0 + timedelta(seconds=1)).status_code == 200
    )
    assert post_score(http, lineitem, headers, "s2", 3, T0).status_code == 200
    assert post_score(http, lineitem, headers, "nobody", 3, T0).status_code == 400
    assert platform.results(lineitem) == {"s1": 7, "s2": 3}
    assert [post["scoreGiven"] for post in platform.score_posts(lineitem)] == [4, 7, 3]
    results = http.get(lineitem + "/results", headers=headers)
    assert results.headers["content-type"].startswith(
        "application/vnd.ims.lis.v2.resultcontainer+json"
    )
    assert {(r["userId"], r["resultScore"]) for r in results.json()} == {("s1", 7), ("s2", 3)}


def test_created_line_items_filter_by_tag_and_page_with_a_link_header(http, platform, tool_key):
    headers = bearer(http, platform, tool_key) | {
        "Content-Type": "application/vnd.ims.lis.v2.lineitem+json"
    }
    for label, tag in [("Тест 1", "quiz"), ("Тест 2", "quiz"), ("Проект", "project")]:
        body = {"label": label, "scoreMaximum": 10, "tag": tag, "resourceId": label}
        created = http.post(platform.lineitems_url(), headers=headers, content=json.dumps(body))
        assert created.status_code == 201 and created.json()["id"].startswith(
            platform.lineitems_url() + "/"
        )
    bad = http.post(platform.lineitems_url(), headers=headers, content=json.dumps({"label": "x"}))
    assert bad.status_code == 400
    quizzes = http.get(platform.lineitems_url(), headers=headers, params={"tag": "quiz"})
    assert [item["label"] for item in quizzes.json()] == ["Тест 1", "Тест 2"]
    labels, url, pages = [], platform.lineitems_url() + "?limit=3", 0
    while url:
        page = http.get(url, headers=headers)
        labels += [item["label"] for item in page.json()]
        url, pages = page.links.get("next", {}).get("url"), pages + 1
    assert pages == 2 and labels == ["ДЗ 1", "Тест 1", "Тест 2", "Проект"]


def test_fail_next_answers_the_given_status_then_recovers(http, platform, tool_key):
    platform.fail_next(2, status=503)
    assert token_reply(http, platform, assertion(platform, tool_key)).status_code == 503
    assert http.get(platform.lineitems_url()).status_code == 503
    headers = bearer(http, platform, tool_key)
    assert http.get(platform.lineitems_url(), headers=headers).status_code == 200


def test_sign_can_forge_and_strip_signatures_for_attack_tests(http, platform):
    claims = platform.launch_claims("s1", "hw01", nonce="n")
    assert verified(http, platform, platform.sign(claims))["sub"] == "s1"
    with pytest.raises(jwt.InvalidSignatureError):
        verified(http, platform, platform.sign(claims, key="stranger"))
    unsigned = platform.sign(claims, alg="none")
    assert unsigned.endswith(".") and jwt.get_unverified_header(unsigned)["alg"] == "none"


def test_course_page_links_each_assignment_to_its_launch(http, platform):
    page = http.get(platform.url + "/course/s1")
    assert page.status_code == 200 and "Нейронные сети" in page.text
    link = re.search(r'<a id="launch-hw02" href="([^"]+)">ДЗ 2</a>', page.text)
    assert link and http.get(link.group(1).replace("&amp;", "&")).status_code == 302


def test_stop_closes_the_port(http, tool):
    platform = LocalPlatform(
        tool_login_url=tool.url, tool_launch_url=tool.url, tool_jwks_url=tool.url
    ).start()
    assert http.get(platform.key_set_url).status_code == 200
    platform.stop()
    with pytest.raises(httpx.ConnectError):
        http.get(platform.key_set_url)
