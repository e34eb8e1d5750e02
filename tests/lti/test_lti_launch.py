"""A launch from the LMS logs a roster student into `autograder serve` without a token and
lands on the homework; every forged, stale or replayed launch is refused and leaves no
session and no record; a student not on the roster gets a clear refusal."""

from __future__ import annotations

import base64
import json

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from autograder.gradebook.database import LtiContext, LtiResourceLink, LtiUser, WebSession

from .conftest import auth_form, launch, post_launch, start_lti

DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"


def test_a_launch_logs_the_student_in_without_a_token_and_lands_on_the_homework(lti):
    with httpx.Client() as client:
        landing = launch(client, lti, "lms-alice", "rl-hw01")
        assert landing.status_code == 200, landing.text
        assert 'url=/homeworks#hw-hw01"' in landing.text and "alice" in landing.text
        page = client.get(lti.tool + "/homeworks")
    assert page.status_code == 200
    assert '<b id="student">alice</b>' in page.text and 'id="hw-hw01"' in page.text
    book = lti.gradebook()
    with book.transaction() as session:
        user = session.scalars(select(LtiUser)).one()
        context = session.scalars(select(LtiContext)).one()
        link = session.scalars(select(LtiResourceLink)).one()
        opened = session.scalars(select(WebSession)).one()
    assert (user.sub, user.student_id, user.issuer) == ("lms-alice", "alice", lti.platform.issuer)
    assert context.lineitems_url == lti.platform.lineitems_url()
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in context.scopes.split()
    assert (link.component_id, link.lineitem_url) == ("hw01", lti.platform.line_items()[0]["id"])
    assert opened.student_id == "alice" and opened.token_id is None


def test_logout_ends_a_launched_session(lti):
    with httpx.Client() as client:
        launch(client, lti, "lms-alice")
        page = client.get(lti.tool + "/homeworks")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        client.post(lti.tool + "/logout", data={"csrf": csrf})
        assert client.get(lti.tool + "/homeworks").status_code == 303


def test_a_student_not_on_the_roster_is_refused_by_name_and_nothing_is_recorded(lti):
    with httpx.Client() as client:
        refused = launch(client, lti, "lms-eve")
        assert refused.status_code == 403
        assert "Вас нет в списке студентов курса" in refused.text
        assert "eve@example.edu" in refused.text
        assert client.get(lti.tool + "/homeworks").status_code == 303  # not logged in
    with lti.gradebook().transaction() as session:
        assert session.scalar(select(func.count()).select_from(LtiUser)) == 0
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0


def test_a_launch_without_the_roster_claim_says_which_setting_shares_it(lti):
    with httpx.Client() as client:
        refused = launch(client, lti, "lms-bob")  # Moodle not sharing the e-mail
    assert refused.status_code == 403
    assert "не передала адрес электронной почты" in refused.text


@pytest.mark.parametrize("claim", ["sourcedid", "sub"])
def test_the_roster_claim_may_be_the_sourcedid_or_the_lms_user_id(tmp_path, claim):
    for lti in start_lti(tmp_path, roster_claim=claim):
        sub = "lms-bob" if claim == "sourcedid" else "bob"
        if claim == "sub":
            lti.platform.add_user("bob", name="Боб Петров")
        with httpx.Client() as client:
            landing = launch(client, lti, sub, "rl-hw02")
            assert landing.status_code == 200, landing.text
            assert '<b id="student">bob</b>' in client.get(lti.tool + "/homeworks").text


