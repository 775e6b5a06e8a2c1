"""The Grafana dashboard of the `observability` compose profile is a valid provisioned
dashboard, and every metric and label it queries is one the product really emits.

What the product emits is taken from a real run, not from a list: the all-in-one app, on a
fresh PostgreSQL and copies of the generated warehouses (one AdventureWorks order line given
an unknown product, so the data-quality job fails), serves views, a refused call, an export,
a full report and a job run. Its own exporters send the metrics to a real OTLP receiver in
the test process, and each metric received is named as Prometheus will name it.

In the LGTM image the collector sends metrics to Prometheus' OTLP receiver, whose default
translation (UnderscoreEscapingWithSuffixes; the rules of the prometheus/otlptranslator
library) is:

- the name is split into words at each character outside [A-Za-z0-9:], joined with `_`;
- the unit is added as a word unless the name holds that word already: `s` -> seconds,
  `ms` -> milliseconds, `By` -> bytes (UNITS); `a/b` adds `a_per_b` (PER_UNITS); a unit in
  braces (`{run}`, `{row}`) or `1` adds nothing;
- a monotonic sum (a counter) ends in `_total`; a gauge of unit `1` in `_ratio`;
- a histogram is three series: `<name>_bucket` (label `le`), `<name>_sum` and `<name>_count`;
- each attribute is a label, each run of characters outside [A-Za-z0-9] replaced by one `_`
  (`otelbi.job.id` -> `otelbi_job_id`), `key_` before a leading digit;
- the resource gives `job` (`<service.namespace>/<service.name>`), `instance`
  (`service.instance.id`) and one label per attribute the image promotes
  (PROMOTED_RESOURCE_ATTRIBUTES, from the image's prometheus.yaml).

So `otelbi.job.runs` ({run}, counter) is `otelbi_job_runs_total` and `http.server.duration`
(ms, histogram) is `http_server_duration_milliseconds_bucket` / `_sum` / `_count`.
"""

from __future__ import annotations

import copy
import enum
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from tests.conftest import PROJECT_ROOT
from tests.integration.job_runs import run_job_to_end
from tests.peers.otlp_receiver import OtlpReceiver

DASHBOARDS = PROJECT_ROOT / "deploy" / "grafana" / "dashboards"
DASHBOARD = DASHBOARDS / "otelbi.json"
PROVIDER = PROJECT_ROOT / "deploy" / "grafana" / "provisioning" / "dashboards" / "otelbi.yaml"
COMPOSE = PROJECT_ROOT / "compose.yaml"

LGTM_PROVISIONING = "/otel-lgtm/grafana/conf/provisioning/dashboards"
"""Where the LGTM image's Grafana reads dashboard providers (its README, custom dashboards)."""
LGTM_PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
"""The Prometheus data source the LGTM image provisions (its grafana-datasources.yaml)."""
PROMOTED_RESOURCE_ATTRIBUTES = frozenset(
    {
        "service.instance.id", "service.name", "service.namespace", "service.version",
        "cloud.availability_zone", "cloud.region", "container.name", "deployment.environment",
        "deployment.environment.name", "k8s.cluster.name", "k8s.container.name",
        "k8s.cronjob.name", "k8s.daemonset.name", "k8s.deployment.name", "k8s.job.name",
        "k8s.namespace.name", "k8s.node.name", "k8s.pod.name", "k8s.replicaset.name",
        "k8s.statefulset.name", "host.name", "postgresql.database.name",
        "postgresql.schema.name", "postgresql.table.name", "postgresql.index.name", "database",
        "kafka.cluster.alias",
    }
)  # fmt: skip
"""`otlp.promote_resource_attributes` of the LGTM image's Prometheus: these become labels."""

UNITS = {
    "d": "days", "h": "hours", "min": "minutes", "s": "seconds", "ms": "milliseconds",
    "us": "microseconds", "ns": "nanoseconds", "By": "bytes", "KiBy": "kibibytes",
    "MiBy": "mebibytes", "GiBy": "gibibytes", "TiBy": "tibibytes", "KBy": "kilobytes",
    "MBy": "megabytes", "GBy": "gigabytes", "TBy": "terabytes", "m": "meters", "V": "volts",
    "A": "amperes", "J": "joules", "W": "watts", "g": "grams", "Cel": "celsius", "Hz": "hertz",
    "1": "", "%": "percent",
}  # fmt: skip
PER_UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month",
             "y": "year"}  # fmt: skip


