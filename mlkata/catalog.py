"""The catalog: every kata is known from its katas/<id>/kata.toml, validated on load."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mlkata.errors import CatalogError, UnknownBackend, UnknownKata

BACKENDS = ("numpy", "torch")
CUSTOM_ENV = "MLKATA_KATAS_PATH"  # extra folders of your own katas, separated by os.pathsep
DIFFICULTIES = ("easy", "medium", "hard")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ContentRoot:
    """Where katas, reference solutions and hidden suites live (a checkout or the installed wheel)."""

    katas: Path
    solutions: Path
    suites: Path


@lru_cache(maxsize=1)
def content_root() -> ContentRoot:
    package = Path(__file__).resolve().parent
    bundled = package / "_content"  # the wheel maps katas/, solutions/, tests/katas/ in here
    if bundled.is_dir():
        return ContentRoot(bundled / "katas", bundled / "solutions", bundled / "suites")
    checkout = package.parent
    return ContentRoot(checkout / "katas", checkout / "solutions", checkout / "tests" / "katas")


@dataclass(frozen=True)
class BackendSpec:
    name: str
    entry_points: tuple[str, ...]  # signatures, e.g. "scaled_dot_product_attention(Q, K, V, mask=None)"
    forbidden: tuple[str, ...]  # dotted names of built-ins the attempt may not call

    @property
    def entry_names(self) -> tuple[str, ...]:
        """Top-level names the attempt must define ("LSHIndex.query(q, k)" names LSHIndex)."""
        names = (sig.split("(", 1)[0].strip().split(".", 1)[0] for sig in self.entry_points)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Kata:
    id: str
    title: str
    description: str
    equation: str
    difficulty: str
    tags: tuple[str, ...]
    hints: tuple[str, ...]
    backends: dict[str, BackendSpec] = field(hash=False)
    folder: Path = field(hash=False)
    custom: bool = False  # a kata of your own: reference and suite live in its folder

    @property
    def module_stem(self) -> str:
        return self.id.replace("-", "_")

    def stub_path(self, backend: str) -> Path:
        return self.folder / f"stub_{backend}.py"

    def solution_path(self, backend: str) -> Path:
        root = self.folder if self.custom else content_root().solutions / self.id
        return root / f"solution_{backend}.py"

    def suite_path(self) -> Path:
        root = self.folder if self.custom else content_root().suites
        return root / f"test_{self.module_stem}.py"

    def backend(self, name: str) -> BackendSpec:
        if name not in BACKENDS:
            raise UnknownBackend(f"unknown backend '{name}'", f"choose one of: {', '.join(BACKENDS)}")
        if name not in self.backends:
            raise UnknownBackend(f"kata '{self.id}' has no {name} backend", f"it has: {', '.join(self.backends)}")
        return self.backends[name]


def _require(data: dict, key: str, kind: type, path: Path, where: str = ""):
    label = f"{where}{key}"
    if key not in data:
        raise CatalogError(f"{path}: missing key '{label}'")
    value = data[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise CatalogError(f"{path}: key '{label}' must be a non-empty {kind.__name__}")
    return value


def _strings(data: dict, key: str, path: Path, where: str = "", required: bool = True) -> tuple[str, ...]:
    if key not in data and not required:
        return ()
    values = _require(data, key, list, path, where)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise CatalogError(f"{path}: key '{where}{key}' must be a list of non-empty strings")
    return tuple(values)


def load_kata(folder: Path, custom: bool = False) -> Kata:
    """Read and validate one kata.toml; any problem names the file and the key."""
    path = folder / "kata.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: not valid TOML ({exc})") from None
    kata_id = folder.name
    if not ID_PATTERN.match(kata_id):
        raise CatalogError(f"{path}: folder name '{kata_id}' is not a kata id (lower-case words joined by hyphens)")
    difficulty = _require(data, "difficulty", str, path)
    if difficulty not in DIFFICULTIES:
        raise CatalogError(f"{path}: key 'difficulty' must be one of {', '.join(DIFFICULTIES)}, not '{difficulty}'")
    default_entries = _strings(data, "entry_points", path, required=False)
    tables = _require(data, "backends", dict, path)
    backends: dict[str, BackendSpec] = {}
    for name, table in tables.items():
        where = f"backends.{name}."
        if name not in BACKENDS:
            raise CatalogError(f"{path}: key 'backends.{name}' is not a backend ({', '.join(BACKENDS)})")
        if not isinstance(table, dict):
            raise CatalogError(f"{path}: key 'backends.{name}' must be a table")
        entries = _strings(table, "entry_points", path, where, required=False) or default_entries
        if not entries:
            raise CatalogError(f"{path}: missing key 'entry_points' (top level or in 'backends.{name}')")
        forbidden = _strings(table, "forbidden", path, where, required=False)
        backends[name] = BackendSpec(name, entries, forbidden)
        stub = folder / f"stub_{name}.py"
        if not stub.is_file():
            raise CatalogError(f"{stub}: missing stub for backend '{name}'")
    return Kata(
        id=kata_id,
        title=_require(data, "title", str, path),
        description=_require(data, "description", str, path),
        equation=data.get("equation", "") if isinstance(data.get("equation", ""), str) else "",
        difficulty=difficulty,
        tags=_strings(data, "tags", path),
        hints=_strings(data, "hints", path),
        backends=backends,
        folder=folder,
        custom=custom,
    )


@dataclass
class Catalog:
    katas: dict[str, Kata]
    problems: list[CatalogError]  # malformed katas: reported, the rest still works

    def ids(self) -> list[str]:
        return list(self.katas)

    def get(self, name: str) -> Kata:
        key = name.strip().lower().replace("_", "-")
        if key in self.katas:
            return self.katas[key]
        for problem in self.problems:
            if f"{os.sep}{key}{os.sep}kata.toml" in problem.message or f"{os.sep}{key}{os.sep}stub_" in problem.message:
                raise problem
        import difflib

        close = difflib.get_close_matches(key, self.katas, n=1, cutoff=0.5)
        raise UnknownKata(name, suggestion=close[0] if close else None)

    def select(self, tag: str | None = None, difficulty: str | None = None) -> list[Kata]:
        return [
            k
            for k in self.katas.values()
            if (tag is None or tag in k.tags) and (difficulty is None or k.difficulty == difficulty)
        ]


def _kata_folders(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return []


def load_catalog(root: Path | None = None) -> Catalog:
    """The built-in katas, then those in the folders of $MLKATA_KATAS_PATH; a malformed one is
    reported in `problems` and the rest still work."""
    roots = [(root or content_root().katas, False)]
    roots += [(Path(p).expanduser(), True) for p in os.environ.get(CUSTOM_ENV, "").split(os.pathsep) if p.strip()]
    katas: dict[str, Kata] = {}
    problems: list[CatalogError] = []
    for base, custom in roots:
        for folder in _kata_folders(base):
            try:
                kata = load_kata(folder, custom=custom)
            except CatalogError as exc:
                problems.append(exc)
                continue
            if kata.id in katas:
                problems.append(CatalogError(f"{folder / 'kata.toml'}: kata id '{kata.id}' is already taken by {katas[kata.id].folder}"))
                continue
            katas[kata.id] = kata
    katas = dict(sorted(katas.items(), key=lambda item: (DIFFICULTIES.index(item[1].difficulty), item[0])))
    return Catalog(katas, problems)
