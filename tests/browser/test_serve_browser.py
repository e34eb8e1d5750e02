"""A new user's flow with `autograder serve` in headless Chromium: an instructor imports
a roster, issues tokens and starts the server on the real hw01 bundle; a student logs in
with the token, uploads the hw01 solution (confirming it is late: hw01's deadline has
passed), gets the receipt and, once graded, the public tests' results. Screenshots go
to the pytest tmp dir and to the artifacts folder."""

from __future__ import annotations

import csv
import shutil

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from serve.test_serve_process import start_server

from .conftest import REPO, _free_port, follow, until_graded

GRADING_SECONDS = 900  # the real hw01 trains small models: minutes on a busy machine


def student_token(run_cli, root, tmp_path, row: str) -> str:
    """Import a one-student roster (`row`: id,name,email) and issue its login token, as
    an instructor does."""
    (tmp_path / "roster.csv").write_text(f"student_id,name,email\n{row}\n")
    assert run_cli(root, "roster", "import", str(tmp_path / "roster.csv")).returncode == 0
    issued = run_cli(root, "tokens", "issue", "--csv", str(tmp_path / "tokens.csv"))
    assert issued.returncode == 0, issued.stderr
    return next(csv.DictReader((tmp_path / "tokens.csv").open()))["token"]


def test_student_logs_in_uploads_hw01_and_sees_receipt_and_public_results(
    browser, screenshot, tmp_path, cli
):
    run_cli = cli  # tests/conftest.py's, as a fixture: a bare `conftest` import is ambiguous
    from autograder.authoring.release import build
    from autograder.course.config import load_course
    from autograder.grading.bundle import load_bundle, write_bundle_json

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    shutil.copytree(REPO / "solutions" / "hw01", root / "solutions" / "hw01")
    _, bundle_dir, solution = build(load_course(root), "hw01", tmp_path / "build")
    shutil.copytree(bundle_dir, root / "dist" / "hw01")
    bundle = load_bundle(root / "dist" / "hw01")  # generous test time: a busy machine is slow
    write_bundle_json(bundle.root, assignment="hw01", notebook=bundle.notebook,
                      max_points=bundle.max_points, questions=bundle.questions,
                      limits={"test_seconds": 120})  # fmt: skip
    token = student_token(run_cli, root, tmp_path, "st1001,Алиса Иванова,a@example.edu")
    port = _free_port()
    server = start_server(root, port, tmp_path / "serve.log")
    try:
        browser.get(f"http://127.0.0.1:{port}/")
        browser.find_element(By.ID, "token").send_keys(token)
        follow(browser, browser.find_element(By.ID, "login"))
        row = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "hw-hw01"))
        assert "Базовые функции PyTorch" in row.text and "(срок прошёл)" in row.text
        screenshot("homeworks")
        row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(solution))
        row.find_element(By.NAME, "confirm_late").click()
        follow(browser, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "receipt"))
        assert browser.find_element(By.ID, "late").text == "с опозданием"
        assert browser.find_element(By.ID, "attempt").text == "1"
        assert len(browser.find_element(By.ID, "sha256").text) == 64
        screenshot("receipt")

        until_graded(browser, GRADING_SECONDS, poll=3)
        table = browser.find_element(By.ID, "public-tests")
        screenshot("public-results")
        assert "Тест пройден." in table.text and "Тест не пройден." not in table.text
        assert "Скрытый тест" not in browser.page_source
        assert browser.find_element(By.ID, "hidden-note").is_displayed()
    finally:
        server.terminate()
        server.wait(120)
    assert sorted(p.name for p in (tmp_path / "screenshots").iterdir()) == [
        "homeworks.png",
        "public-results.png",
        "receipt.png",
    ]


