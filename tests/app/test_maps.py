"""The chain map's layout on hand-made diagnoses whose picture a reader can draw by hand."""

from __future__ import annotations

from typing import Any

from app import maps


def _link(
    link_id: str, stage: str, parent: str | None = None, status: str = "strong", **extra: Any
) -> dict[str, Any]:
    return {
        "id": link_id,
        "name": link_id,
        "stage": stage,
        "parent": parent,
        "key": False,
        "status": status,
        "reasons": [],
        "local_enterprises": len(extra.get("enterprises", [])),
        **extra,
    }


def _positions(
    diagnosis: dict[str, Any], flows: list[tuple[str, str]], **kw: Any
) -> dict[str, Any]:
    net = maps.build_network(diagnosis, flows, **kw)
    return {n["id"]: (n["x"], n["y"]) for n in net.nodes}


def test_links_in_a_stage_stand_in_supply_order() -> None:
    # 中游: 材料 → 电芯 → 模组, listed the other way round; 设备 stands alone.
    links = [
        _link("模组", "中游"),
        _link("电芯", "中游"),
        _link("材料", "中游"),
        _link("设备", "中游"),
        _link("矿", "上游"),
        _link("整车", "下游"),
    ]
    flows = [("矿", "材料"), ("材料", "电芯"), ("电芯", "模组"), ("模组", "整车")]
    pos = _positions({"links": links}, flows)
    xs = [pos[name][0] for name in ("矿", "材料", "电芯", "模组", "整车")]
    assert xs == sorted(xs) and len(set(xs)) == 5  # every supply edge runs left to right
    assert pos["设备"][0] in {pos["材料"][0], pos["电芯"][0], pos["模组"][0]}  # inside 中游


def test_a_sub_link_sits_beside_its_parent() -> None:
    links = [_link("正极", "中游"), _link("三元", "中游", "正极"), _link("铁锂", "中游", "正极")]
    pos = _positions({"links": links}, [])
    assert pos["正极"][0] < pos["三元"][0] == pos["铁锂"][0] < pos["正极"][0] + 50
    assert pos["正极"][1] < pos["三元"][1] < pos["铁锂"][1]


def test_barycentre_order_uncrosses_two_parallel_flows() -> None:
    # A→D and B→C, listed so that drawing in list order would cross them.
    links = [_link("A", "上游"), _link("B", "上游"), _link("C", "中游"), _link("D", "中游")]
    pos = _positions({"links": links}, [("A", "D"), ("B", "C")])
    assert (pos["A"][1] < pos["B"][1]) == (pos["D"][1] < pos["C"][1])


def test_a_cycle_is_drawn_without_failing() -> None:
    links = [_link("X", "中游"), _link("Y", "中游")]
    pos = _positions({"links": links}, [("X", "Y"), ("Y", "X")])
    assert pos["X"][0] < pos["Y"][0]  # the first edge wins; the one closing the cycle is ignored


def test_the_largest_few_enterprises_are_named_and_the_rest_counted() -> None:
    firms = [{"id": f"ent:{i}", "name": f"企业{i}", "revenue": float(i)} for i in range(1, 6)]
    links = [_link("隔膜", "中游", enterprises=firms)]
    net = maps.build_network({"links": links}, [], enterprises=True)
    labels = {n["id"]: n["label"] for n in net.nodes}
    shown = [i for i in labels if i.startswith("ent:")]
    assert sorted(shown) == ["ent:3", "ent:4", "ent:5"]  # largest revenue first
    assert labels["more:隔膜"] == "另有 2 家…"
    ent_font = next(n["font"]["size"] for n in net.nodes if n["id"] == "ent:5")
    assert ent_font >= 14


def test_the_map_page_carries_the_demo_notice() -> None:
    links = [_link("隔膜", "中游")]
    page = maps.chain_map_html(
        {"chain": "锂电新能源", "links": links, "notice": "本结果引用了1条标注为“示例数据”的记录"},
        [],
    )
    assert 'id="map-demo-notice"' in page and "示例数据" in page
    assert "<script>" not in page  # all script in static files (a CSP forbids inline script)
