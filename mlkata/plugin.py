"""mlkata's pytest plugin: runs a hidden suite against an attempt (or every reference) and reports JSON.

With `--mlkata-impl PATH --mlkata-backend B` every test of the suite gets the attempt at PATH; without
it (plain `pytest` in the repository) every test runs once per backend against the reference solution.
Suites use three fixtures: `backend` (the adapter of mlkata.backends), `impl` (the attempt module) and
`kata` (its catalog entry). `--mlkata-report FILE` writes per-test results as JSON after every test.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import traceback
import types
from pathlib import Path

import pytest

from mlkata.catalog import BACKENDS, Kata, load_catalog

_ATTEMPT_FILES: set[str] = set()  # resolved paths of every attempt module loaded (for messages)
_FORBIDDEN_CALLS: list[str] = []  # forbidden built-ins called during the current test
_GUARDED: set[str] = set()  # built-ins wrapped so far (a wrapper stays, but only refuses while active)
_ACTIVE: dict = {"file": None, "forbidden": frozenset()}  # the current test's attempt and its kata's list
_MODULES: dict[str, object] = {}


def pytest_addoption(parser):
    group = parser.getgroup("mlkata")
    group.addoption("--mlkata-impl", default=None, help="path of the attempt to check")
    group.addoption("--mlkata-backend", default=None, choices=BACKENDS, help="backend of the attempt")
    group.addoption("--mlkata-report", default=None, help="write per-test results as JSON to this file")
    group.addoption("--mlkata-skip", action="append", default=[], help="leave out this test (it crashed the process before)")


def pytest_configure(config):
    config.addinivalue_line("markers", "backend(*names): run this test only for these backends")
    impl = config.getoption("--mlkata-impl")
    if impl and not config.getoption("--mlkata-backend"):
        raise pytest.UsageError("--mlkata-impl needs --mlkata-backend")
    config._mlkata = _Session(config)  # type: ignore[attr-defined]
    config.pluginmanager.register(config._mlkata, "mlkata-session")
    if config.getoption("--mlkata-backend") == "torch":
        import torch  # noqa: F401  (now, before any test: a slow import is not blamed on the first test)


# -- which kata a suite tests, and with what -----------------------------------------------------
@functools.lru_cache(maxsize=None)
def _catalog():
    return load_catalog()


def _kata_of(module) -> Kata | None:
    name = Path(module.__file__).stem
    if not name.startswith("test_"):
        return None
    return _catalog().katas.get(name.removeprefix("test_").replace("_", "-"))


def _backends_for(config, kata: Kata) -> list[str]:
    chosen = config.getoption("--mlkata-backend")
    return [chosen] if chosen else [b for b in BACKENDS if b in kata.backends]


def _marker_backends(item_or_def) -> set[str] | None:
    marks = [m for m in getattr(item_or_def, "iter_markers", lambda name: [])(name="backend")]
    if not marks:
        return None
    return {name for m in marks for name in m.args}


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames or metafunc.config.getoption("--mlkata-impl"):
        return
    kata = _kata_of(metafunc.module)
    if kata is None:
        return
    only = _marker_backends(metafunc.definition)
    names = [b for b in _backends_for(metafunc.config, kata) if only is None or b in only]
    params = []
    for name in names:
        marks = []
        if name == "torch" and importlib.util.find_spec("torch") is None:
            marks.append(pytest.mark.skip(reason="torch is not installed: pip install 'mlkata[torch]'"))
        params.append(pytest.param(name, id=name, marks=marks))
    metafunc.parametrize("backend_name", params, scope="module")


def pytest_collection_modifyitems(config, items):
    chosen = config.getoption("--mlkata-backend")
    if not chosen:
        return
    skip = set(config.getoption("--mlkata-skip"))
    keep, drop = [], []
    for item in items:
        only = _marker_backends(item)
        name = item.nodeid.split("::", 1)[-1]
        (drop if (only is not None and chosen not in only) or name in skip else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="module")
def kata(request) -> Kata:
    found = _kata_of(request.module)
    if found is None:
        pytest.fail(f"{request.module.__file__} does not name a kata of the catalog (test_<id>.py)", pytrace=False)
    return found


@pytest.fixture(scope="module")
def backend_name(request) -> str:
    # Parametrised in reference mode; in attempt mode the one backend asked for.
    return getattr(request, "param", None) or request.config.getoption("--mlkata-backend")


@pytest.fixture(scope="module")
def backend(backend_name):
    from mlkata.backends import get_backend

    return get_backend(backend_name)


@pytest.fixture
def impl(request, kata, backend_name):
    path = request.config.getoption("--mlkata-impl") or str(kata.solution_path(backend_name))
    spec = kata.backends[backend_name]
    _guard(spec.forbidden)
    _ACTIVE.update(file=str(Path(path).resolve()), forbidden=frozenset(spec.forbidden))
    yield Attempt(_load(Path(path)), spec.entry_names, Path(path).name)
    _ACTIVE.update(file=None, forbidden=frozenset())


# -- loading the attempt -------------------------------------------------------------------------
class _ImportFailure:
    def __init__(self, message: str):
        self.message = message


def _load(path: Path):
    key = str(path.resolve())
    if key in _MODULES:
        return _MODULES[key]
    _ATTEMPT_FILES.add(key)
    name = f"mlkata_attempt_{len(_MODULES)}_{path.stem}"
    try:
        # Compiled from the source every time, never from a .pyc: two saves within one second that keep
        # the file's size would otherwise run the stale bytecode of the first.
        source = Path(key).read_bytes()
        module = types.ModuleType(name)
        module.__file__ = key
        sys.modules[name] = module
        exec(compile(source, key, "exec", dont_inherit=True), module.__dict__)
    except SyntaxError as exc:
        where = f"{path.name}, line {exc.lineno}" if exc.lineno else path.name
        module = _ImportFailure(f"your attempt has a syntax error: {where}: {exc.msg}")
    except FileNotFoundError:
        module = _ImportFailure(f"attempt file not found: {path}")
    except BaseException as exc:  # an attempt that raises (or exits) while being imported
        module = _ImportFailure(f"importing your attempt raised {describe_exception(exc, key)}")
    _MODULES[key] = module
    return module


class Attempt:
    """The attempt module as a suite sees it: a missing entry point fails with a clear message."""

    def __init__(self, module, entry_names, filename):
        self._module = module
        self._entry_names = entry_names
        self._filename = filename

    def __getattr__(self, name):
        if isinstance(self._module, _ImportFailure):
            pytest.fail(self._module.message, pytrace=False)
        try:
            return getattr(self._module, name)
        except AttributeError:
            pytest.fail(f"{self._filename} defines no '{name}' (expected: {', '.join(self._entry_names)})", pytrace=False)


# -- forbidden built-ins -------------------------------------------------------------------------
class ForbiddenBuiltin(RuntimeError):
    pass


class AttemptExit(RuntimeError):
    """The attempt raised SystemExit or KeyboardInterrupt during a test."""


def _refused(name: str) -> bool:
    """Is `name` forbidden in the current test's kata, and called (at any depth) from its attempt?"""
    if name not in _ACTIVE["forbidden"]:
        return False
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == _ACTIVE["file"]:
            return True
        frame = frame.f_back
    return False


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1]
    raise LookupError(dotted)