def _payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _refused_without_a_session(lti, client: httpx.Client, response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "Запрос на вход отклонён" in response.text
    assert client.get(lti.tool + "/homeworks").status_code == 303
    with lti.gradebook().transaction() as session:
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0
        assert session.scalar(select(func.count()).select_from(LtiUser)) == 0


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        pytest.param(lambda p, c: p.sign({**c, "exp": c["iat"] - 1}), "Signature has expired",
                     id="expired"),
        pytest.param(lambda p, c: p.sign({**c, "aud": "another-tool"}),
                     "[client_id=another-tool] not found", id="wrong-audience"),
        pytest.param(lambda p, c: p.sign({**c, "iss": "https://evil.example"}),
                     "https://evil.example not found", id="wrong-issuer"),
        pytest.param(lambda p, c: p.sign(c, alg="none"), "Unable to find public key",
                     id="unsigned"),
        pytest.param(lambda p, c: p.sign(c, key="stranger"), "Signature verification failed",
                     id="forged-signature"),
        pytest.param(lambda p, c: p.sign({**c, "nonce": "never-issued"}), "Invalid Nonce",
                     id="unknown-nonce"),
        pytest.param(lambda p, c: p.sign({k: v for k, v in c.items() if k != "exp"}),
                     "missing the &#34;exp&#34; claim", id="no-expiry"),
        pytest.param(lambda p, c: p.sign({**c, DEPLOYMENT: "99"}),
                     "deployment ID &#34;99&#34; is not recognised", id="unknown-deployment"),
    ],
)  # fmt: skip
def test_a_bad_id_token_is_refused_for_its_own_reason(lti, forge, reason):
    with httpx.Client() as client:
        form = auth_form(client, lti, "lms-alice", "rl-hw01")
        claims = _payload(form["id_token"])
        refused = post_launch(client, form, id_token=forge(lti.platform, claims))
        assert reason in refused.text
        _refused_without_a_session(lti, client, refused)


def test_a_replayed_id_token_is_refused(lti):
    with httpx.Client() as client:
        form = auth_form(client, lti, "lms-alice", "rl-hw01")
        assert post_launch(client, form).status_code == 200
    with httpx.Client() as thief:  # the same form, cookies and all, posted again
        thief.cookies.update(client.cookies)
        again = post_launch(thief, form)
    assert again.status_code == 403 and "Запрос на вход отклонён" in again.text


def test_a_reused_nonce_in_a_freshly_signed_token_is_refused(lti):
    with httpx.Client() as client:
        form = auth_form(client, lti, "lms-alice", "rl-hw01")
        used = _payload(form["id_token"])
        assert post_launch(client, form).status_code == 200
        second = auth_form(client, lti, "lms-alice", "rl-hw01")  # same browser, new state
        token = lti.platform.sign({**_payload(second["id_token"]), "nonce": used["nonce"]})
        refused = post_launch(client, second, id_token=token)
    assert refused.status_code == 403 and "Invalid Nonce" in refused.text


def test_a_launch_without_the_login_cookies_is_refused(lti):
    with httpx.Client() as client:
        form = auth_form(client, lti, "lms-alice", "rl-hw01")
    with httpx.Client() as stranger:  # another browser: no state cookie
        _refused_without_a_session(lti, stranger, post_launch(stranger, form))


def test_a_login_from_an_unknown_platform_is_refused_clearly(lti):
    answer = httpx.get(
        lti.tool + "/lti/login",
        params={
            "iss": "https://unknown.example",
            "login_hint": "x",
            "client_id": "autograder",
            "target_link_uri": lti.tool + "/lti/launch",
        },  # fmt: skip
    )
    assert answer.status_code == 400 and "Запрос на вход отклонён" in answer.text


def test_an_instructor_launch_is_sent_to_the_staff_pages(lti):
    with httpx.Client() as client:
        form = auth_form(client, lti, "lms-eve", "rl-hw01")
        claims = _payload(form["id_token"])
        claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
        ]
        answer = post_launch(client, form, id_token=lti.platform.sign(claims))
    assert answer.status_code == 403 and "/staff" in answer.text


def test_the_key_set_serves_our_public_key_with_kid_and_alg(lti):
    keys = httpx.get(lti.tool + "/lti/jwks").json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert "d" not in keys[0]  # never the private part
    token = jwt.encode({"x": 1}, (lti.config.parent / "private.key").read_text(), "RS256",
                       headers={"kid": keys[0]["kid"]})  # fmt: skip
    public = jwt.PyJWK(keys[0]).key
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"x": 1}
