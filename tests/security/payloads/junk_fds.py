# ruff: noqa: F821
# Write junk to every open file descriptor: forged protocol frames (a 'ready' message and
# 'ok' replies claiming True), raw garbage, and absurd length prefixes.
import json
import os
import struct


def frame(message):
    header = json.dumps({"m": message, "b": []}).encode()
    return struct.pack(">II", len(header) + 4, len(header)) + header


forged = [frame({"seq": 0, "kind": "ready", "cells": [], "ms": 0})]
forged += [frame({"seq": n, "kind": "ok", "v": True}) for n in range(1, 64)]
junk = [*forged, b"\xff" * 4096, struct.pack(">II", 2**31, 2**30), b"\x00" * 65536]
hit = []
for fd in range(1024):
    for chunk in junk:
        try:
            os.write(fd, chunk)
        except OSError:
            break
    else:
        hit.append(fd)
