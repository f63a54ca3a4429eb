"""kata.toml is data, validated on load: a malformed kata names its file and key, the rest still works."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from mlkata.catalog import load_catalog
from mlkata.errors import CatalogError, UnknownKata

GOOD = (REPO / "katas" / "attention" / "kata.toml").read_text(encoding="utf-8")


def make_kata(root, kata_id, toml=GOOD, stubs=("numpy", "torch")):
    folder = root / kata_id
    folder.mkdir(parents=True)
    (folder / "kata.toml").write_text(toml, encoding="utf-8")
    for backend in stubs:
        shutil.copy(REPO / "katas" / "attention" / f"stub_{backend}.py", folder / f"stub_{backend}.py")
    return folder


@pytest.mark.parametrize(
    "toml,stubs,message",
    [
        (GOOD.replace('difficulty = "easy"', ""), ("numpy", "torch"), "missing key 'difficulty'"),
        (GOOD.replace('difficulty = "easy"', 'difficulty = "brutal"'), ("numpy", "torch"), "key 'difficulty' must be one of"),
        (GOOD.replace("title = ", "title = = "), ("numpy", "torch"), "not valid TOML"),
        (GOOD.replace("hints = [", "hints = [3, "), ("numpy", "torch"), "key 'hints' must be a list of non-empty strings"),
        (GOOD.replace("[backends.numpy]", "[backends.jax]"), ("numpy", "torch"), "key 'backends.jax' is not a backend"),
        (GOOD.replace('forbidden = [', 'forbidden = "x"\nunused = ['), ("numpy", "torch"), "key 'backends.torch.forbidden'"),
        (GOOD, ("numpy",), "missing stub for backend 'torch'"),
    ],
    ids=["missing-key", "bad-difficulty", "bad-toml", "bad-hints", "unknown-backend", "bad-forbidden", "missing-stub"],
)
def test_malformed_kata_names_file_and_key_and_the_rest_still_loads(tmp_path, toml, stubs, message):
    make_kata(tmp_path, "good-one")
    make_kata(tmp_path, "broken-one", toml, stubs)
    catalog = load_catalog(tmp_path)
    assert list(catalog.katas) == ["good-one"]
    assert len(catalog.problems) == 1
    text = catalog.problems[0].message
    assert "broken-one" in text and message in text, text
    with pytest.raises(CatalogError, match="broken-one"):
        catalog.get("broken-one")


def test_unknown_kata_suggests_a_close_id():
    with pytest.raises(UnknownKata) as info:
        load_catalog().get("atention")
    assert info.value.suggestion == "attention"


def test_custom_kata_folder_joins_the_catalog(tmp_path, monkeypatch):
    folder = make_kata(tmp_path, "my-attention")
    shutil.copy(REPO / "solutions" / "attention" / "solution_numpy.py", folder / "solution_numpy.py")
    monkeypatch.setenv("MLKATA_KATAS_PATH", str(tmp_path))
    catalog = load_catalog()
    kata = catalog.get("my_attention")
    assert kata.custom and kata.solution_path("numpy") == folder / "solution_numpy.py"
    assert kata.suite_path() == folder / "test_my_attention.py"
    assert "attention" in catalog.katas


def test_malformed_custom_kata_is_a_warning_in_list_not_a_crash(mlkata, tmp_path, monkeypatch):
    make_kata(tmp_path / "mine", "half-done", GOOD.replace('title = "Scaled dot-product attention"', ""))
    monkeypatch.setenv("MLKATA_KATAS_PATH", str(tmp_path / "mine"))
    result = mlkata("list")
    assert result.returncode == 0
    assert "attention" in result.stdout
    assert "half-done" in result.stderr and "missing key 'title'" in result.stderr
    shown = mlkata("show", "half-done")
    assert shown.returncode == 2 and "missing key 'title'" in shown.stderr
