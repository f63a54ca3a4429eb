"""A non-editable install carries the katas, references and hidden suites, and finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout, unpacked into a bare folder put first on sys.path."""
    out = tmp_path_factory.mktemp("wheel")
    target = tmp_path_factory.mktemp("site")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no network for the build backend?): {build.stderr.strip()[-200:]}")
    wheel = next(out.glob("mlkata-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    return target


def run_installed(site: Path, workspace: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "mlkata", *args], capture_output=True, text=True, env=env, cwd=workspace, timeout=300)


def test_installed_package_finds_its_content_and_checks(installed, tmp_path):
    probe = subprocess.run(
        [sys.executable, "-c", "import mlkata.catalog as c; print(c.content_root().suites)"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(installed)}, cwd=tmp_path,
    )  # fmt: skip
    assert probe.stdout.strip().startswith(str(installed)), probe.stdout + probe.stderr
    assert "attention" in run_installed(installed, tmp_path, "list").stdout
    assert run_installed(installed, tmp_path, "start", "attention").returncode == 0
    reference = installed / "mlkata" / "_content" / "solutions" / "attention" / "solution_numpy.py"
    (tmp_path / "attention_numpy.py").write_text(reference.read_text())
    result = run_installed(installed, tmp_path, "check", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "passed"
