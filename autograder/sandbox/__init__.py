"""The sandbox: the one place that starts student code. See sandbox.py for the entry
point, layout.py for what the submission sees, rlimits.py and process.py for limits."""

from autograder.sandbox.backends import available_backends
from autograder.sandbox.process import SandboxProcess
from autograder.sandbox.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxProcess", "available_backends"]
