"""Chain maps (产业链图) as offline HTML: pyvis builds the network, our template draws it.

Stages run left to right, 上游 → 中游 → 下游; inside a stage the links stand in supply layers
(the longest 下游环节 path leading to each), ordered by barycentre sweeps so that supply
edges run left to right with few crossings; a sub-link sits indented under its parent.
Colours are the diagnosis: 强链 green, 弱链 amber, 缺链 grey, 断链 red; key links (关键环节)
get a thick border and a ★. Local enterprises are drawn on demand under the deepest link
they are in, the largest few per link, the rest counted. Positions are fixed (no physics),
so a map of a few hundred links draws at once. The legend sits above the canvas, never on it. vis-network is served by the app (`/static/vis/`), never
from a CDN: the page refers to no outside host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
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
ROW = 46  # vertical distance between links in a block
ENT_ROW = 26  # between the enterprises listed under a link
INDENT = 22  # a sub-link's indent under its parent
LAYER = 215  # horizontal distance between supply layers
LAYER_WITH_FIRMS = 330  # … when enterprise names are listed under the links
STAGE_GAP = 90  # extra room between stages
BLOCK_GAP = 24  # between blocks (a link with its sub-links) in one layer
ENTERPRISES_SHOWN = 3  # the largest few per link; the rest on the link's page
SWEEPS = 6  # barycentre sweeps to cut edge crossings

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
_env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}  # still HTML-safe


def _root(link_id: str, by_id: dict[str, dict[str, Any]]) -> str:
    seen = {link_id}
    while by_id[link_id].get("parent") in by_id and by_id[link_id]["parent"] not in seen:
        link_id = by_id[link_id]["parent"]
        seen.add(link_id)
    return link_id


def _stage_of(link: dict[str, Any]) -> str:
    return link["stage"] if link.get("stage") in STAGES else "其他"


def supply_layers(
    roots: list[str], flows: list[tuple[str, str]], stage_of: dict[str, str], stages: list[str]
) -> dict[str, int]:
    """Each top-level link's column: stages left to right, and inside a stage the longest
    supply path (下游环节) leading to it, so that supply edges run left to right. Edges that
    would close a cycle are ignored; a link with no supply edge inside its stage joins the
    shortest layer of its stage."""
    layer: dict[str, int] = {}
    offset = 0
    for stage in stages:
        members = [r for r in roots if stage_of[r] == stage]
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(members)
        for src, dst in flows:
            inside = src != dst and src in graph and dst in graph
            if inside and stage_of[src] == stage_of[dst] and not nx.has_path(graph, dst, src):
                graph.add_edge(src, dst)
        depth: dict[str, int] = {}
        for node in nx.topological_sort(graph):
            depth[node] = max((depth[p] + 1 for p in graph.predecessors(node)), default=0)
        connected = [m for m in members if graph.degree(m)]
        lonely = [m for m in members if not graph.degree(m)]
        width = max((depth[m] for m in connected), default=0) + 1
        sizes = [sum(depth[m] == i for m in connected) for i in range(width)]
        for m in lonely:
            i = min(range(width), key=lambda k: (sizes[k], k))
            depth[m], sizes[i] = i, sizes[i] + 1
        for m in members:
            layer[m] = offset + depth[m]
        offset += width
    return layer


def order_layers(
    layer: dict[str, int], flows: list[tuple[str, str]], initial: list[str]
) -> list[list[str]]:
    """The top-level links of each layer, top to bottom, ordered by the barycentre of their
    supply neighbours (alternating sweeps) to keep crossings few; ties keep chain-map order."""
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for root in initial:
        columns[layer[root]].append(root)
    neighbours: dict[str, list[str]] = {r: [] for r in layer}
    for src, dst in flows:
        if src in layer and dst in layer and src != dst:
            neighbours[src].append(dst)
            neighbours[dst].append(src)
    for sweep in range(SWEEPS):
        position = {r: i / max(1, len(col) - 1) for col in columns for i, r in enumerate(col)}
        sequence = range(1, len(columns)) if sweep % 2 == 0 else range(len(columns) - 2, -1, -1)
        downward = sweep % 2 == 0
        for c in sequence:
            keyed = []
            for i, r in enumerate(columns[c]):
                near = [
                    position[n]
                    for n in neighbours[r]
                    if (layer[n] < c if downward else layer[n] > c)
                ]
                keyed.append((sum(near) / len(near) if near else position[r], i, r))
            columns[c] = [r for _, _, r in sorted(keyed)]
    return columns


def build_network(
    diagnosis: dict[str, Any], flows: list[tuple[str, str]], enterprises: bool = False
) -> Network:
    """The pyvis network of a diagnosis (`queries.diagnosis.diagnose`) and the chain's
    SUPPLIES_TO flows between links: stages left to right, inside a stage the links in
    supply layers, each top-level link with its sub-links stacked beside it (below, indented)
    and, when asked, its largest local enterprises listed under it."""
    net = Network(directed=True)
    links = diagnosis["links"]
    by_id = {link["id"]: link for link in links}
    stages = [s for s in STAGES if any(link.get("stage") == s for link in links)]
    if any(link.get("stage") not in STAGES for link in links):
        stages.append("其他")
    root_of = {link["id"]: _root(link["id"], by_id) for link in links}
    roots = [link["id"] for link in links if root_of[link["id"]] == link["id"]]
    stage_of = {r: _stage_of(by_id[r]) for r in roots}
    root_flows = [(root_of[a], root_of[b]) for a, b in flows if a in by_id and b in by_id]
    layer = supply_layers(roots, root_flows, stage_of, stages)
    columns = order_layers(layer, root_flows, roots)
    members: dict[str, list[str]] = {r: [] for r in roots}  # a block, in chain-map order
    for link in links:
        members[root_of[link["id"]]].append(link["id"])
    homes = _enterprise_homes(links) if enterprises else {}
    stage_index = {s: i for i, s in enumerate(stages)}

    step = LAYER_WITH_FIRMS if enterprises else LAYER

    def x_of(column: int, stage: str) -> float:
        return column * step + stage_index[stage] * STAGE_GAP

    for c, column in enumerate(columns):
        y = ROW * 1.5
        for root in column:
            stage = stage_of[root]
            for link_id in members[root]:
                link = by_id[link_id]
                depth = _depth(link, by_id)
                net.add_node(link_id, **_link_node(link, x_of(c, stage) + depth * INDENT, y))
                y += ROW
                ents = homes.get(link_id, [])
                for ent in ents[:ENTERPRISES_SHOWN]:
                    ex = x_of(c, stage) + depth * INDENT + INDENT
                    ey = y - ROW / 2 + ENT_ROW * 0.6
                    net.add_node(ent["id"], **_enterprise_node(ent, ex, ey))
                    y += ENT_ROW
                more = _more_count(link, ents)
                if enterprises and more:
                    ex = x_of(c, stage) + depth * INDENT + INDENT
                    net.add_node(
                        f"more:{link_id}",
                        label=f"另有 {more} 家…",
                        title=f"{link['name']}：另有 {more} 家本地企业，双击查看环节详情",
                        x=ex,
                        y=y - ROW / 2 + ENT_ROW * 0.6,
                        shape="text",
                        font={"size": 13, "color": "#0b5cad", "face": "sans-serif"},
                        physics=False,
                    )
                    y += ENT_ROW
                if enterprises and ents:
                    y += ENT_ROW / 2  # room before the next link's box
            y += BLOCK_GAP
    for stage in stages:
        cols = [layer[r] for r in roots if stage_of[r] == stage]
        centre = (x_of(min(cols), stage) + x_of(max(cols), stage)) / 2
        net.add_node(
            f"stage:{stage}",
            label=stage,
            x=centre,
            y=0,
            shape="text",
            font={"size": 28, "color": "#1a3a5c", "face": "sans-serif"},
            physics=False,
        )
    _add_link_edges(net, links, by_id, flows)
    return net


def _more_count(link: dict[str, Any], ents: list[dict[str, Any]]) -> int:
    """Local enterprises of a link not drawn under it: beyond the largest few, and (for a
    link without sub-links' own listings) beyond the diagnosis's shown list."""
    hidden = max(0, len(ents) - ENTERPRISES_SHOWN)
    listed = len(link.get("enterprises", []))
    return hidden + max(0, int(link.get("local_enterprises", 0)) - listed) if ents else 0


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
    name = ent["name"]
    return {
        "label": "●\u00a0" + (name[:13] + "…" if len(name) > 14 else name),
        "title": title,
        "x": x,
        "y": y,
        "shape": "text",
        "widthConstraint": False,  # one line: a name never wraps
        "font": {"size": 14, "color": "#1a3a5c", "face": "sans-serif"},
        "physics": False,
    }


def _enterprise_homes(links: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each enterprise under the deepest link it is listed in (sub-links follow their
    parent in chain-map order, so the last listing wins), largest first."""
    home: dict[str, tuple[str, dict[str, Any]]] = {}
    for link in links:
        for ent in link.get("enterprises", []):
            home[ent["id"]] = (link["id"], ent)
    out: dict[str, list[dict[str, Any]]] = {}
    for link_id, ent in home.values():
        out.setdefault(link_id, []).append(ent)
    for ents in out.values():
        ents.sort(key=lambda e: (-(e.get("revenue") or 0.0), e["name"]))
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
            net.add_edge(
                parent, link["id"], color="#b0bec5", width=1, arrows="", dashes=True, smooth=False
            )
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
        shown=ENTERPRISES_SHOWN,
        notice=diagnosis.get("notice"),
    )
