"""The tool (`autograder serve`'s app under uvicorn) and a local LTI 1.3 platform
(tests/lti/platform.py), both on 127.0.0.1 and registered with each other, on the small
serve course (hw01 and hw02, students alice with an e-mail and bob without)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from serve.conftest import make_course, roster_with_tokens

from autograder.gradebook.database import Gradebook, resolve_url
from autograder.serve.lti.config import Platform, init_platform

from .platform import LocalPlatform
from .server import BackgroundServer


class DeferredApp:
    """An ASGI app set after its server's port is known (the platform must know the tool's
    URLs before it starts, and the tool its platform's before its app is made)."""

    app = None

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


@dataclass
class Lti:
    root: Path
    url: str  # the gradebook
    tool: str  # the tool's base URL
    platform: LocalPlatform
    config: Path

    def gradebook(self) -> Gradebook:
        return Gradebook(self.url)


def start_lti(tmp_path: Path, roster_claim: str = "email", url: str = "") -> Iterator[Lti]:
    """The tool and the platform on a gradebook at `url` (default SQLite in the course)."""
    root = make_course(tmp_path / "course")
    url = url or resolve_url(None, root)
    roster_with_tokens(root, url)
    deferred = DeferredApp()
    tool = BackgroundServer(deferred)
    platform = LocalPlatform(
        tool_login_url=tool.url + "/lti/login",
        tool_launch_url=tool.url + "/lti/launch",
        tool_jwks_url=tool.url + "/lti/jwks",
    ).start()
    config = root / "lti" / "lti.json"
    init_platform(config, Platform(
        platform.issuer, platform.client_id, (platform.deployment_id,), platform.auth_login_url,
        platform.auth_token_url, platform.key_set_url, roster_claim,
    ))  # fmt: skip
    platform.add_user("lms-alice", email="Alice@Example.edu", name="Алиса Иванова",
                      sourcedid="alice")  # fmt: skip
    platform.add_user("lms-bob", name="Боб Петров", sourcedid="bob")
    platform.add_user("lms-eve", email="eve@example.edu", name="Ева Чужая", sourcedid="eve")
    platform.add_resource_link("rl-hw01", title="ДЗ 1", custom={"homework": "hw01"},
                               lineitem=True)  # fmt: skip
    platform.add_resource_link("rl-hw02", title="ДЗ 2", custom={"homework": "hw02"})
    from autograder.serve.app import ServeSettings, create_app

    deferred.app = create_app(ServeSettings(root, url, root / "serve"))
    tool.start()
    try:
        yield Lti(root, url, tool.url, platform, config)
    finally:
        tool.stop()
        platform.stop()


@pytest.fixture
def lti(tmp_path) -> Iterator[Lti]:
    yield from start_lti(tmp_path)


def auth_form(client: httpx.Client, lti: Lti, sub: str, link: str) -> dict[str, str]:
    """A student's click in the LMS up to the platform's auto-posting form: its action,
    id_token and state (the tool's login set its cookies in `client` on the way)."""
    page = client.get(lti.platform.launch_start_url(sub, link), follow_redirects=True)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'name="(id_token|state)" value="([^"]*)"', page.text))
    action = re.search(r'action="([^"]*)"', page.text).group(1)
    return {"action": action, **fields}


def launch(client: httpx.Client, lti: Lti, sub: str, link: str = "rl-hw01") -> httpx.Response:
    """The whole launch, as the browser runs it: the tool's answer to the posted form."""
    form = auth_form(client, lti, sub, link)
    return post_launch(client, form)


def post_launch(client: httpx.Client, form: dict[str, str], **changes: str) -> httpx.Response:
    data = {"id_token": form["id_token"], "state": form["state"], **changes}
    return client.post(form["action"], data=data)