class Kind(enum.StrEnum):
    """An OTLP metric's type, as far as its Prometheus name depends on it."""

    COUNTER = "counter"
    """A monotonic sum."""
    UP_DOWN = "up_down"
    """A non-monotonic sum."""
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    EXPONENTIAL_HISTOGRAM = "exponential_histogram"
    SUMMARY = "summary"


def _unit_word(unit: str, names: dict[str, str]) -> str:
    unit = unit.strip()
    if not unit or "{" in unit or "}" in unit:
        return ""
    word = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9:]", "_", names.get(unit, unit)))
    return word.strip("_")


def prometheus_name(name: str, unit: str, kind: Kind) -> str:
    """Return the name Prometheus gives an OTLP metric (the histogram's base name)."""
    words = [word for word in re.split(r"[^A-Za-z0-9:]+", name) if word]
    main, _, per = unit.partition("/")
    main_word, per_word = _unit_word(main, UNITS), _unit_word(per, PER_UNITS)
    if main_word and main_word not in words:
        words.append(main_word)
    if per_word and f"per_{per_word}" not in words:
        words.append(f"per_{per_word}")
    if kind is Kind.COUNTER:
        words = [word for word in words if word != "total"] + ["total"]
    if kind is Kind.GAUGE and unit == "1":
        words = [word for word in words if word != "ratio"] + ["ratio"]
    joined = "_".join(words)
    return f"_{joined}" if joined[:1].isdigit() else joined


def label_name(attribute: str) -> str:
    """Return the label Prometheus makes of an attribute."""
    label = re.sub(r"[^A-Za-z0-9]+", "_", attribute)
    return f"key_{label}" if label[:1].isdigit() else label


def series_names(name: str, unit: str, kind: Kind) -> dict[str, frozenset[str]]:
    """Return the series Prometheus stores for an OTLP metric, each with its own labels."""
    base = prometheus_name(name, unit, kind)
    if kind is Kind.HISTOGRAM:
        return {f"{base}_bucket": frozenset({"le"}), f"{base}_sum": frozenset(),
                f"{base}_count": frozenset()}  # fmt: skip
    if kind is Kind.SUMMARY:
        return {base: frozenset({"quantile"}), f"{base}_sum": frozenset(),
                f"{base}_count": frozenset()}  # fmt: skip
    return {base: frozenset()}


def resource_labels(resource: dict[str, str]) -> set[str]:
    """Return the labels a resource gives each of its series (`job`, `instance`, promoted)."""
    labels = {label_name(key) for key in resource if key in PROMOTED_RESOURCE_ATTRIBUTES}
    if "service.name" in resource:
        labels.add("job")
    if "service.instance.id" in resource:
        labels.add("instance")
    return labels


def _kind(metric: Any) -> Kind:
    data = metric.WhichOneof("data")
    if data == "sum":
        return Kind.COUNTER if metric.sum.is_monotonic else Kind.UP_DOWN
    return Kind(data)


def emitted_series(requests: Iterable[ExportMetricsServiceRequest]) -> dict[str, set[str]]:
    """Return each Prometheus series the OTLP requests make, with the labels it carries."""
    series: dict[str, set[str]] = defaultdict(set)
    for request in requests:
        for resource_metrics in request.resource_metrics:
            resource = {
                pair.key: pair.value.string_value for pair in resource_metrics.resource.attributes
            }
            from_resource = resource_labels(resource)
            for scope_metrics in resource_metrics.scope_metrics:
                for metric in scope_metrics.metrics:
                    kind = _kind(metric)
                    points = getattr(metric, metric.WhichOneof("data")).data_points
                    attributes = {label_name(pair.key) for p in points for pair in p.attributes}
                    for name, own in series_names(metric.name, metric.unit, kind).items():
                        series[name] |= from_resource | attributes | own
    return dict(series)


# PromQL, as far as the names go: metric selectors with their label matchers, and the label
# lists of by / without / on / ignoring / group_left / group_right.

