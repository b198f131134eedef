"""The GPU requirement sets: in step with requirements.txt, and resolvable without conflicts.

The resolution tests ask the package registry (pip --dry-run --ignore-installed --report: nothing is
installed, no CUDA wheel is downloaded, only metadata) and are marked `network`. CI reaches the
registry, so they run there; without it they FAIL with a message saying so, rather than skip, because a
skipped install test would hide a broken GPU deployment.
"""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SWAPPED = {"torch", "onnxruntime", "nudenet"}  # what the GPU set replaces or installs --no-deps


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in (ROOT / name).read_text().splitlines() if ln.strip() and not ln.startswith(("#", "-"))]


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_the_gpu_set_has_every_cpu_requirement_except_the_swapped_ones():
    cpu = {r for r in _lines("requirements.txt") if _name(r) not in SWAPPED}
    assert cpu <= set(_lines("requirements-gpu.txt"))
    names = {_name(r) for r in _lines("requirements-gpu.txt")}
    assert "onnxruntime" not in names and "onnxruntime-gpu" in names
    assert {_name(r) for r in _lines("requirements-nodeps-gpu.txt")} == {"nudenet", "insightface", "chatterbox-tts"}


def test_the_zerogpu_set_is_the_cpu_set_with_a_zerogpu_torch():
    cpu = [r for r in _lines("requirements.txt") if _name(r) != "torch"]
    zero = _lines("requirements-zerogpu.txt")
    assert set(cpu) <= set(zero) and "torch==2.11.0" in zero
    assert {_name(r) for r in zero} - {_name(r) for r in cpu} == {"torch", "spaces"}


def test_gpu_torch_and_torchaudio_match():
    gpu = _lines("requirements-gpu.txt")
    assert "torch==2.11.0" in gpu and "torchaudio==2.11.0" in gpu


# --- resolution against the registry ---------------------------------------------------------------

def _registry_reachable() -> None:
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    index = next((v.strip("'\"") for k, v in (ln.split("=", 1) for ln in out.splitlines() if "=" in ln)
                  if k.endswith("index-url") and not k.endswith("extra-index-url")), "https://pypi.org/simple")
    host = urlparse(index).hostname or "pypi.org"
    try:
        socket.create_connection((host, 443), timeout=10).close()
    except OSError as exc:
        pytest.fail(f"this test resolves the GPU requirements against the package registry ({host}), which "
                    f"cannot be reached here ({exc}); run it where the registry is reachable (CI is)")


def _resolve(*args: str, tmp_path: Path) -> dict:
    _registry_reachable()
    report = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                          "--report", str(report), *args], cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stderr[-4000:]
    return {i["metadata"]["name"].lower().replace("_", "-"): i["metadata"] for i in json.loads(report.read_text())["install"]}


def _version(meta: dict) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", meta["version"])[:3])


@pytest.mark.network
def test_the_gpu_set_resolves_without_a_cv2_or_onnxruntime_conflict_or_an_old_diffusers(tmp_path):
    resolved = _resolve("-r", "requirements-gpu.txt", tmp_path=tmp_path)
    assert not {"opencv-python", "opencv-contrib-python", "opencv-contrib-python-headless"} & set(resolved)
    assert "onnxruntime" not in resolved and "onnxruntime-gpu" in resolved
    assert resolved["torch"]["version"].startswith("2.11.0") and resolved["torchaudio"]["version"].startswith("2.11.0")
    assert _version(resolved["diffusers"]) >= (0, 35), "WanVACEPipeline needs diffusers 0.35 or later"
    import diffusers

    assert _version(resolved["diffusers"]) >= _version({"version": diffusers.__version__}), "a downgrade"
    assert _version(resolved["numpy"]) >= (2, 0)


@pytest.mark.network
def test_the_no_deps_packages_real_needs_are_all_in_the_gpu_set(tmp_path):
    """Every requirement the --no-deps packages declare is provided by the GPU set, or deliberately
    replaced (named here with the reason), so `--no-deps` hides nothing they need at run time."""
    gpu = _resolve("-r", "requirements-gpu.txt", tmp_path=tmp_path)
    (tmp_path / "nodeps").mkdir()
    nodeps = _resolve("--no-deps", "-r", "requirements-nodeps-gpu.txt", tmp_path=tmp_path / "nodeps")
    replaced = {
        "onnxruntime": "onnxruntime-gpu provides the same module",
        "opencv-python": "opencv-python-headless provides cv2",
        "spacy-pkuseg": "Chinese text for Chatterbox's multilingual model only, imported lazily",
        "pykakasi": "Japanese text for Chatterbox's multilingual model only, imported lazily",
    }
    missing = []
    for name, meta in nodeps.items():
        for req in meta.get("requires_dist", []):
            if "extra ==" in req or ('python_version >= "3.14"' in req):
                continue
            dep = _name(req)
            if dep not in gpu and dep not in replaced:
                missing.append(f"{name} needs {req}")
    assert not missing, missing
    assert set(nodeps) == {"nudenet", "insightface", "chatterbox-tts"}


