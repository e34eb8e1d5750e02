"""Отправка ноутбука на проверку (autograder serve). Только стандартная библиотека Python.

Из терминала:
    python submit.py hw01.ipynb --token ВАШ_КЛЮЧ [--server https://...] [--late]
Из ячейки ноутбука:
    from submit import submit
    submit("hw01.ipynb", token="ВАШ_КЛЮЧ")

Ключ можно не писать в ноутбук: задайте переменную окружения AUTOGRADER_TOKEN.
Сохраните ноутбук перед отправкой: отправляется файл с диска.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

# set by `autograder release` from course_config.py (SUBMIT_SERVER_URL, HOMEWORK)
SERVER_URL = None
HOMEWORK = 'hw06'
WAIT_SECONDS = 60  # how long to wait for the public tests' results


class SubmitError(Exception):
    """A refusal or a network problem, in words for the student."""


def _request(url: str, token: str, data: bytes | None = None, content_type: str = "") -> dict:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS + 30) as reply:
            return json.loads(reply.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read().decode("utf-8")).get("detail", "")
        except ValueError:
            detail = ""
        raise SubmitError(f"сервер отказал ({exc.code}): {detail or exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise SubmitError(f"не удалось связаться с сервером {url}: {exc}") from None
    except ValueError:  # not JSON, or a URL http.client refuses
        raise SubmitError(f"сервер {url} ответил не так, как ожидалось; проверьте адрес") from None


def _multipart(path: Path, late: bool) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="confirm_late"\r\n\r\n'
        f"{'true' if late else 'false'}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="notebook"; filename="notebook.ipynb"\r\n'
        "Content-Type: application/x-ipynb+json\r\n\r\n".encode(),
        path.read_bytes(),
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submit(
    notebook: str | os.PathLike,
    token: str | None = None,
    *,
    server: str | None = None,
    homework: str | None = None,
    late: bool = False,
    wait: bool = True,
) -> dict:
    """Отправить ноутбук; вернуть квитанцию (и результаты открытых тестов, если wait)."""
    token = (token or os.environ.get("AUTOGRADER_TOKEN") or "").strip()  # pasted with a newline
    server = (server or os.environ.get("AUTOGRADER_SERVER") or SERVER_URL or "").rstrip("/")
    homework = homework or HOMEWORK
    path = Path(notebook)
    if not token:
        raise SubmitError("не указан ключ доступа: --token или переменная AUTOGRADER_TOKEN")
    if not (token.isascii() and token.isprintable()) or " " in token:
        raise SubmitError("в ключе доступа недопустимые символы: скопируйте его ещё раз")
    if not server:
        raise SubmitError("не указан адрес сервера: --server или переменная AUTOGRADER_SERVER")
    if not homework:
        raise SubmitError("не указано задание: --homework hwNN")
    if not path.is_file():
        raise SubmitError(f"файл {path} не найден")
    body, content_type = _multipart(path, late)
    receipt = _request(
        f"{server}/api/v1/homeworks/{homework}/submissions", token, body, content_type
    )
    if wait and receipt.get("grading") not in ("done", "error"):
        receipt = _request(f"{server}/api/v1/receipts/{receipt['id']}?wait={WAIT_SECONDS}", token)
    return receipt


def describe(receipt: dict) -> str:
    """Квитанция и открытые тесты, текстом."""
    lines = [
        f"Квитанция {receipt['id']}: {receipt['homework']}, попытка {receipt['attempt']}",
        f"  время сервера: {receipt['received_at']}",
        f"  sha256: {receipt['sha256']}",
        f"  {'С ОПОЗДАНИЕМ' if receipt['late'] else 'вовремя'}",
    ]
    if receipt.get("new") is False:
        lines.append("  этот файл уже был отправлен: попытка не израсходована")
    results = receipt.get("results")
    if results is None:
        lines.append(f"  проверка: {receipt['grading']} (результаты появятся на сайте)")
        return "\n".join(lines)
    if results.get("status_message"):
        lines.append(f"  {results['status_message']}")
    for test in results["public_tests"]:
        mark = "+" if test["status"] == "passed" else "-"
        lines.append(f"  [{mark}] {test['name']}: {test['score']} / {test['max_score']}")
    for error in results["notebook_errors"]:
        lines.append(f"  ошибка в ячейке {error['cell']}: {error['error']}")
    if results.get("hidden_tests_pending"):
        lines.append("  скрытые тесты и итог будут видны после публикации оценок")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Отправить ноутбук на проверку.")
    parser.add_argument("notebook")
    parser.add_argument("--token", help="ключ доступа (или AUTOGRADER_TOKEN)")
    parser.add_argument("--server", help="адрес сервера (или AUTOGRADER_SERVER)")
    parser.add_argument("--homework", help="задание, например hw01")
    parser.add_argument("--late", action="store_true", help="подтверждаю отправку после срока")
    parser.add_argument("--no-wait", action="store_true", help="не ждать результатов")
    args = parser.parse_args(argv)
    try:
        receipt = submit(args.notebook, args.token, server=args.server, homework=args.homework,
                         late=args.late, wait=not args.no_wait)  # fmt: skip
    except SubmitError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    print(describe(receipt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
