"""Shared fixtures for the interoperability tests: the builder binary under test."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def builder() -> pathlib.Path:
    path = os.environ.get("BUILDER")
    if not path:
        bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip()
        path = os.path.join(bin_dir, "builder")
    binary = pathlib.Path(path)
    assert binary.is_file() and os.access(binary, os.X_OK), \
        f"no executable builder binary at {binary}: run `swift build` first"
    return binary