def test_a_named_mistake_shows_from_public_tests_at_once_and_from_hidden_ones_after_publish(
    browser, screenshot, tmp_path, cli, make_master, tiny_catalogue
):
    """The tiny hw01 with its catalogue of mistakes (tests/conftest.py): a relu that is
    right on the public test's two elements only fails the hidden case alone — no hint
    before publish, its hint on the full results after; a relu that returns its input fails
    the public case too, and the public tests alone name it at once."""
    import nbformat

    from autograder.authoring.release import build
    from autograder.course.config import load_course

    run_cli = cli
    root = tmp_path / "course"
    (root / "solutions" / "hw01").mkdir(parents=True)
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    nbformat.write(make_master(), root / "solutions" / "hw01" / "hw01.ipynb")
    _, bundle_dir, _ = build(load_course(root), "hw01", tmp_path / "build")
    tiny_catalogue(bundle_dir)
    shutil.copytree(bundle_dir, root / "dist" / "hw01")
    notebooks = {}
    for name, code in [
        ("small_only", "def relu(x):\n    return x.clamp(min=0) if x.numel() == 2 else x"),
        ("identity", "def relu(x):\n    return x"),
    ]:
        notebooks[name] = tmp_path / name / "hw01.ipynb"
        notebooks[name].parent.mkdir()
        cell = nbformat.v4.new_code_cell(code)
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebooks[name])
    token = student_token(run_cli, root, tmp_path, "st1002,Борис,b@example.edu")
    port = _free_port()
    server = start_server(root, port, tmp_path / "serve.log")

    def upload(notebook) -> str:
        browser.get(f"http://127.0.0.1:{port}/homeworks")
        row = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "hw-hw01"))
        row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(notebook))
        row.find_element(By.NAME, "confirm_late").click()
        follow(browser, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "receipt"))

        until_graded(browser, GRADING_SECONDS, poll=1)
        return browser.current_url

    try:
        browser.get(f"http://127.0.0.1:{port}/")
        browser.find_element(By.ID, "token").send_keys(token)
        follow(browser, browser.find_element(By.ID, "login"))
        small_only = upload(notebooks["small_only"])
        assert browser.find_elements(By.CLASS_NAME, "hint") == []  # its mistake is hidden-only
        assert "ReLU" not in browser.page_source
        upload(notebooks["identity"])
        hint = browser.find_element(By.ID, "hint-q1")
        assert "ReLU — не тождественная функция" in hint.text
        screenshot("public-hint")
        published = run_cli(root, "publish", "hw01", "--force", "--by", "teacher")
        assert published.returncode == 0, published.stderr
        browser.get(small_only)
        follow(browser, browser.find_element(By.ID, "feedback"))
        WebDriverWait(browser, 60).until(lambda d: "Итог:" in d.page_source)
        page = browser.find_element(By.TAG_NAME, "body").text
        assert "Возможная ошибка: ReLU обнуляет отрицательные элементы тензора любой формы." in page
        screenshot("hint-after-publish")
    finally:
        server.terminate()
        server.wait(120)


def staff_token(run_cli, root, tmp_path, staff_id: str, role: str) -> str:
    """Add a staff member and issue their token, as the instructor does with the CLI."""
    assert run_cli(root, "staff", "add", staff_id, "--role", role).returncode == 0
    issued = run_cli(root, "staff", "tokens", "--staff", staff_id, "--csv", str(tmp_path / "s.csv"))
    assert issued.returncode == 0, issued.stderr
    return next(csv.DictReader((tmp_path / "s.csv").open()))["token"]


