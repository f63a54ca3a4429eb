"""The real `mlkata` commands in a temporary workspace: the learner's loop and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, needs_torch, torch_available

RIGHT_TORCH = REPO / "solutions" / "attention" / "solution_torch.py"

RIGHT = """
import numpy as np

def scaled_dot_product_attention(Q, K, V, mask=None):
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    m = s.max(axis=-1, keepdims=True)
    w = np.exp(s - np.where(np.isfinite(m), m, 0))
    t = w.sum(axis=-1, keepdims=True)
    return w / np.where(t > 0, t, 1) @ V
"""


def one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    assert "Traceback" not in text
    return lines[0]


def write_attempt(workspace, text: str, backend: str = "numpy"):
    path = workspace / f"attention_{backend}.py"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["list", "show", "start", "check", "hint", "reveal"])
def test_every_command_has_help(mlkata, command):
    result = mlkata(command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout


def test_list_shows_the_catalog_with_status(mlkata):
    result = mlkata("list")
    assert result.returncode == 0
    assert "attention" in result.stdout and "new" in result.stdout


def test_show_gives_description_equation_and_signature(mlkata):
    out = mlkata("show", "attention").stdout
    assert "scaled_dot_product_attention(Q, K, V, mask=None)" in out
    assert "sqrt{d_k}" in out and "not allowed" in out


def test_unknown_kata_suggests_the_closest_id(mlkata):
    result = mlkata("show", "atention")
    assert result.returncode == 2
    assert "did you mean 'attention'" in one_line(result.stderr)


def test_underscore_spelling_is_accepted(mlkata):
    assert mlkata("show", "attention").returncode == 0
    assert mlkata("start", "attention").returncode == 0


def test_unknown_backend(mlkata):
    result = mlkata("start", "attention", "--backend", "jax")
    assert result.returncode == 2
    assert "unknown backend 'jax'" in one_line(result.stderr)


def test_start_writes_stub_and_refuses_to_overwrite(mlkata, workspace):
    result = mlkata("start", "attention")
    assert result.returncode == 0
    attempt = workspace / "attention_numpy.py"
    assert "raise NotImplementedError" in attempt.read_text()
    attempt.write_text("# my precious work\n")
    again = mlkata("start", "attention")
    assert again.returncode == 2
    assert "not overwriting" in one_line(again.stderr)
    assert attempt.read_text() == "# my precious work\n"


def test_start_force_keeps_a_backup_first(mlkata, workspace):
    mlkata("start", "attention")
    attempt = workspace / "attention_numpy.py"
    attempt.write_text("# my precious work\n")
    assert mlkata("start", "attention", "--force").returncode == 0
    backups = list((workspace / ".mlkata" / "backups").glob("attention_numpy.*.py"))
    assert [b.read_text() for b in backups] == ["# my precious work\n"]
    assert "raise NotImplementedError" in attempt.read_text()


def test_check_untouched_stub_says_not_started(mlkata):
    mlkata("start", "attention")
    result = mlkata("check")
    assert result.returncode == 1
    assert "NOT STARTED" in result.stdout


def test_check_right_attempt_passes_and_json_has_the_contract(mlkata, workspace):
    mlkata("start", "attention")
    write_attempt(workspace, RIGHT)
    result = mlkata("check", "--json")
    assert result.returncode == 0, result.stdout
    doc = json.loads(result.stdout)
    assert {"kata", "backend", "attempt", "status", "passed", "failed", "errors", "duration_s", "tests"} <= set(doc)
    assert doc["status"] == "passed" and doc["failed"] == 0 and doc["passed"] == len(doc["tests"]) > 5
    assert {"name", "outcome", "message"} <= set(doc["tests"][0])


def test_check_wrong_attempt_says_what_differs(mlkata, workspace):
    mlkata("start", "attention")
    write_attempt(workspace, RIGHT.replace("/ np.sqrt(Q.shape[-1])", ""))
    result = mlkata("check")
    assert result.returncode == 1
    assert "expected 0.330238, got 0.268941" in result.stdout
    assert "This looks like: the scores are not divided by sqrt(d_k)" in result.stdout


def test_check_names_a_kata_and_file_explicitly(mlkata, tmp_path):
    attempt = tmp_path / "elsewhere.py"
    attempt.write_text(RIGHT)
    result = mlkata("check", "attention", "--backend", "numpy", "--file", str(attempt))
    assert result.returncode == 0, result.stdout


def test_check_without_current_kata(mlkata):
    result = mlkata("check")
    assert result.returncode == 2
    assert "no current kata" in one_line(result.stderr)


def test_check_missing_attempt_file(mlkata, tmp_path):
    result = mlkata("check", "attention", "--file", str(tmp_path / "nope.py"))
    assert result.returncode == 2
    assert "not found" in one_line(result.stderr)


@pytest.mark.parametrize(
    "source,message",
    [
        ("def scaled_dot_product_attention(Q, K, V, mask=None)\n    return Q\n", "syntax error: attention_numpy.py, line 1"),
        ("def attention(Q, K, V):\n    return Q\n", "defines no 'scaled_dot_product_attention'"),
        ("def scaled_dot_product_attention(Q, K, V, mask=None):\n    raise ValueError('oops')\n", "ValueError: oops (at attention_numpy.py:2)"),
        ("def scaled_dot_product_attention(Q, K, V, mask=None):\n    Q + 0\n", "is None: did you forget to return it?"),
        ("def scaled_dot_product_attention(Q, K, V, mask=None):\n    return Q.tolist()\n", "should be a numpy.ndarray, got list"),
        ("import sys\nsys.exit(3)\n", "importing your attempt raised SystemExit: 3"),
    ],
    ids=["syntax-error", "no-entry-point", "raises", "returns-none", "returns-list", "exits-on-import"],
)
def test_broken_attempt_fails_with_the_reason(mlkata, workspace, source, message):
    mlkata("start", "attention")
    write_attempt(workspace, source)
    result = mlkata("check", "--json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["status"] == "failed"
    failing = [t for t in doc["tests"] if t["outcome"] != "passed"]
    assert failing and all(message in t["message"] for t in failing), failing[0]


def test_attempt_that_loops_forever_is_stopped_at_the_time_limit(mlkata, workspace):
    mlkata("start", "attention")
    write_attempt(workspace, "def scaled_dot_product_attention(Q, K, V, mask=None):\n    while True:\n        pass\n")
    result = mlkata("check", "--timeout", "3", "--json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["status"] == "timed out"
    assert doc["duration_s"] < 3 + 2
    assert any(t["outcome"] == "timed out" and "time limit of 3 s" in t["message"] for t in doc["tests"])


def test_torch_backend_without_torch_says_how_to_install(workspace):
    code = "import sys; sys.modules['torch'] = None; sys.argv = ['mlkata', 'start', 'attention', '--backend', 'torch']; from mlkata.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"MLKATA_WORKSPACE": str(workspace), "NO_COLOR": "1", "PATH": ""})
    assert result.returncode == 2
    assert "pip install 'mlkata[torch]'" in one_line(result.stderr)


@needs_torch
def test_torch_attempt_calling_the_builtin_is_reported(mlkata, workspace):
    mlkata("start", "attention", "--backend", "torch")
    write_attempt(
        workspace,
        "import torch.nn.functional as F\n\ndef scaled_dot_product_attention(Q, K, V, mask=None):\n    return F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)\n",
        backend="torch",
    )
    result = mlkata("check", "--json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert all("is not allowed in this kata" in t["message"] for t in doc["tests"])


def test_reveal_asks_first_and_needs_yes_without_a_terminal(mlkata):
    mlkata("start", "attention")
    refused = mlkata("reveal")
    assert refused.returncode == 2 and "--yes" in one_line(refused.stderr)
    shown = mlkata("reveal", "--yes")
    assert shown.returncode == 0
    assert "np.swapaxes(K, -1, -2)" in shown.stdout


def test_reveal_after_passing_needs_no_confirmation(mlkata, workspace):
    mlkata("start", "attention")
    write_attempt(workspace, RIGHT)
    assert mlkata("check").returncode == 0
    assert mlkata("reveal").returncode == 0
    assert "passed" in mlkata("list").stdout


def test_hints_come_one_at_a_time_then_run_out(mlkata):
    mlkata("start", "attention")
    first, second, third, fourth = (mlkata("hint").stdout for _ in range(4))
    assert "hint 1/3" in first and "hint 2/3" in second and "hint 3/3" in third
    assert "no hints left" in fourth


@pytest.mark.parametrize("args", [["--help"], ["list"], ["show", "attention"], ["hint", "attention"]])
def test_fast_commands_import_no_heavy_library(workspace, args):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "mlkata", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-500:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "mlkata" in imported, "the command did not run"
    assert not imported & {"numpy", "torch", "pytest"}, imported & {"numpy", "torch", "pytest"}


def test_piped_reveal_is_the_plain_file(mlkata):
    shown = mlkata("reveal", "attention", "--yes")
    assert shown.stdout.startswith('"""') and "─" not in shown.stdout
    compile(shown.stdout, "reveal.py", "exec")


def test_file_without_backend_uses_the_backend_it_imports_and_is_not_recorded(mlkata, workspace, tmp_path):
    torch_file = tmp_path / "mine.py"
    torch_file.write_text(Path(RIGHT_TORCH).read_text())
    result = mlkata("check", "attention", "--file", str(torch_file), "--json")
    assert json.loads(result.stdout)["backend"] == ("torch" if torch_available() else "numpy")
    assert "attempted" not in mlkata("list").stdout.split("attention", 1)[1].splitlines()[0]


def test_start_open_uses_the_editor(mlkata, workspace, monkeypatch):
    monkeypatch.setenv("MLKATA_EDITOR", f'{sys.executable} -c \'import sys; open(sys.argv[1] + ".seen", "w")\'')
    assert mlkata("start", "attention", "--open").returncode == 0
    assert (workspace / "attention_numpy.py.seen").exists()
    monkeypatch.delenv("MLKATA_EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    result = mlkata("start", "attention", "--force", "--open")
    assert result.returncode == 2 and "no editor" in one_line(result.stderr)
