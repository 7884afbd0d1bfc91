"""Chain maps (产业链图) as offline HTML: pyvis builds the network, our template draws it.

Links sit in three columns, 上游 → 中游 → 下游, top to bottom in chain-map order; a sub-link
sits indented under its parent. Colours are the diagnosis: 强链 green, 弱链 amber, 缺链 grey,
断链 red; key links (关键环节) get a thick border and a ★. Local enterprises are drawn on
demand beside the deepest link they are in. Positions are fixed (no physics), so a map of a
few hundred links draws at once. vis-network is served by the app (`/static/vis/`), never
from a CDN: the page refers to no outside host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from graph_schema.definitions import STAGES
from queries.wording import STATUS_ZH

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
TEMPLATES = Path(__file__).parent / "web" / "templates"

STATUS_COLOURS = {
    "strong": ("#2e7d32", "#ffffff"),
    "weak": ("#f0a202", "#1f1f1f"),
    "missing": ("#9e9e9e", "#ffffff"),
    "broken": ("#c62828", "#ffffff"),
}
ROW = 50  # vertical distance between rows
INDENT = 130  # a sub-link's indent under its parent
BOX = 190  # room for a link's box (labels wrap at 170 px)
GAP = 70  # between stage columns
ENTERPRISE_GAP = 160
ENTERPRISES_PER_ROW = 3
ENTERPRISES_PER_LINK = 6

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
_env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}  # still HTML-safe


def build_network(
    diagnosis: dict[str, Any], flows: list[tuple[str, str]], enterprises: bool = False
) -> Network:
    """The pyvis network of a diagnosis (`queries.diagnosis.diagnose`) and the chain's
    SUPPLIES_TO flows between links."""
    net = Network(directed=True)
    links = diagnosis["links"]
    by_id = {link["id"]: link for link in links}
    stages = [s for s in STAGES if any(link.get("stage") == s for link in links)]
    if any(link.get("stage") not in STAGES for link in links):
        stages.append("其他")
    ent_x = INDENT * 2 + BOX  # enterprises start right of the deepest sub-link
    column_width = ent_x + (ENTERPRISE_GAP * ENTERPRISES_PER_ROW if enterprises else 0)
    x_of = {stage: i * (column_width + GAP) for i, stage in enumerate(stages)}
    rows = dict.fromkeys(stages, 1)
    placed = _enterprise_homes(links) if enterprises else {}
    for stage in stages:
        net.add_node(
            f"stage:{stage}",
            label=stage,
            x=x_of[stage] + INDENT,
            y=0,
            shape="text",
            font={"size": 30, "color": "#1a3a5c", "face": "sans-serif"},
            physics=False,
        )
    for link in links:
        stage = link.get("stage") if link.get("stage") in STAGES else "其他"
        depth = _depth(link, by_id)
        x, y = x_of[stage] + depth * INDENT, rows[stage] * ROW
        net.add_node(link["id"], **_link_node(link, x, y))
        ents = placed.get(link["id"], [])
        for i, ent in enumerate(ents):
            ex = x_of[stage] + ent_x + (i % ENTERPRISES_PER_ROW) * ENTERPRISE_GAP
            ey = y + (i // ENTERPRISES_PER_ROW) * ROW * 0.6
            if ent["id"] not in net.node_ids:
                net.add_node(ent["id"], **_enterprise_node(ent, ex, ey))
            net.add_edge(ent["id"], link["id"], color="#90a4ae", width=1, dashes=[2, 4])
        rows[stage] += 1 + max(0, (len(ents) - 1) // ENTERPRISES_PER_ROW)
    _add_link_edges(net, links, by_id, flows)
    return net


def _depth(link: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> int:
    depth, parent = 0, link.get("parent")
    while parent in by_id and depth < 2:
        depth, parent = depth + 1, by_id[parent].get("parent")
    return depth


def _link_node(link: dict[str, Any], x: float, y: float) -> dict[str, Any]:
    status = link["status"]
    fill, text = STATUS_COLOURS[status]
    key = bool(link.get("key"))
    reasons = "\n".join(f"· {r}" for r in link.get("reasons", []))
    title = (
        f"{link['name']}（{STATUS_ZH[status]}{'，关键环节' if key else ''}）\n"
        f"本地企业 {link.get('local_enterprises', 0)} 家\n{reasons}"
    )
    return {
        "label": ("★ " if key else "") + link["name"],
        "title": title,
        "x": x,
        "y": y,
        "shape": "box",
        "color": {"background": fill, "border": "#0d2538" if key else fill},
        "borderWidth": 3 if key else 1,
        "font": {"color": text, "size": 16, "face": "sans-serif"},
        "margin": 8,
        "physics": False,
    }


def _enterprise_node(ent: dict[str, Any], x: float, y: float) -> dict[str, Any]:
    revenue = ent.get("revenue")
    title = ent["name"] + (f"\n营收 {revenue:g} 亿元" if revenue is not None else "")
    return {
        "label": ent["name"][:12] + ("…" if len(ent["name"]) > 12 else ""),
        "title": title,
        "x": x,
        "y": y,
        "shape": "dot",
        "size": 7,
        "color": "#1565c0",
        "font": {"size": 12, "color": "#263238", "face": "sans-serif"},
        "physics": False,
    }


def _enterprise_homes(links: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each enterprise beside the deepest link it is listed in (sub-links follow their
    parent in chain-map order, so the last listing wins)."""
    home: dict[str, tuple[str, dict[str, Any]]] = {}
    for link in links:
        for ent in link.get("enterprises", []):
            home[ent["id"]] = (link["id"], ent)
    out: dict[str, list[dict[str, Any]]] = {}
    for link_id, ent in home.values():
        if len(out.setdefault(link_id, [])) < ENTERPRISES_PER_LINK:
            out[link_id].append(ent)
    return out


def _add_link_edges(
    net: Network,
    links: list[dict[str, Any]],
    by_id: dict[str, dict[str, Any]],
    flows: list[tuple[str, str]],
) -> None:
    for link in links:
        parent = link.get("parent")
        if parent in by_id:
            net.add_edge(parent, link["id"], color="#b0bec5", width=1, arrows="", dashes=True)
    for src, dst in flows:
        if src in by_id and dst in by_id:
            net.add_edge(src, dst, color="#546e7a", width=1.5, arrows="to")


def chain_map_html(
    diagnosis: dict[str, Any], flows: list[tuple[str, str]], enterprises: bool = False
) -> str:
    """The whole map page: the network, a legend, and a click through to each node's page."""
    net = build_network(diagnosis, flows, enterprises)
    counts = diagnosis.get("summary", {}).get("counts", {})
    return _env.get_template("map.html").render(
        title=f"{diagnosis['chain']}产业链图",
        region=diagnosis.get("region") or "全省",
        nodes=net.nodes,
        edges=net.edges,
        legend=[(STATUS_ZH[s], STATUS_COLOURS[s][0], counts.get(s, 0)) for s in STATUS_ZH],
        enterprises=enterprises,
    )