def test_staff_run_a_homework_a_score_a_publication_and_a_regrade_request(
    browser, screenshot, tmp_path, cli, make_master
):
    """The staff pages in Chromium (issue #31): a student's upload; a TA logs in at /staff,
    sees the overview, finds the student in the gradebook, opens their page and sets a manual
    score; the instructor logs in and publishes; the student files a regrade request, the TA
    answers it from the queue, the student reads the answer. The gradebook holds what the CLI
    would have recorded, and the audit trail every staff action."""
    import nbformat

    from autograder.authoring.release import build
    from autograder.course.config import load_course
    from autograder.gradebook.database import Gradebook, Publication, ScoreChange, resolve_url
    from autograder.serve.staff import actions

    run_cli = cli
    root = tmp_path / "course"
    (root / "solutions" / "hw01").mkdir(parents=True)
    shutil.copy(REPO / "course_config.py", root / "course_config.py")
    nbformat.write(make_master(), root / "solutions" / "hw01" / "hw01.ipynb")
    _, bundle_dir, solution = build(load_course(root), "hw01", tmp_path / "build")
    shutil.copytree(bundle_dir, root / "dist" / "hw01")
    student = student_token(run_cli, root, tmp_path, "st1003,Вера Сидорова,v@example.edu")
    ta = staff_token(run_cli, root, tmp_path, "ta_anna", "ta")
    instructor = staff_token(run_cli, root, tmp_path, "prof_petr", "instructor")
    port = _free_port()
    server = start_server(root, port, tmp_path / "serve.log")
    base = f"http://127.0.0.1:{port}"

    def log_in(path: str, token: str) -> None:
        browser.delete_all_cookies()
        browser.get(base + path)
        browser.find_element(By.ID, "token").send_keys(token)
        follow(browser, browser.find_element(By.ID, "login"))
        who = "staff" if path.startswith("/staff") else "student"  # the header names them
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, who))

    try:
        log_in("/", student)
        row = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "hw-hw01"))
        row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(solution))
        row.find_element(By.NAME, "confirm_late").click()
        follow(browser, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "receipt"))
        receipt = browser.current_url

        log_in("/staff", ta)
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "overview"))
        assert "publish-hw01" not in browser.page_source  # a TA has no publish button
        screenshot("staff-overview-ta")
        follow(browser, browser.find_element(By.ID, "open-hw01"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "jobs"))
        screenshot("staff-homework")
        follow(browser, browser.find_element(By.LINK_TEXT, "Журнал"))
        browser.find_element(By.ID, "q").send_keys("st1003")
        follow(browser, browser.find_element(By.ID, "find"))
        screenshot("staff-gradebook")
        follow(browser, browser.find_element(By.LINK_TEXT, "st1003"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "score-form"))
        browser.find_element(By.ID, "points").send_keys("1.5")
        browser.find_element(By.ID, "reason").send_keys("устная защита")
        follow(browser, browser.find_element(By.ID, "set-score"))
        WebDriverWait(browser, 60).until(lambda d: "✎" in d.find_element(By.ID, "scores").text)
        screenshot("staff-student")

        log_in("/staff", instructor)
        button = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "publish-hw01"))
        screenshot("staff-overview-instructor")
        follow(browser, button)
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CLASS_NAME, "published"))
        screenshot("staff-published")

        log_in("/", student)
        browser.get(receipt)

        def may_ask(driver) -> bool:
            driver.refresh()  # the full grading finishes in the background
            return bool(driver.find_elements(By.ID, "regrade-form"))

        WebDriverWait(browser, GRADING_SECONDS, poll_frequency=1).until(may_ask)
        browser.find_element(By.ID, "regrade-text").send_keys("Прошу проверить q1 ещё раз.")
        follow(browser, browser.find_element(By.ID, "regrade-send"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CLASS_NAME, "regrade"))
        screenshot("student-regrade-request")

        log_in("/staff", ta)
        follow(browser, browser.find_element(By.LINK_TEXT, "Перепроверки"))
        field = WebDriverWait(browser, 60).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "textarea[name=answer]")
        )
        field.send_keys("Проверили: оценка верна.")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "button[id^=answer-send]"))
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CLASS_NAME, "answered"))
        screenshot("staff-regrades")

        log_in("/", student)
        browser.get(receipt)
        answer = browser.find_element(By.CLASS_NAME, "answer")
        assert answer.text == "Проверили: оценка верна."
        screenshot("student-regrade-answer")

        log_in("/staff", ta)
        browser.get(base + "/staff/homeworks/hw01")
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "histogram"))
        screenshot("staff-homework-graded")
    finally:
        server.terminate()
        server.wait(120)
    book = Gradebook(resolve_url(str(root / "gradebook.db"), root))
    with book.transaction() as session:
        assert session.get(Publication, "hw01").published_by == "prof_petr"
        change = session.query(ScoreChange).one()
        assert (change.author, change.student_id, change.reason) == (
            "ta_anna",
            "st1003",
            "устная защита",
        )
    assert [(a.staff_id, a.action) for a in actions(book)] == [
        ("ta_anna", "score"),
        ("prof_petr", "publish"),
        ("ta_anna", "regrade"),
    ]
    book.close()
