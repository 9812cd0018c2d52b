"""Tests for the installed package: imports stay light, public names import, typing ships."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

import cmokit

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "cmokit"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("heavy", ["pandas", "graphviz", "numpy", "hypothesis"])
def test_import_cmokit_does_not_import_heavy_packages(heavy: str) -> None:
    result = run_python(f"import sys, cmokit; print({heavy!r} in sys.modules)")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "False"


def test_a_query_that_needs_no_table_does_not_import_pandas() -> None:
    result = run_python(
        "import sys, cmokit.examples\n"
        "theory = cmokit.examples.hand_hygiene()\n"
        "theory.explain('compliance'); cmokit.dumps(theory, format='json')\n"
        "print('pandas' in sys.modules)"
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr


def test_validating_a_small_theory_does_not_import_numpy() -> None:
    # The graph rules walk large theories with NumPy; a small one is walked in Python.
    result = run_python(
        "import sys, cmokit.examples\n"
        "assert cmokit.examples.mentorship().validate().ok\n"
        "print('numpy' in sys.modules)"
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr


def test_the_console_script_prints_the_version() -> None:
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"cmokit {cmokit.__version__}\n"


def test_the_version_agrees_with_the_package_metadata() -> None:
    assert cmokit.__version__ == importlib.metadata.version("cmokit")
    with (ROOT / "pyproject.toml").open("rb") as stream:
        assert tomllib.load(stream)["project"]["version"] == cmokit.__version__


@pytest.mark.parametrize("name", cmokit.__all__)
def test_every_public_name_is_importable(name: str) -> None:
    assert getattr(cmokit, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from cmokit import {name}", namespace)
    assert namespace[name] is getattr(cmokit, name)


def test_all_has_no_repeats() -> None:
    assert len(cmokit.__all__) == len(set(cmokit.__all__))


def test_every_name_loaded_on_first_use_is_public_and_listed_by_dir() -> None:
    assert set(cmokit._LAZY_NAMES) <= set(cmokit.__all__)
    assert set(cmokit.__all__) <= set(dir(cmokit))


def test_the_api_reference_documents_the_module_of_every_public_name() -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: (\S+)", text, flags=re.MULTILINE))
    undocumented = []
    for name in cmokit.__all__:
        value = getattr(cmokit, name)
        module = value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
        # Constants carry no module of their own; their modules are checked through the
        # functions and classes defined next to them.
        if isinstance(module, str) and module.startswith("cmokit") and module not in documented:
            undocumented.append(f"{name} ({module})")
    assert undocumented == []


@pytest.mark.parametrize(
    "module",
    ["cmokit.model", "cmokit.theory", "cmokit.queries", "cmokit.fileformat", "cmokit.exceptions"],
)
def test_core_modules_export_what_they_name(module: str) -> None:
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.{name}"


def test_the_core_api_is_public() -> None:
    for name in [
        "Context",
        "Mechanism",
        "Outcome",
        "Configuration",
        "Stage",
        "Theme",
        "Link",
        "Evidence",
        "ProgrammeTheory",
        "CmokitError",
        "LoadError",
        "UnknownReferenceError",
        "ValidationError",
        "load",
        "dump",
    ]:
        assert name in cmokit.__all__


def test_every_error_derives_from_one_base() -> None:
    errors = [
        getattr(cmokit, name)
        for name in cmokit.__all__
        if isinstance(getattr(cmokit, name), type)
        and issubclass(getattr(cmokit, name), BaseException)
    ]
    assert cmokit.CmokitError in errors
    assert all(issubclass(error, cmokit.CmokitError) for error in errors)


def test_py_typed_ships_with_the_package() -> None:
    assert (files("cmokit") / "py.typed").is_file()
    with (ROOT / "pyproject.toml").open("rb") as stream:
        package_data = tomllib.load(stream)["tool"]["setuptools"]["package-data"]["cmokit"]
    assert "py.typed" in package_data


def test_the_example_models_ship_with_the_package() -> None:
    assert (files("cmokit.examples") / "hand_hygiene.yaml").is_file()
