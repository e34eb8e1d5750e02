"""A real JupyterLab server on 127.0.0.1 in a temporary home, and headless Chromium driven by
selenium (Debian's `chromium` and `chromium-driver`; nothing downloads a browser).
Screenshots go to $AUTOGRADER_ARTIFACTS (default build/test-artifacts/)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
START_SECONDS = 180  # JupyterLab's first start builds its settings; slow on a busy machine

if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip(
        "BROWSER TESTS NOT RUN: Debian's chromium and chromium-driver are not installed "
        "(apt-get install chromium chromium-driver; .ci/run installs them)",
        allow_module_level=True,
    )


@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    home: Path  # HOME of the student, also the server's root folder

    def page(self, path: str) -> str:
        return f"{self.url}{path}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def student_env(home: Path) -> dict[str, str]:
    """The environment of a student's session: their home and Jupyter folders only."""
    return {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / ".local/share/jupyter/runtime"),
        "OMP_NUM_THREADS": "1",  # the kernel inherits it; 2 cores oversubscribe otherwise
    }


@pytest.fixture
def start_lab(tmp_path) -> Iterator[Callable[[Path], Lab]]:
    """Start `jupyter lab` with a token on 127.0.0.1, rooted at the given home."""
    servers: list[subprocess.Popen] = []

    def start(home: Path) -> Lab:
        port, token = _free_port(), secrets.token_hex(16)
        log = (tmp_path / f"lab-{port}.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={home}",
                # window.jupyterapp: the test drives the notebook through JupyterLab's own commands
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=home,
            env=student_env(home),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append(server)
        lab = Lab(f"http://127.0.0.1:{port}", token, home)
        _wait_ready(lab, server, tmp_path / f"lab-{port}.log")
        return lab

    yield start
    for server in servers:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_ready(lab: Lab, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(lab.page("/api/status"), timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)  # polling a server that is starting; nothing to wait on instead
    pytest.fail(f"jupyter lab did not answer in {START_SECONDS} s:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class LocalhostTls:
    cert: Path  # for https://localhost (and 127.0.0.1), signed by `ca_file`
    key: Path
    ca_file: Path
    spki: str  # base64 SHA-256 of the certificate's public key: what Chromium is told to trust


@pytest.fixture
def localhost_tls(tmp_path) -> LocalhostTls:
    """A certificate for https://localhost from a CA the test makes; a test that takes it
    gets a browser that trusts it (a secure context: Secure and SameSite=None cookies)."""
    import base64
    import hashlib

    from cluster.certificates import issue, make_ca
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder = tmp_path / "tls"
    folder.mkdir()
    creds = issue(folder, make_ca(folder, "test"), "localhost", folder / "test-ca.pem",
                  dns=("localhost",))  # fmt: skip
    public = x509.load_pem_x509_certificate(creds.cert.read_bytes()).public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    spki = base64.b64encode(hashlib.sha256(der).digest()).decode()
    return LocalhostTls(creds.cert, creds.key, creds.ca_file, spki)


@pytest.fixture
def browser(tmp_path, request):
    """Headless Debian Chromium through its own chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",  # we run as root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    if "localhost_tls" in request.fixturenames:
        trusted = request.getfixturevalue("localhost_tls").spki
        options.add_argument(f"--ignore-certificate-errors-spki-list={trusted}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(300)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser, request, tmp_path) -> Callable[[str], Path]:
    """Save the page as `name` to the artifacts folder (named after the test), with a copy
    in tmp_path/screenshots, where a test checks what it took."""
    folder = Path(os.environ.get("AUTOGRADER_ARTIFACTS", REPO / "build" / "test-artifacts"))
    kept = tmp_path / "screenshots"

    def take(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        kept.mkdir(exist_ok=True)
        path = folder / f"{request.node.name}-{name}.png"
        browser.save_screenshot(str(path))
        shutil.copy(path, kept / f"{name}.png")
        return path

    return take


def follow(browser, element, timeout: float = 60) -> None:
    """Click `element`, which leaves the page (a link, a form's button), and return once the
    old page is gone and the new one loaded. A wait that starts sooner can read an element of
    the old page, or hold one that goes stale under it: the new page may carry the same ids."""
    from selenium.common.exceptions import JavascriptException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(browser, timeout, ignored_exceptions=(JavascriptException,))
    wait.until(expected_conditions.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def until_graded(browser, seconds: float, poll: float) -> None:
    """Reload the receipt page every `poll` seconds until it says the work is graded (the
    page works without JavaScript: the student reloads it)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def graded(driver) -> bool:
        driver.refresh()
        return driver.find_element(By.ID, "state").text == "проверено"

    WebDriverWait(browser, seconds, poll_frequency=poll).until(graded)
