"""Starts a throwaway PostgreSQL server: `initdb` into a temporary folder, listening on
127.0.0.1 only, on a free port, trusting local connections (nothing else can reach it).
Postgres refuses to run as root, so as root it runs as the `postgres` system user
(Debian's package creates it). Each test gets a database of its own."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MISSING = (
    "PostgreSQL server binaries not found (initdb, pg_ctl): the PostgreSQL gradebook tests "
    "DID NOT RUN. Install Debian's `postgresql` package (apt-get install postgresql) to run them."
)


def _binaries() -> Path | None:
    for found in [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))]:
        if found and Path(found).with_name("pg_ctl").exists():
            return Path(found).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    port: int
    data: Path
    bin_dir: Path
    run_as: dict

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            **self.run_as,
        )


def start_server() -> Iterator[PostgresServer]:
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip(MISSING)
    pytest.importorskip("psycopg", reason="psycopg missing: install the project's [postgres] extra")
    root = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
    run_as: dict = {}
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = {"user": user.pw_uid, "group": user.pw_gid}
    data = root / "data"
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        env=env,
        **run_as,
    )
    server = PostgresServer(_free_port(), data, bin_dir, run_as)
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -c unix_socket_directories={root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    started = subprocess.run(
        [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options]
        + ["-w", "-t", "120", "start"],
        capture_output=True,
        text=True,
        env=env,
        **run_as,
    )
    if started.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