@pytest.mark.network
def test_installing_chatterbox_with_its_dependencies_would_break_the_video_model(tmp_path):
    """Why it is installed --no-deps: with its pins, the resolver cannot keep diffusers >= 0.35."""
    _registry_reachable()
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                          "diffusers>=0.35", "chatterbox-tts==0.1.7"], cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode != 0 and "diffusers" in (run.stderr + run.stdout)


@pytest.mark.network
def test_the_zerogpu_set_resolves_with_its_torch_and_one_onnxruntime(tmp_path):
    resolved = _resolve("-r", "requirements-zerogpu.txt", tmp_path=tmp_path)
    assert resolved["torch"]["version"].startswith("2.11.0")
    assert "onnxruntime" in resolved and "onnxruntime-gpu" not in resolved
    assert not {"opencv-python", "opencv-contrib-python"} & set(resolved)
    assert "spaces" in resolved and _version(resolved["diffusers"]) >= (0, 35)


@pytest.mark.network
def test_the_zerogpu_set_resolves_on_zerogpus_python_3_12(tmp_path):
    python = _python_3_12()
    if python is None:
        pytest.skip("no working python3.12 interpreter on this machine to resolve for ZeroGPU's Python 3.12")
    _registry_reachable()
    report = tmp_path / "report.json"
    run = subprocess.run([python, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report",
                          str(report), "-r", "requirements-zerogpu.txt"], cwd=ROOT, capture_output=True, text=True,
                         timeout=1500)
    assert run.returncode == 0, run.stderr[-4000:]
    names = {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in json.loads(report.read_text())["install"]}
    assert names["torch"].startswith("2.11.0") and "onnxruntime-gpu" not in names


def _python_3_12() -> str | None:
    """A Python 3.12 that runs: on PATH, or installed by pyenv (whose shim may not be activated)."""
    import shutil

    candidates = [shutil.which("python3.12")] + sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))
    for python in filter(None, candidates):
        try:
            ok = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, timeout=60).returncode == 0
        except OSError:
            ok = False
        if ok:
            return python
    return None


# --- the Space layouts ----------------------------------------------------------------------------

def _front_matter(readme: Path) -> dict[str, str]:
    head = readme.read_text().split("---")[1]
    return dict(line.split(": ", 1) for line in head.strip().splitlines())


def _make_space(tmp_path: Path, *kind: str) -> Path:
    out = tmp_path / "space"
    run = subprocess.run(["bash", "scripts/make-space.sh", str(out), *kind], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return out


def test_a_zerogpu_space_is_a_gradio_space_with_the_zerogpu_requirements(tmp_path):
    out = _make_space(tmp_path, "--zerogpu")
    meta = _front_matter(out / "README.md")
    assert meta["sdk"] == "gradio" and meta["python_version"] == '"3.12"' and meta["suggested_hardware"] == "zero-a10g"
    assert (out / "requirements.txt").read_text() == (ROOT / "requirements-zerogpu.txt").read_text()
    assert (out / "app.py").is_file() and (out / "pipeline" / "diffusion.py").is_file()


def test_a_docker_space_builds_the_gpu_image(tmp_path):
    out = _make_space(tmp_path, "--docker")
    meta = _front_matter(out / "README.md")
    assert meta["sdk"] == "docker" and meta["app_port"] == "7860" and "python_version" not in meta
    assert "ARG GPU=true" in (out / "Dockerfile").read_text()


def test_every_requirements_file_the_dockerfile_and_scripts_name_exists():
    for script in ("Dockerfile", "scripts/gpu-check.sh", "scripts/make-space.sh"):
        for name in re.findall(r"requirements[\w-]*\.txt", (ROOT / script).read_text()):
            assert (ROOT / name).is_file(), f"{script} names {name}"
