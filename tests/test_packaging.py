"""The project's set-up promises: environment.yml matches pyproject.toml, the Makefile documents itself."""

from __future__ import annotations

import re
import subprocess
import tomllib

import yaml

from .conftest import ROOT

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"pyyaml": "pyyaml"}


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for extra, items in project["optional-dependencies"].items():
        wanted += [item for item in items if not item.startswith("dxlab")]
    pypi = dict(_name_and_spec(r) for r in wanted)

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "conda-forge" in env["channels"]
    conda: dict[str, str] = {}
    pip_section = None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        name, spec = _name_and_spec(dep.replace("=", "==", 1) if re.match(r"^[\w\-]+=[^=]", dep) else dep)
        conda[name] = spec
    assert conda.pop("python") == "==3.11"
    conda.pop("pip")
    assert conda == {CONDA_NAMES.get(k, k): v for k, v in pypi.items()}
    assert pip_section == ["-e .[dev]"]


def test_makefile_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z_-]*):", makefile, flags=re.M)
    documented = re.findall(r"^([a-z][a-z_-]*):.*## ", makefile, flags=re.M)
    assert set(targets) == set(documented), set(targets) - set(documented)
    out = subprocess.run(["make", "-s", "-C", str(ROOT), "help"], capture_output=True, text=True, check=True)
    for target in ("demo", "test", "lab", "bench", "help"):
        assert f"make {target}" in out.stdout


def test_readme_shows_the_two_commands_and_the_tree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for folder in ("notebooks/", "dxlab/", "data/raw/", "data/processed/", "reports/", "tests/", "benchmarks/"):
        assert folder in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_constraints_pin_every_dependency_within_its_range():
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for items in project["optional-dependencies"].values():
        wanted += [item for item in items if not item.startswith("dxlab")]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    problems = []
    for requirement in wanted:
        name, spec = _name_and_spec(requirement)
        if name not in pins:
            problems.append(f"{name}: not pinned in constraints.txt")
        elif pins[name] not in SpecifierSet(spec):
            problems.append(f"{name}: pinned {pins[name]} is outside {spec}")
    assert not problems, "\n".join(problems)