def _guard(names) -> None:
    """Wrap each forbidden built-in so that a call from the attempt is recorded and refused.

    Installed before the attempt is imported, so `from ... import x as y`, `getattr` and star
    imports all bind the wrapper; calls from the suite itself (oracles) go through untouched.
    """
    for dotted in names:
        if dotted in _GUARDED:
            continue
        _GUARDED.add(dotted)
        try:
            owner, attr = _resolve(dotted)
            original = getattr(owner, attr)
        except (LookupError, AttributeError, ImportError):
            continue  # not in this version of the library: nothing to call
        message = f"{dotted} is not allowed in this kata: write it yourself with array operations"

        if isinstance(original, type):
            init = original.__init__

            @functools.wraps(init)
            def guarded_init(self, *args, __init=init, __message=message, __name=dotted, **kwargs):
                if _refused(__name):
                    _FORBIDDEN_CALLS.append(__name)
                    raise ForbiddenBuiltin(__message)
                return __init(self, *args, **kwargs)

            original.__init__ = guarded_init
            continue

        @functools.wraps(original)
        def guarded(*args, __original=original, __message=message, __name=dotted, **kwargs):
            if _refused(__name):
                _FORBIDDEN_CALLS.append(__name)
                raise ForbiddenBuiltin(__message)
            return __original(*args, **kwargs)

        setattr(owner, attr, guarded)


