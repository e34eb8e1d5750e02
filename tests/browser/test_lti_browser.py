"""LTI 1.3 in headless Chromium, end to end and cross-site as with a real LMS: the local
platform (tests/lti) on http://127.0.0.1, `autograder serve` on https://localhost (another
site, TLS of its own). A student opens the homework in the LMS and lands in serve logged in
without a token (the launch's cookies are SameSite=None; the session cookie, SameSite=Strict,
must survive the LMS's cross-site form post); uploads and gets graded; the instructor
publishes with --push, and the LMS's gradebook holds the score. Screenshots go to the
artifacts folder."""

from __future__ import annotations

import ssl

from lti.platform import LocalPlatform
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from serve.conftest import HONEST, make_course, notebook_bytes, roster_with_tokens
from serve.test_serve_process import start_server

from autograder.gradebook.database import resolve_url
from autograder.serve.lti.config import Platform, init_platform

from .conftest import _free_port, follow, until_graded

GRADING_SECONDS = 300  # the tiny bundle grades in seconds; a busy machine is slow


def test_a_student_launched_from_the_lms_submits_and_the_lms_gets_the_published_score(
    browser, screenshot, localhost_tls, tmp_path, cli, monkeypatch
):
    # the platform (in this process) fetches the tool's key set over https
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(localhost_tls.ca_file))
    root = make_course(tmp_path / "course")
    roster_with_tokens(root, resolve_url(None, root))
    port = _free_port()
    tool = f"https://localhost:{port}"
    platform = LocalPlatform(
        tool_login_url=tool + "/lti/login", tool_launch_url=tool + "/lti/launch",
        tool_jwks_url=tool + "/lti/jwks",
    ).start()  # fmt: skip
    platform.add_user("lms-alice", email="alice@example.edu", name="Алиса Иванова")
    platform.add_resource_link("rl-hw01", title="ДЗ 1: функции", custom={"homework": "hw01"},
                               lineitem=True)  # fmt: skip
    init_platform(root / "lti" / "lti.json", Platform(
        platform.issuer, platform.client_id, (platform.deployment_id,), platform.auth_login_url,
        platform.auth_token_url, platform.key_set_url,
    ))  # fmt: skip
    notebook = tmp_path / "hw01.ipynb"
    notebook.write_bytes(notebook_bytes(HONEST))
    tls = ("--ssl-certfile", str(localhost_tls.cert), "--ssl-keyfile", str(localhost_tls.key))
    server = start_server(
        root, port, tmp_path / "serve.log", *tls, ready_url=f"{tool}/openapi.json",
        context=ssl.create_default_context(cafile=localhost_tls.ca_file),
    )  # fmt: skip
    try:
        browser.get(f"{platform.url}/course/lms-alice")
        screenshot("lms-course")
        follow(browser, browser.find_element(By.ID, "launch-rl-hw01"))
        row = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "hw-hw01"))
        assert browser.current_url == f"{tool}/homeworks#hw-hw01"
        assert browser.find_element(By.ID, "student").text == "alice"
        screenshot("launched-homework")
        row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(notebook))
        follow(browser, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "receipt"))

        until_graded(browser, GRADING_SECONDS, poll=2)
        screenshot("receipt")
        pushed = cli(root, "publish", "hw01", "--force", "--push",
                     env={"REQUESTS_CA_BUNDLE": str(localhost_tls.ca_file)})  # fmt: skip
        assert pushed.returncode == 0, pushed.stderr
        assert "1 sent, 0 unchanged, 1 skipped (no LMS user), 0 failed" in pushed.stdout
        browser.get(f"{platform.url}/gradebook")
        # the activity's column is out of 100 (Moodle's default): 1.75 of 1.75 is 100
        assert browser.find_element(By.ID, "grade-lms-alice-1").text == "100 (1.75 из 1.75)"
        screenshot("lms-gradebook")
    finally:
        server.terminate()
        server.wait(120)
        platform.stop()
    assert sorted(p.name for p in (tmp_path / "screenshots").iterdir()) == [
        "launched-homework.png", "lms-course.png", "lms-gradebook.png", "receipt.png",
    ]  # fmt: skip
