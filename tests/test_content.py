"""Meta-tests over the catalog: every kata is complete, every stub fails, every wrong attempt fails.

Stubs and wrong attempts go through `runner.run_check`, the same path as `mlkata check`, with the warm
checker as executor (tests/test_runner.py proves that it gives the same results as a cold check).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import MISTAKES, torch_available

from mlkata.catalog import BACKENDS, content_root, load_catalog
from mlkata.results import Outcome, Status
from mlkata.runner import run_check

CATALOG = load_catalog()
PAIRS = [(k.id, b) for k in CATALOG.katas.values() for b in k.backends]


def _skip_without_torch(backend):
    if backend == "torch" and not torch_available():
        pytest.skip("torch is not installed: pip install 'mlkata[torch]'")


def test_catalog_loads_without_problems():
    assert not CATALOG.problems, [p.message for p in CATALOG.problems]
    assert "attention" in CATALOG.katas


@pytest.mark.parametrize("kata_id", list(CATALOG.katas))
def test_kata_is_complete(kata_id):
    kata = CATALOG.katas[kata_id]
    assert kata.equation, "every seed kata has an equation"
    assert 2 <= len(kata.hints) <= 3
    assert set(kata.backends) == set(BACKENDS)
    assert kata.suite_path().is_file(), f"no hidden suite at {kata.suite_path()}"
    for backend in kata.backends:
        assert kata.solution_path(backend).is_file()
        names = set(kata.backends[backend].entry_names)
        for label, path in (("stub", kata.stub_path(backend)), ("reference", kata.solution_path(backend))):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            assert names <= defined, f"{label} {path.name} lacks {names - defined}"
            methods = {f"{c.name}.{m.name}" for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body if isinstance(m, ast.FunctionDef)}
            wanted = {sig.split("(", 1)[0].strip() for sig in kata.backends[backend].entry_points if "." in sig.split("(", 1)[0]}
            assert wanted <= methods, f"{label} {path.name} lacks methods {wanted - methods}"
            assert ast.get_docstring(tree), f"{label} {path.name} has no module docstring"


@pytest.mark.parametrize("kata_id", list(CATALOG.katas))
def test_reference_comments_every_line(kata_id):
    kata = CATALOG.katas[kata_id]
    for backend in kata.backends:
        text = kata.solution_path(backend).read_text(encoding="utf-8")
        tree = ast.parse(text)
        doc_lines = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) and isinstance(node.value.value, str):
                doc_lines.update(range(node.lineno, node.end_lineno + 1))
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.strip()
            if not code or code.startswith(("#", "import ", "from ", "@")) or number in doc_lines:
                continue
            if code.startswith(("def ", "class ", "else:", "try:", "finally:", ")", "]", "}")) or code in ("return", "pass"):
                continue
            assert "#" in line, f"{kata.solution_path(backend).name}:{number} has no comment: {code}"


@pytest.mark.parametrize("kata_id,backend", PAIRS, ids=[f"{k}-{b}" for k, b in PAIRS])
def test_untouched_stub_is_reported_not_started(kata_id, backend, tmp_path, warm_checkers):
    _skip_without_torch(backend)
    kata = CATALOG.katas[kata_id]
    attempt = tmp_path / f"{kata.module_stem}_{backend}.py"
    attempt.write_bytes(kata.stub_path(backend).read_bytes())
    result = run_check(kata, backend, attempt, executor=warm_checkers(backend))
    assert result.status is Status.NOT_STARTED, result.to_json()
    assert result.tests and all(t.outcome is not Outcome.PASSED for t in result.tests)


def _mistakes():
    found = []
    for path in sorted(MISTAKES.glob("*/*.py")):
        backend = path.stem.split("_", 1)[0]
        found.append(pytest.param(path.parent.name, backend, path, id=f"{path.parent.name}/{path.stem}"))
    return found


def _expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# mistake: "), f"{path} must start with '# mistake: <text a failure message contains>'"
    return first.removeprefix("# mistake: ").strip()


@pytest.mark.parametrize("kata_id,backend,path", _mistakes())
def test_wrong_attempt_fails_and_names_the_mistake(kata_id, backend, path, warm_checkers):
    _skip_without_torch(backend)
    kata = CATALOG.get(kata_id)
    expected = _expected_message(path)
    result = run_check(kata, backend, path, executor=warm_checkers(backend))
    assert not result.ok, f"{path.name} passed the hidden suite: the suite misses this mistake"
    messages = [t.message for t in result.tests if t.outcome is not Outcome.PASSED]
    assert any(expected in m for m in messages), f"no failure says {expected!r}; messages: {messages[:5]}"


def test_every_kata_has_three_wrong_attempts_per_backend():
    for kata_id, backend in PAIRS:
        count = len(list((MISTAKES / kata_id).glob(f"{backend}_*.py")))
        assert count >= 3, f"{kata_id} ({backend}) has {count} wrong attempts under tests/mistakes; at least 3 are needed"


def test_content_root_is_the_checkout():
    root = content_root()
    assert (root.katas / "attention" / "kata.toml").is_file()
    assert (root.suites / "test_attention.py").is_file()