# -- messages ------------------------------------------------------------------------------------
def describe_exception(exc: BaseException, attempt_file: str | None = None) -> str:
    """`Type: message (at file.py:line)`, pointing at the deepest frame in an attempt file."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in _ATTEMPT_FILES or frame.filename == attempt_file:
            where = f"{Path(frame.filename).name}:{frame.lineno}"
    if isinstance(exc, NotImplementedError):
        return f"not implemented yet (NotImplementedError at {where})" if where else "not implemented yet (NotImplementedError)"
    return f"{text} (at {where})" if where else text


def _memory_limit_mb() -> int | None:
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft >> 20


def _message(excinfo) -> str:
    exc = excinfo.value
    if isinstance(exc, MemoryError):
        limit = _memory_limit_mb()
        cap = f" of {limit} MB (change it with --memory)" if limit else ""
        return f"out of memory: your code needed more than the memory limit{cap} ({describe_exception(exc)})"
    if isinstance(exc, pytest.fail.Exception) or type(exc).__name__ == "Failed":
        return str(getattr(exc, "msg", exc))
    if type(exc).__name__ == "ResultMismatch":
        return str(exc)
    if isinstance(exc, (ForbiddenBuiltin, AttemptExit)):
        return str(exc)
    if isinstance(exc, AssertionError):
        text = str(exc).strip()
        return text.splitlines()[0] if text else "assertion failed"
    text = describe_exception(exc)
    return text if text.startswith("not implemented") else f"your code raised {text}"


class _Session:
    """Collects one result per test and appends it to --mlkata-report as a JSON line.

    Lines: {"collected": [names]}, {"start": name}, {"result": {name, outcome, message, duration_s}},
    {"collect_error": text}, {"done": true}. Appending costs the same for the 1st test as for the 100th,
    and what was written before a crash stays readable.
    """

    def __init__(self, config):
        self.config = config
        path = config.getoption("--mlkata-report")
        self.report = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115 (closed at session end)

    def _emit(self, **event) -> None:
        if self.report is not None:
            self.report.write(json.dumps(event) + "\n")
            self.report.flush()  # in the kernel's hands: survives os._exit and segfaults

    @staticmethod
    def _name(item_or_report) -> str:
        nodeid = item_or_report.nodeid
        return nodeid.split("::", 1)[1] if "::" in nodeid else nodeid

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        _FORBIDDEN_CALLS.clear()
        outcome = yield
        if outcome.excinfo is not None and issubclass(outcome.excinfo[0], (KeyboardInterrupt, SystemExit)):
            # The attempt raised it, not the learner pressing Ctrl-C (mlkata kills the whole group for
            # that): a failure of this test, and the session goes on with the next one.
            outcome.force_exception(AttemptExit(f"your code raised {describe_exception(outcome.excinfo[1])}"))
        if _FORBIDDEN_CALLS:
            names = ", ".join(dict.fromkeys(_FORBIDDEN_CALLS))
            _FORBIDDEN_CALLS.clear()
            if outcome.excinfo is None or not isinstance(outcome.excinfo[1], ForbiddenBuiltin):
                outcome.force_exception(ForbiddenBuiltin(f"{names} is not allowed in this kata: write it yourself with array operations"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        rep = (yield).get_result()
        if call.excinfo is not None and rep.outcome != "skipped":
            rep.mlkata_message = _message(call.excinfo)

    def pytest_collection_finish(self, session):
        self._emit(collected=[self._name(item) for item in session.items])

    def pytest_collectreport(self, report):
        if report.failed:
            self._emit(collect_error=str(report.longrepr).strip().splitlines()[-1] if report.longrepr else "collection failed")

    def pytest_runtest_logstart(self, nodeid, location):
        self._emit(start=nodeid.split("::", 1)[1] if "::" in nodeid else nodeid)

    def pytest_runtest_logreport(self, report):
        name = self._name(report)
        message = getattr(report, "mlkata_message", "")
        if report.when == "call" or report.skipped:
            if report.skipped:
                message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self._emit(result={"name": name, "outcome": report.outcome, "message": message, "duration_s": report.duration})
        elif report.failed:  # setup or teardown failed: the test errored
            self._emit(result={"name": name, "outcome": "error", "message": message or "error in setup", "duration_s": 0.0})

    def pytest_sessionfinish(self, session, exitstatus):
        self._emit(done=True)
        if self.report is not None:
            self.report.close()
            self.report = None