_PROMQL_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
    |(?P<range>\[[^\]]*\])
    |(?P<number>\d[\w.]*)
    |(?P<variable>\$\{?\w+\}?)
    |(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)
    |(?P<symbol>=~|!~|!=|==|>=|<=|[-+*/%^(){},=<>@])
    |(?P<space>\s+)
    """,
    re.VERBOSE,
)
_LABEL_LISTS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"})
_MATCH_OPERATORS = frozenset({"=", "!=", "=~", "!~"})


@dataclass
class PromQL:
    """The metrics one expression selects (with the labels it matches on) and the labels it
    groups or joins by."""

    selectors: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    grouping: set[str] = field(default_factory=set)

    @property
    def metrics(self) -> set[str]:
        return {metric for metric, _ in self.selectors}


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expression):
        match = _PROMQL_TOKEN.match(expression, position)
        if match is None:
            raise ValueError(f"cannot read {expression[position:]!r} in {expression!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group()))
        position = match.end()
    return tokens


def _grouping_labels(tokens: list[tuple[str, str]], start: int) -> tuple[set[str], int]:
    """Return the labels of `by (a, b)` and the like from `start` (after the `(`) to the `)`,
    and the index after it."""
    labels: set[str] = set()
    index = start
    while tokens[index][1] != ")":
        kind, text = tokens[index]
        if kind == "name":
            labels.add(text)
        elif text != ",":
            raise ValueError(f"a label list holds label names, not {text!r}")
        index += 1
    return labels, index + 1


def _matcher_labels(tokens: list[tuple[str, str]], start: int) -> tuple[set[str], int]:
    """Return the labels of `{a="x", b=~"y"}` from `start` (after the `{`) to the `}`, and
    the index after it."""
    labels: set[str] = set()
    index = start
    while tokens[index][1] != "}":
        (kind, label), (_, operator), (value, _) = tokens[index : index + 3]
        if kind not in {"name", "string"} or operator not in _MATCH_OPERATORS:
            raise ValueError(f'a label matcher reads label="value", not {label}{operator}')
        if value != "string":
            raise ValueError(f"{label}{operator} must be followed by a quoted value")
        labels.add(label.strip("\"'`"))
        index += 3
        if tokens[index][1] == ",":
            index += 1
    return labels, index + 1


def read_promql(expression: str) -> PromQL:
    """Return the metric names and labels an expression uses.

    Raises ValueError for what it cannot read, and for a selector without a metric name
    (`{__name__=~…}`): a dashboard names its metrics.
    """
    tokens = [*_tokens(expression), ("end", "")]
    query = PromQL()
    index = 0
    while index < len(tokens) - 1:
        kind, text = tokens[index]
        following = tokens[index + 1][1]
        if kind == "name" and text.lower() in _LABEL_LISTS and following == "(":
            labels, index = _grouping_labels(tokens, index + 2)
            query.grouping |= labels
            continue
        if text == "{":
            raise ValueError(f"{expression!r}: a selector needs a metric name")
        if kind == "name" and not (
            text.lower() in _KEYWORDS
            or text.lower() in _LABEL_LISTS
            # a function or an aggregation: sum(…), sum by (…) (…)
            or following == "("
            or following.lower() in {"by", "without"}
        ):
            matched: set[str] = set()
            index += 1
            if following == "{":
                matched, index = _matcher_labels(tokens, index + 1)
            query.selectors.append((text, frozenset(matched)))
            continue
        index += 1
    return query


# The dashboard.


def dashboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return document


def panels(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every panel, those inside collapsed rows included (rows themselves too)."""
    for panel in document["panels"]:
        yield panel
        yield from panel.get("panels", [])


