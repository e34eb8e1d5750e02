"""The student's flow in a real JupyterLab and a real browser: open the released hw01, answer
q1, run it and its check; with nbgrader's extension, the Assignments panel lists hw01 and
Fetch brings it into the student's home."""

from __future__ import annotations

import shutil

import nbformat
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from autograder.course.config import load_course
from autograder.nbgrader_exchange import NbgraderCourse, release_assignment

from .conftest import REPO

UI_SECONDS = 300  # the kernel imports torch and sklearn; slow on a busy machine

NOTEBOOK_READY = """
const app = window.jupyterapp;
const panel = app && app.shell.currentWidget;
if (!panel || !panel.content || !panel.sessionContext) return false;
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
return !!(kernel && kernel.status === 'idle' && panel.content.widgets.length > 0);
"""

# Type the answer into q1's cell through the editor's model, then run everything above the
# check and the check itself with JupyterLab's own commands (what Shift+Enter does).
ANSWER_AND_RUN = """
const answer = arguments[0];
const done = arguments[arguments.length - 1];
(async () => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  const cells = notebook.widgets;
  const source = (c) => c.model.sharedModel.getSource();
  const answerAt = cells.findIndex((c) => source(c).includes('def to_one_hot'));
  const checkAt = cells.findIndex((c) => source(c).trim() === 'grader.check("q1")');
  cells[answerAt].model.sharedModel.setSource(answer);
  notebook.activeCellIndex = checkAt;
  await app.commands.execute('notebook:run-all-above');
  await app.commands.execute('notebook:run-cell');
  done(checkAt);
})().catch((e) => done('error: ' + e));
"""

OUTPUT_OF = """
const cell = window.jupyterapp.shell.currentWidget.content.widgets[arguments[0]];
const area = cell.node.querySelector('.jp-OutputArea');
return area ? area.innerText : '';
"""


def _q1_answer() -> str:
    """The master's q1 solution cell: what a student who got it right types."""
    master = nbformat.read(REPO / "solutions" / "hw01" / "hw01.ipynb", as_version=4)
    cell = next(c for c in master.cells if c.cell_type == "code" and "def to_one_hot" in c.source)
    markers = ("# BEGIN SOLUTION", "# END SOLUTION")
    return "\n".join(line for line in cell.source.splitlines() if line.strip() not in markers)


def test_student_answers_q1_and_its_check_passes_in_jupyterlab(
    start_lab, browser, screenshot, tmp_path
):
    home = tmp_path / "home"
    shutil.copytree(REPO / "assignments" / "hw01", home / "hw01")
    lab = start_lab(home)
    browser.get(lab.page("/lab/tree/hw01/hw01.ipynb"))
    WebDriverWait(browser, UI_SECONDS).until(lambda d: d.execute_script(NOTEBOOK_READY))
    screenshot("opened")
    check_at = browser.execute_async_script(ANSWER_AND_RUN, _q1_answer())
    assert isinstance(check_at, int), check_at
    output = WebDriverWait(browser, UI_SECONDS).until(
        lambda d: d.execute_script(OUTPUT_OF, check_at) or None
    )
    screenshot("checked")
    assert "passed" in output, output
    assert "failed" not in output.lower() and "Error" not in output, output


def test_assignments_panel_lists_hw01_and_fetch_brings_it_home(
    start_lab, browser, screenshot, tmp_path
):
    course_root = tmp_path / "course"
    course_root.mkdir()
    shutil.copy(REPO / "course_config.py", course_root / "course_config.py")
    shutil.copytree(REPO / "assignments" / "hw01", course_root / "assignments" / "hw01")
    exchange = tmp_path / "exchange"
    nbc = NbgraderCourse.for_course(load_course(course_root), "nn-course", None, exchange)
    release_assignment(load_course(course_root), "hw01", nbc)

    home = tmp_path / "home"
    (home / ".jupyter").mkdir(parents=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
        "c.CourseDirectory.course_id = 'nn-course'\n"
    )
    lab = start_lab(home)
    browser.get(lab.page("/lab"))
    WebDriverWait(browser, UI_SECONDS).until(
        lambda d: d.execute_script(
            "const a = window.jupyterapp;"
            "return !!(a && a.commands.hasCommand('nbgrader:open-assignment-list'));"
        )
    )
    browser.execute_script("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    released = "#released_assignments_list .list_item"
    row = WebDriverWait(browser, UI_SECONDS).until(
        lambda d: next(
            (r for r in d.find_elements(By.CSS_SELECTOR, released) if "hw01" in r.text), None
        )
    )
    screenshot("listed")
    row.find_element(By.XPATH, ".//button[normalize-space()='Fetch']").click()
    fetched = home / "hw01" / "hw01.ipynb"
    WebDriverWait(browser, UI_SECONDS).until(lambda d: fetched.is_file())
    WebDriverWait(browser, UI_SECONDS).until(
        lambda d: "hw01" in d.find_element(By.CSS_SELECTOR, "#fetched_assignments_list").text
    )
    screenshot("fetched")
    assert fetched.read_bytes() == (REPO / "assignments" / "hw01" / "hw01.ipynb").read_bytes()
