"""The importer loads the real extracts, names what it did not find, generates it on request
and refuses files whose columns do not match the declarations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from otelbi.domains import Domain
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.importer import ImportFailed, import_warehouse
from tests.conftest import AW_EXTRACT, WWI_EXTRACT

MISSING_FROM_WWI_EXTRACT = [
    "Dimension.City",
    "Fact.Sale",
    "Fact.Order",
    "Fact.Movement",
    "Fact.Transaction",
]


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otelbi.cli", "warehouse", *args],
        env={**os.environ, "DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_wwi_import_refuses_an_incomplete_extract_naming_the_tables_not_found(
    tmp_path: Path,
) -> None:
    result = _cli("import", "wwi", "--from", str(WWI_EXTRACT), data_dir=tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    for table in MISSING_FROM_WWI_EXTRACT:
        assert table in line
    assert "--fill-missing" in line
    assert not duckdb_path(Domain.WWI, tmp_path).exists()


def _working_aw_warehouse(data_dir: Path) -> tuple[Path, bytes]:
    """Return the path of a freshly imported AW warehouse under `data_dir` and its bytes."""
    path = duckdb_path(Domain.AW, data_dir)
    import_warehouse(Domain.AW, path, AW_EXTRACT)
    return path, path.read_bytes()


@pytest.mark.parametrize("source_kind", ["empty", "wrong extract", "empty table", "bad schema"])
def test_a_bad_source_exits_2_in_one_line_and_leaves_the_warehouse_byte_identical(
    tmp_path: Path, source_kind: str
) -> None:
    path, before = _working_aw_warehouse(tmp_path)
    source = tmp_path / "source"
    source.mkdir()
    if source_kind == "wrong extract":
        shutil.copy(WWI_EXTRACT / "fact_purchase.csv", source)
    elif source_kind != "empty":
        for file in AW_EXTRACT.glob("*.parquet"):
            (source / file.name).symlink_to(file)
        (source / "DimCurrency.parquet").unlink()
        header = "CurrencyKey,CurrencyAlternateKey,CurrencyName\n"
        if source_kind == "bad schema":
            header = "CurrencyKey,CurrencyAlternateKey,CurrencyName,Colour\n1,AFA,Afghani,red\n"
        (source / "DimCurrency.csv").write_text(header)
    result = _cli("import", "aw", "--from", str(source), "--fill-missing", data_dir=tmp_path)
    assert result.returncode == 2, result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith(f"otelbi: import failed, {path} unchanged: {source}")
    expected = {
        "empty": "holds none of the aw tables",
        "wrong extract": "holds none of the aw tables",
        "empty table": "DimCurrency.csv: no rows",
        "bad schema": "Colour are not in dbo.DimCurrency",
    }[source_kind]
    assert expected in line
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_wwi_import_with_fill_missing_generates_consistent_facts(tmp_path: Path) -> None:
    path = tmp_path / "wwi.duckdb"
    report = import_warehouse(Domain.WWI, path, WWI_EXTRACT, fill_missing=True, scale=0.05)
    assert sorted(report.missing) == sorted(MISSING_FROM_WWI_EXTRACT)
    assert set(report.generated) == set(MISSING_FROM_WWI_EXTRACT)
    assert all(rows > 0 for rows in report.generated.values())
    with duckdb.connect(str(path), read_only=True) as con:
        orphans = con.execute(
            'SELECT count(*) FROM "Fact"."Sale" s LEFT JOIN "Dimension"."Stock Item" i '
            'ON s."Stock Item Key" = i."Stock Item Key" WHERE i."Stock Item Key" IS NULL'
        ).fetchone()
        real_purchases = con.execute('SELECT count(*) FROM "Fact"."Purchase"').fetchone()
    assert orphans == (0,)
    assert real_purchases == (8367,)


def test_aw_import_loads_every_table_with_real_row_counts(tmp_path: Path) -> None:
    report = import_warehouse(Domain.AW, tmp_path / "aw.duckdb", AW_EXTRACT)
    assert report.missing == []
    assert report.loaded["dbo.FactInternetSales"] == 60_398
    assert report.loaded["dbo.FactResellerSales"] == 60_855
    assert report.loaded["dbo.FactSalesQuota"] == 163
    assert any("EmployeePhoto" in note for note in report.notes)


def test_an_undeclared_column_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "DimCurrency.csv").write_text(
        "CurrencyKey,CurrencyAlternateKey,CurrencyName,Colour\n1,AFA,Afghani,red\n"
    )
    target = tmp_path / "aw.duckdb"
    with pytest.raises(ImportFailed, match="Colour"):
        import_warehouse(Domain.AW, target, source)
    assert not target.exists()


def test_a_missing_required_column_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "DimCurrency.csv").write_text("CurrencyKey;CurrencyName\n1;Afghani\n")
    with pytest.raises(ImportFailed, match="CurrencyAlternateKey"):
        import_warehouse(Domain.AW, tmp_path / "aw.duckdb", source)


def test_a_value_of_the_wrong_type_is_refused_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "DimCurrency.csv").write_text(
        "CurrencyKey|CurrencyAlternateKey|CurrencyName\none|AFA|Afghani\n"
    )
    with pytest.raises(ImportFailed, match=r"DimCurrency\.csv"):
        import_warehouse(Domain.AW, tmp_path / "aw.duckdb", source, fill_missing=True)


def test_a_failed_import_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    target = tmp_path / "aw.duckdb"
    import_warehouse(Domain.AW, target, AW_EXTRACT)
    before = target.stat().st_mtime_ns
    source = tmp_path / "bad"
    source.mkdir()
    (source / "DimCurrency.csv").write_text("CurrencyKey,Nope\n1,2\n")
    with pytest.raises(ImportFailed):
        import_warehouse(Domain.AW, target, source)
    assert target.stat().st_mtime_ns == before
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dbo.FactInternetSales").fetchone() == (60_398,)


def test_import_from_a_missing_directory_fails_clearly(tmp_path: Path) -> None:
    result = _cli("import", "aw", "--from", str(tmp_path / "nowhere"), data_dir=tmp_path)
    assert result.returncode == 2
    assert "is not a directory" in result.stderr