def queries(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (panel title, target) for every target of every panel."""
    for panel in panels(document):
        for target in panel.get("targets", []):
            yield panel["title"], target


def problems(document: dict[str, Any], emitted: dict[str, set[str]]) -> list[str]:
    """Return what the dashboard queries that the emitted series do not have."""
    found: list[str] = []
    for title, target in queries(document):
        query = read_promql(target["expr"])
        where = f"{title!r} {target['refId']}"
        for metric, matched in query.selectors:
            if metric not in emitted:
                found.append(f"{where}: metric {metric} is not emitted")
            elif missing := matched - emitted[metric]:
                found.append(f"{where}: {metric} has no label {sorted(missing)}")
        labels = set().union(*(emitted.get(metric, set()) for metric in query.metrics))
        legend = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
        if unknown := (query.grouping | legend) - labels:
            found.append(f"{where}: no queried metric has the label(s) {sorted(unknown)}")
    return found


def test_the_dashboard_is_a_provisionable_grafana_dashboard() -> None:
    document = dashboard()
    assert document["uid"] == "otelbi-overview"
    assert document["title"]
    assert isinstance(document["schemaVersion"], int)
    every = list(panels(document))
    ids = [panel["id"] for panel in every]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in every:
        grid = panel["gridPos"]
        assert grid["x"] >= 0
        assert grid["w"] >= 1
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        assert grid["h"] >= 1
        if panel["type"] == "row":
            continue
        assert panel["title"]
        assert panel["datasource"] == LGTM_PROMETHEUS, panel["title"]
        assert panel["targets"], f"{panel['title']} has no query"
        refs = [target["refId"] for target in panel["targets"]]
        assert len(refs) == len(set(refs)), panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == LGTM_PROMETHEUS, panel["title"]
            assert read_promql(target["expr"]).metrics, f"{panel['title']} queries no metric"
    titles = " ".join(panel["title"].lower() for panel in every)
    for subject in ("request rate", "latency p50", "latency p95", "error rate", "job duration",
                    "job runs", "data-quality", "audit", "report", "export",
                    "warehouse query time"):  # fmt: skip
        assert subject in titles, f"no panel shows {subject}"


def provider() -> dict[str, Any]:
    """Return the one dashboard provider of the provider file."""
    document = yaml.safe_load(PROVIDER.read_text(encoding="utf-8"))
    assert document["apiVersion"] == 1
    (entry,) = document["providers"]
    assert isinstance(entry, dict)
    return entry


def test_the_provider_reads_the_dashboards_where_the_image_provisions_them() -> None:
    entry = provider()
    assert entry["type"] == "file"
    assert Path(entry["options"]["path"]).parent == Path(LGTM_PROVISIONING)
    assert [path.name for path in DASHBOARDS.iterdir()] == [DASHBOARD.name]


def test_compose_mounts_the_provider_and_the_dashboards_into_the_lgtm_container() -> None:
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    provider_path = provider()["options"]["path"]
    mounted: dict[str, tuple[Path, bool, list[str]]] = {}
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            if isinstance(volume, str):
                source, _, rest = volume.partition(":")
                target, _, mode = rest.partition(":")
                read_only = "ro" in mode.split(",")
            else:
                source, target = volume.get("source", ""), volume["target"]
                read_only = bool(volume.get("read_only"))
            if source.startswith("."):
                profiles = list(service.get("profiles", []))
                mounted[target] = ((COMPOSE.parent / source).resolve(), read_only, profiles)
    provider_target = f"{LGTM_PROVISIONING}/{PROVIDER.name}"
    assert mounted.get(provider_target, (None,))[0] == PROVIDER.resolve(), sorted(mounted)
    assert mounted.get(provider_path, (None,))[0] == DASHBOARDS.resolve(), sorted(mounted)
    for target in (provider_target, provider_path):
        _, read_only, profiles = mounted[target]
        assert read_only, f"{target} should be mounted read-only"
        assert profiles == ["observability"], profiles


@pytest.mark.parametrize(
    ("name", "unit", "kind", "expected"),
    [
        ("http.server.duration", "ms", Kind.HISTOGRAM, "http_server_duration_milliseconds"),
        ("otelbi.job.runs", "{run}", Kind.COUNTER, "otelbi_job_runs_total"),
        ("otelbi.export.bytes", "By", Kind.HISTOGRAM, "otelbi_export_bytes"),
        # the unit's word is in the name already
        ("db.client.connections.usage", "connections", Kind.UP_DOWN,
         "db_client_connections_usage"),
        ("cpu_seconds_total", "s", Kind.COUNTER, "cpu_seconds_total"),
        ("throughput", "By/s", Kind.GAUGE, "throughput_bytes_per_second"),
        ("requests", "1/s", Kind.GAUGE, "requests_per_second"),
        ("cpu.usage", "1", Kind.GAUGE, "cpu_usage_ratio"),
        ("items", "1", Kind.COUNTER, "items_total"),
    ],
)  # fmt: skip
def test_metric_names_follow_the_prometheus_otlp_translation(
    name: str, unit: str, kind: Kind, expected: str
) -> None:
    assert prometheus_name(name, unit, kind) == expected


def test_labels_and_histogram_series_follow_the_prometheus_otlp_translation() -> None:
    assert label_name("otelbi.job.id") == "otelbi_job_id"
    assert label_name("http.status_code") == "http_status_code"
    assert label_name("a.__b") == "a_b"
    assert label_name("2xx.count") == "key_2xx_count"
    assert series_names("otelbi.job.duration", "s", Kind.HISTOGRAM) == {
        "otelbi_job_duration_seconds_bucket": {"le"},
        "otelbi_job_duration_seconds_sum": set(),
        "otelbi_job_duration_seconds_count": set(),
    }
    assert resource_labels({"service.name": "aw-service", "telemetry.sdk.name": "x"}) == {
        "job",
        "service_name",
    }


def test_the_promql_reader_finds_metrics_matchers_and_grouping_labels() -> None:
    query = read_promql(
        'histogram_quantile(0.95, sum by (le, otelbi_view) (rate(a_bucket{job=~"x/.+",'
        " outcome!='e'}[$__rate_interval] offset 5m))) / on (otelbi_view) group_left"
        " sum without (instance) (b_total) or vector(0) and bool c"
    )
    assert query.selectors == [
        ("a_bucket", frozenset({"job", "outcome"})),
        ("b_total", frozenset()),
        ("c", frozenset()),
    ]
    assert query.grouping == {"le", "otelbi_view", "instance"}
    with pytest.raises(ValueError, match="metric name"):
        read_promql('sum(rate({__name__=~"otelbi_.+"}[5m]))')
    with pytest.raises(ValueError, match="cannot read"):
        read_promql("rate(a_total[5m]) # comment")


@pytest.fixture
def data_dir(tmp_path: Path, generated_warehouses: Path) -> Path:
    """Return a DATA_DIR with copies of the generated warehouses, one AW order line orphaned."""
    target = tmp_path / "warehouses"
    for domain in Domain:
        path = duckdb_path(domain, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(duckdb_path(domain, generated_warehouses), path)
    with duckdb.connect(str(duckdb_path(Domain.AW, target))) as connection:
        connection.execute(
            'UPDATE dbo."FactInternetSales" SET "ProductKey" = 999999 WHERE "SalesOrderNumber"'
            ' = (SELECT min("SalesOrderNumber") FROM dbo."FactInternetSales")'
        )
    return target


def test_every_metric_and_label_the_dashboard_queries_is_emitted(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    data_dir: Path,
    otlp_receiver: OtlpReceiver,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    # Leaving the client shuts the providers down, which exports the last metrics.
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        assert client.get("/api/aw/sales/kpis", params={"days_back": 30}).status_code == 200
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        assert client.get("/api/aw/sales/kpis", params={"days_back": -1}).status_code == 422
        export = client.get("/api/aw/export/rep-scores", params={"format": "xlsx"})
        assert export.status_code == 200
        assert client.post("/api/reports/generate").status_code == 201
        execution = run_job_to_end(client, "aw", "aw.daily.data_quality")
    assert execution["status"] == "failed"
    emitted = emitted_series(otlp_receiver.metric_requests)
    # The dashboard keeps to the product's series with job=~"otelbi/.+".
    assert {f"{p.resource['service.namespace']}/{p.service}" for p in otlp_receiver.points()} == {
        "otelbi/api-gateway",
        "otelbi/aw-service",
        "otelbi/wwi-service",
    }

    assert problems(dashboard(), emitted) == []

    # The check bites: a metric or a label the product does not emit is reported.
    wrong = copy.deepcopy(dashboard())
    panel = next(p for p in wrong["panels"] if p.get("targets"))
    panel["targets"] = [
        {"refId": "A", "expr": "sum(rate(otelbi_nonexistent_total[5m]))"},
        {"refId": "B", "expr": 'otelbi_job_runs_total{otelbi_job_name="x"}'},
        {"refId": "C", "expr": "sum by (http_route) (otelbi_job_runs_total)"},
    ]
    assert problems(wrong, emitted) == [
        f"{panel['title']!r} A: metric otelbi_nonexistent_total is not emitted",
        f"{panel['title']!r} B: otelbi_job_runs_total has no label ['otelbi_job_name']",
        f"{panel['title']!r} C: no queried metric has the label(s) ['http_route']",
    ]
