"""Names as their source wrote them, in both stores: a registered company name keeps its
full-width brackets, a store written before that rule takes the written form on re-load
(same id, no second node), and lookups find the node by either form."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.importing import run_import
from app.settings import Settings
from queries.nodes import resolve_node
from tests.conftest import NEO4J_URI, WriteCsv, _wipe_neo4j

HEADER = ["企业名称", "统一社会信用代码", "所属产业链", "所属环节", "是否省内", "所在地区"]
CHAIN = [["产业链", "环节", "链位"], ["锂电新能源", "电芯", "中游"]]
WRITTEN = "孚能科技（赣州）有限公司"
HALF = "孚能科技(赣州)有限公司"


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ],
)
def test_written_form_wins_and_ids_stay(tmp_path: Path, write_csv: WriteCsv, backend: str) -> None:
    settings = Settings(db=tmp_path / "kg.db", cache_dir=tmp_path / "cache")
    if backend == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = settings.open_store()
    try:
        for n, name in enumerate((HALF, WRITTEN, HALF)):
            folder = tmp_path / f"v{n}"
            write_csv(folder, "产业链图", CHAIN)
            write_csv(
                folder, "企业清单", [HEADER, [name, "", "锂电新能源", "电芯", "是", "赣州市"]]
            )
            run_import(store, [folder], settings, None)
        firms = list(store.iter_nodes("Enterprise"))
        assert [(f.id, f.name) for f in firms] == [("ent:孚能科技(赣州)", WRITTEN)]
        assert resolve_node(store, HALF).name == WRITTEN
        assert resolve_node(store, WRITTEN).name == WRITTEN
    finally:
        store.close()
