"""The LMS platforms this tool trusts and the tool's own key, in pylti1p3's JSON format
(read by pylti1p3's own `ToolConfJsonFile`) at <course>/lti/lti.json, beside the key pair
`autograder lti init` makes. One addition per registration: `roster_claim`, the launch claim
that names the student on our roster."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import ServeError

CONFIG_ENV = "AUTOGRADER_LTI_CONFIG"
FOLDER = "lti"
CONFIG_NAME = "lti.json"
PRIVATE_KEY = "private.key"
PUBLIC_KEY = "public.key"
# how a launch names the roster student: its e-mail (Moodle shares it when "Share launcher's
# email" is on), the LIS person sourcedid (Moodle: the user's idnumber) = our student id, or
# the LMS user id (`sub`) = our student id
ROSTER_CLAIMS = ("email", "sourcedid", "sub")
PLATFORM_URLS = ("auth_login_url", "auth_token_url", "key_set_url")


class LtiError(ServeError):
    """The LTI configuration cannot be used, or a grade passback cannot start."""


@dataclass(frozen=True)
class Platform:
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    roster_claim: str = "email"

    def entry(self) -> dict:
        """Its registration in pylti1p3's JSON format (plus `roster_claim`)."""
        return {
            "default": True,
            "client_id": self.client_id,
            "auth_login_url": self.auth_login_url,
            "auth_token_url": self.auth_token_url,
            "auth_audience": None,
            "key_set_url": self.key_set_url,
            "key_set": None,
            "private_key_file": PRIVATE_KEY,
            "public_key_file": PUBLIC_KEY,
            "deployment_ids": list(self.deployment_ids),
            "roster_claim": self.roster_claim,
        }


def config_path(course_root: Path, given: Path | None = None) -> Path:
    """--lti-config / $AUTOGRADER_LTI_CONFIG / <course>/lti/lti.json."""
    return Path(given or os.environ.get(CONFIG_ENV) or course_root / FOLDER / CONFIG_NAME)


def read_platforms(path: Path) -> list[Platform]:
    """Every registration in the file, checked: a clear error names what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LtiError(f"{path}: no LTI configuration; run `autograder lti init` first") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LtiError(f"{path}: not a readable JSON file: {exc}") from None
    if not isinstance(data, dict) or not data:
        raise LtiError(f"{path}: expected an object with one entry per platform issuer")
    platforms = []
    for issuer, entries in data.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            platforms.append(_platform(path, issuer, entry))
    for key in (PRIVATE_KEY, PUBLIC_KEY):
        if not (path.parent / key).is_file():
            raise LtiError(
                f"{path.parent / key}: the tool's key is missing (`autograder lti init`)"
            )
    return platforms


def _platform(path: Path, issuer: str, entry) -> Platform:
    where = f"{path}: platform {issuer!r}"
    if not isinstance(entry, dict):
        raise LtiError(f"{where}: expected an object")
    if not issuer.startswith(("https://", "http://")):
        raise LtiError(f"{where}: the issuer is the platform's URL (Moodle: its wwwroot)")
    missing = [k for k in ("client_id", "deployment_ids", *PLATFORM_URLS) if not entry.get(k)]
    if missing:
        raise LtiError(f"{where}: missing {', '.join(missing)}")
    ids = entry["deployment_ids"]
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise LtiError(f"{where}: deployment_ids must be a list of strings")
    for key in PLATFORM_URLS:
        if not str(entry[key]).startswith(("https://", "http://")):
            raise LtiError(f"{where}: {key} must be an http(s) URL, not {entry[key]!r}")
    claim = entry.get("roster_claim", "email")
    if claim not in ROSTER_CLAIMS:
        raise LtiError(f"{where}: roster_claim must be one of {', '.join(ROSTER_CLAIMS)}")
    return Platform(
        issuer, str(entry["client_id"]), tuple(ids), entry["auth_login_url"],
        entry["auth_token_url"], entry["key_set_url"], claim,
    )  # fmt: skip


def init_platform(path: Path, platform: Platform) -> bool:
    """Add (or replace, by issuer and client id) one platform's registration; make the
    tool's RSA key pair beside the file if there is none (private key 0600). True: a new
    key pair was made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    made = _ensure_keys(path.parent)
    data: dict = {}
    if path.exists():
        read_platforms(path)  # refuse to rewrite a file we cannot read
        data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get(platform.issuer, [])
    entries = entries if isinstance(entries, list) else [entries]
    entries = [e for e in entries if e.get("client_id") != platform.client_id]
    entries.append(platform.entry())
    for position, entry in enumerate(entries):
        entry["default"] = position == 0
    data[platform.issuer] = entries
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return made


def _ensure_keys(folder: Path) -> bool:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private, public = folder / PRIVATE_KEY, folder / PUBLIC_KEY
    if private.exists() and public.exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return True


def tool_config(path: Path):
    """pylti1p3's view of the file (after our own checks, which name the problem)."""
    from pylti1p3.exception import LtiException, ToolConfException
    from pylti1p3.tool_config import ToolConfJsonFile

    read_platforms(path)
    try:
        return ToolConfJsonFile(str(path))
    except (LtiException, ToolConfException, OSError, ValueError) as exc:
        raise LtiError(f"{path}: {exc}") from None
