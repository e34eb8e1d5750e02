"""TLS for the cluster: the same three options (`--tls-ca-file`, `--tls-cert`,
`--tls-key`) on `grade --cluster tls://...` and on `autograder worker tls://...`, the
names `dask scheduler` and `dask worker` use for them. The scheduler asks every peer for
a certificate signed by the CA (mutual TLS), so a machine without one cannot join,
submit or read anything. Without the options, dask's own `distributed.comm.tls.*`
settings (e.g. DASK_DISTRIBUTED__COMM__TLS__CA_FILE) still apply."""

from __future__ import annotations

from pathlib import Path

from autograder.cluster.identity import ClusterError

OPTIONS = ("tls-ca-file", "tls-cert", "tls-key")


def tls_options(tls: dict[str, str | None] | None, address: str) -> dict[str, str]:
    """The given TLS options, checked: all three or none, files that exist, a tls:// address."""
    given = {k: v for k, v in (tls or {}).items() if v}
    if unknown := set(given) - set(OPTIONS):
        raise ClusterError(f"unknown TLS options: {', '.join(sorted(unknown))}")
    if not given:
        if address.startswith("tls://") and not _configured_in_dask():
            raise ClusterError(
                f"{address} speaks TLS: give --tls-ca-file, --tls-cert and --tls-key "
                "(certificates signed by the cluster's CA)"
            )
        return {}
    if len(given) != len(OPTIONS):
        missing = ", ".join(f"--{k}" for k in OPTIONS if k not in given)
        raise ClusterError(f"TLS needs --tls-ca-file, --tls-cert and --tls-key: missing {missing}")
    if not address.startswith("tls://"):
        raise ClusterError(f"TLS options need a tls://HOST:PORT address, not {address!r}")
    for option, value in given.items():
        if not Path(value).is_file():
            raise ClusterError(f"--{option} {value}: no such file")
    return given


def client_security(tls: dict[str, str | None] | None, address: str):
    """A dask Security for a client (the coordinator, the worker's pre-join check), or
    None to let dask's own configuration decide."""
    given = tls_options(tls, address)
    if not given:
        return None
    from distributed.security import Security

    return Security(
        tls_ca_file=given["tls-ca-file"],
        tls_client_cert=given["tls-cert"],
        tls_client_key=given["tls-key"],
        require_encryption=True,
    )


def _configured_in_dask() -> bool:
    import dask

    return bool(dask.config.get("distributed.comm.tls.ca-file", None))
