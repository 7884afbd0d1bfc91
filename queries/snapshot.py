"""A read snapshot of the graph for the analyses, built once per store version.

The analyses answer in milliseconds because they never go back to the store: everything a
diagnosis, a 链主 ranking or a recruitment list needs is read once into plain objects, with
each chain's links indexed (sub-link roll-up, neighbours) and each enterprise's places closed
upward (a 县's enterprise is also in its 市 and province). The chain structure and the
enterprise supply network are networkx graphs. Both stores give the same snapshot, because it
is read through the `GraphStore` protocol only.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_schema.definitions import SCHEMA, STAGES
from graph_schema.errors import StoreError
from graph_schema.identity import clean_text, make_id, normalise_name, park_key
from queries.memory import Bounded, PerStore, freeze, frozen_build, paused_collector
from queries.wording import DEMO_SOURCE
from store.base import CandidateRow, EnterpriseRow, GraphStore


@dataclass(slots=True)
class LinkInfo:
    id: str
    name: str
    chain: str
    stage: str | None
    level: str | None
    key: bool
    source: str | None = None  # the 数据来源 label (公开资料, 示例数据, …), if any
    restriction: str | None = None  # 招商限制: closed to recruitment, and why
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    subtree: tuple[str, ...] = ()  # the link and every descendant

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(slots=True)
class EnterpriseInfo:
    id: str
    name: str
    local: bool
    revenue: float | None
    tags: frozenset[str]
    region: str | None  # as written in the list, e.g. 广东省深圳市
    places: frozenset[str]  # Region and Park ids it is located in, closed upward
    aliases: tuple[str, ...] = ()
    source: str | None = None  # the 数据来源 label (公开资料, 示例数据, …), if any
    products: tuple[str, ...] = ()
    links: list[str] = field(default_factory=list)
    # 分环节营收: link id → (revenue in the link in 亿元 or None, share of the firm's revenue or None)
    figures: dict[str, tuple[float | None, float | None]] | None = None
    supplies: set[str] = field(default_factory=set)
    supplied_by: set[str] = field(default_factory=set)
    invests: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ProjectInfo:
    id: str
    name: str
    stage: str | None
    stage_raw: str | None
    amount: float | None
    places: frozenset[str]
    links: list[str] = field(default_factory=list)
    investors: list[str] = field(default_factory=list)
    source: str | None = None  # the 数据来源 label, if any


@dataclass(slots=True)
class ProblemInfo:
    id: str
    name: str
    type: str | None
    status: str | None
    enterprises: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PlaceInfo:
    id: str
    name: str
    label: str  # Region or Park
    level: str | None
    parents: list[str] = field(default_factory=list)
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class ChainInfo:
    id: str
    name: str
    industry: str | None
    links: list[str] = field(default_factory=list)  # chain-map order: stage, flow, tree
    # link → the local firms and the projects its subtree holds (outside firms: candidates())
    rolled_local: dict[str, list[EnterpriseInfo]] = field(default_factory=dict)
    rolled_projects: dict[str, list[ProjectInfo]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)  # link → AFFECTS it directly
    enterprises: list[str] = field(default_factory=list)  # every enterprise in a link
    local_members: list[EnterpriseInfo] = field(default_factory=list)
    projects: list[ProjectInfo] = field(default_factory=list)  # every project filling a link
    supply: Any = None  # nx.DiGraph of the chain's enterprises and SUPPLIES between them
    _pagerank: dict[str, float] | None = None


class Snapshot:
    """Everything the analyses read, indexed for per-chain work. Outside firms that the
    province's records do not name are read from the store on demand (`candidates`,
    `enterprise`)."""

    def __init__(self, version: int, store: GraphStore | None = None) -> None:
        self.version = version
        # weak: the snapshot cache is keyed weakly by the store, and must not keep it alive
        self._store = weakref.ref(store) if store is not None else None
        self.closure = _PlaceClosure({})
        self.chains: dict[str, ChainInfo] = {}
        self.links: dict[str, LinkInfo] = {}
        self.enterprises: dict[str, EnterpriseInfo] = {}
        self.projects: dict[str, ProjectInfo] = {}
        self.problems: dict[str, ProblemInfo] = {}
        self.places: dict[str, PlaceInfo] = {}
        self.structure = nx.DiGraph()  # links: SUPPLIES_TO and PART_OF edges, typed
        self._lock = threading.Lock()
        # link → its candidates (`candidates`), kept within the budget the callers give
        self._candidates: Bounded[str, tuple[EnterpriseInfo, ...]] = Bounded()
        self._names: (
            tuple[dict[str, list[EnterpriseInfo]], dict[str, list[EnterpriseInfo]]] | None
        ) = None

    def enterprise_names(
        self,
    ) -> tuple[dict[str, list[EnterpriseInfo]], dict[str, list[EnterpriseInfo]]]:
        """Enterprises by name or alias, and by normalised name; built on first use."""
        with self._lock:
            if self._names is None:
                by_name: dict[str, list[EnterpriseInfo]] = defaultdict(list)
                by_key: dict[str, list[EnterpriseInfo]] = defaultdict(list)
                for ent in self.enterprises.values():
                    for name in dict.fromkeys((ent.name, *ent.aliases)):
                        by_name[name].append(ent)
                    by_key[normalise_name(ent.name)].append(ent)
                self._names = (dict(by_name), dict(by_key))
            return self._names

    def store(self) -> GraphStore:
        store = self._store() if self._store is not None else None
        if store is None:
            raise StoreError("图数据库已关闭，请重新打开后再试")
        return store

    def candidates(self, link_ids: Sequence[str], keep: int = 0) -> dict[str, list[EnterpriseInfo]]:
        """The outside enterprises (not local) in each link or one of its sub-links, largest
        first, read from the store through the link index: one read for all the links not
        read before.

        The lists read are kept with the snapshot, within `keep` entries in all (a firm counts
        once in each list it is in; AnalysisParams.recruit_cache_firms), so that the next
        list of the same version reads only the links it has not seen; 0 keeps nothing.
        Firms the snapshot does not hold come with their score inputs only (revenue, tags,
        region, links, suppliers, investees; no places, products or aliases): pass the ones
        an answer shows through `complete`. The firms are shared: never change them."""
        wanted = [x for x in dict.fromkeys(link_ids) if x in self.links]
        kept: dict[str, tuple[EnterpriseInfo, ...]] = {}
        for link_id in wanted:
            found = self._candidates.get(link_id)
            if found is not None:
                kept[link_id] = found
        missing = [x for x in wanted if x not in kept]
        if missing:
            stored = False
            with paused_collector():
                for link_id, ents in self._read_candidates(missing).items():
                    kept[link_id] = ents
                    stored |= self._candidates.put(link_id, ents, len(ents) or 1, keep)
            if stored:  # kept for the snapshot's life: out of the collector's reach
                freeze()
        return {x: list(kept[x]) for x in wanted}

    def _read_candidates(self, wanted: list[str]) -> dict[str, tuple[EnterpriseInfo, ...]]:
        """`candidates` of these links, read in one go."""
        subtrees = {x for link_id in wanted for x in self.links[link_id].subtree}
        direct: dict[str, list[EnterpriseInfo]] = defaultdict(list)
        for ent in self._pool(subtrees):
            for x in ent.links:
                direct[x].append(ent)
        out: dict[str, tuple[EnterpriseInfo, ...]] = {}
        for link_id in wanted:
            seen: dict[str, EnterpriseInfo] = {}
            for x in self.links[link_id].subtree:
                for ent in direct.get(x, ()):
                    seen.setdefault(ent.id, ent)
            out[link_id] = tuple(sorted(seen.values(), key=by_revenue))
        return out

    def _pool(self, link_ids: set[str]) -> list[EnterpriseInfo]:
        """The outside firms in these links: read from the store, or, for a snapshot made in
        memory without a store (the rule tests' tiny ones), the outside firms it holds."""
        if not link_ids:
            return []
        if self._store is None:
            return [
                e
                for e in self.enterprises.values()
                if not e.local and link_ids.intersection(e.links)
            ]
        return [
            self.enterprises.get(row.id) or _scored(row, self.links)
            for row in self.store().candidates(sorted(link_ids))
        ]

    def complete(self, ents: Iterable[EnterpriseInfo]) -> dict[str, EnterpriseInfo]:
        """The enterprises whole, by id: those the snapshot holds as they are, the others
        (candidates read with their score inputs only) read from the store in one go."""
        out = {e.id: self.enterprises.get(e.id) or e for e in ents}
        missing = [x for x, e in out.items() if x not in self.enterprises]
        if missing:
            for row in self.store().enterprise_rows(missing):
                out[row.node.id] = enterprise_info(row, self.links, self.closure)
        return out

    def enterprise(self, ent_id: str) -> EnterpriseInfo | None:
        """An enterprise by id: from the snapshot, else (an outside firm of the pool) from
        the store."""
        found = self.enterprises.get(ent_id)
        if found is not None:
            return found
        if self._store is None or not ent_id.startswith(_ENTERPRISE_PREFIX):
            return None
        rows = self.store().enterprise_rows([ent_id])
        return enterprise_info(rows[0], self.links, self.closure) if rows else None

    def stored_enterprises(
        self, name: str, key: str
    ) -> tuple[list[EnterpriseInfo], list[EnterpriseInfo]]:
        """Outside firms of the pool (not in the snapshot) whose name or alias is `name`, and
        those whose normalised name is `key`."""
        if self._store is None:
            return [], []
        store = self.store()
        exact = [n.id for n in store.find_by_name(name) if n.label == "Enterprise"]
        hits = store.find_text(key, _NAME_MATCHES) if key else []
        keyed = [n.id for n in hits if n.label == "Enterprise" and normalise_name(n.name) == key]
        ids = [x for x in dict.fromkeys(exact + keyed) if x not in self.enterprises]
        found = {
            row.node.id: enterprise_info(row, self.links, self.closure)
            for row in store.enterprise_rows(ids)
        }
        return (
            [found[x] for x in exact if x in found],
            [found[x] for x in keyed if x in found],
        )

    def pagerank(self, chain: ChainInfo, alpha: float) -> dict[str, float]:
        """PageRank on the chain's supply network, computed on first use."""
        with self._lock:
            if chain._pagerank is None:
                graph = chain.supply
                chain._pagerank = nx.pagerank(graph, alpha=alpha) if graph.number_of_edges() else {}
            return chain._pagerank


SNAPSHOTS: PerStore[Snapshot] = PerStore()  # the one snapshot cache (the service's too)

_ENTERPRISE_PREFIX = SCHEMA.node("Enterprise").prefix + ":"
_NAME_MATCHES = 50  # store hits looked at when a name matches no firm of the snapshot


def snapshot(store: GraphStore) -> Snapshot:
    """The snapshot of the store's current version (built on first use, then reused until a
    load changes the store)."""
    cached = SNAPSHOTS.get(store, store.version())
    if cached is not None:
        return cached
    built = build_snapshot(store)
    SNAPSHOTS.put(store, built)
    return built


def build_snapshot(store: GraphStore, ties: bool = True) -> Snapshot:
    """Read the store into a new snapshot, under the memory policy of `queries.memory`
    (collector paused while millions of objects are made, the result frozen).

    The snapshot holds the province: its local enterprises, and the outside ones its records
    name (suppliers, investors, project investors, firms a problem affects); the outside pool
    (every other firm, millions at national scale) stays in the store and is read by link
    when a recruitment list needs it (`Snapshot.candidates`).

    With `ties` False it leaves out what only supply, investment and project-investor
    questions read (SUPPLIES, INVESTS_IN, BY and the outside firms only they name): enough
    for the statuses, rates, anchors and states a version record keeps, at half the cost.
    Such a snapshot is never cached nor served."""
    with frozen_build():
        snap = Snapshot(store.version(), store)
        _read_places(store, snap)
        _read_chains(store, snap)
        parks = [p.id for p in snap.places.values() if p.label == "Park"]
        for edge in store.edges_from("LOCATED_IN", "Park", parks):
            if edge.dst in snap.places:
                snap.places[edge.src].parents.append(edge.dst)
        closure = snap.closure = _PlaceClosure(snap.places)
        relations = {
            rel: [(e.src, e.dst) for e in store.iter_edges(rel)] if ties else [] for rel in _TIES
        }
        affects = [(e.src, e.dst, e.dst_label) for e in store.iter_edges("AFFECTS")]
        named = {x for rel in ("SUPPLIES", "INVESTS_IN") for pair in relations[rel] for x in pair}
        named.update(dst for _, dst in relations["BY"])
        named.update(dst for _, dst, label in affects if label == "Enterprise")
        kept = set(store.local_enterprise_ids()) | named
        _read_enterprises(store, snap, sorted(kept), relations, closure)
        _read_projects(store, snap, relations["BY"], closure)
        _read_problems(store, snap, affects)
        index_chains(snap, snap.chains.values())
    return snap


# The relationships that tie an outside firm to the province (it stays in the snapshot).
_TIES = ("SUPPLIES", "INVESTS_IN", "BY")


def _read_places(store: GraphStore, snap: Snapshot) -> None:
    for node in store.iter_nodes("Region"):
        snap.places[node.id] = PlaceInfo(
            node.id, node.name, "Region", node.props.get("level"), [], _aliases(node.props)
        )
    for node in store.iter_nodes("Park"):
        snap.places[node.id] = PlaceInfo(
            node.id, node.name, "Park", node.props.get("level"), [], _aliases(node.props)
        )
    for edge in store.iter_edges("PART_OF"):
        if edge.src in snap.places and edge.dst in snap.places:
            snap.places[edge.src].parents.append(edge.dst)


def _aliases(props: dict[str, Any]) -> tuple[str, ...]:
    return tuple(props.get("aliases") or ())


def source_label(props: dict[str, Any]) -> str | None:
    """The row's 数据来源 label (公开资料, 示例数据, …): the first source that is not a
    file#sheet origin, 示例数据 winning over any other (it must never go unnoticed); interned,
    since a province shares a handful of labels.

    >>> source_label({"sources": ["a.xlsx#企业清单", "公开资料", "示例数据"]}), source_label({})
    ('示例数据', None)
    """
    labels = [str(s) for s in props.get("sources") or () if "#" not in str(s)]
    if not labels:
        return None
    return sys.intern(DEMO_SOURCE if DEMO_SOURCE in labels else labels[0])


def _read_chains(store: GraphStore, snap: Snapshot) -> None:
    for node in store.iter_nodes("Chain"):
        snap.chains[node.id] = ChainInfo(node.id, node.name, node.props.get("industry"))
    for node in store.iter_nodes("Link"):
        p = node.props
        chain_id = str(p.get("chain") or "")  # the chain's id; HAS_LINK confirms it
        snap.links[node.id] = LinkInfo(
            node.id,
            node.name,
            chain_id,
            p.get("stage"),
            p.get("level"),
            bool(p.get("key")),
            source_label(p),
            p.get("recruit_restriction") or None,
        )
        snap.structure.add_node(node.id)
    for edge in store.iter_edges("HAS_LINK"):
        if edge.dst in snap.links and edge.src in snap.chains:
            snap.links[edge.dst].chain = edge.src
    for edge in store.iter_edges("PART_OF"):
        if edge.src in snap.links and edge.dst in snap.links:
            snap.links[edge.src].parent = edge.dst
            snap.links[edge.dst].children.append(edge.src)
            snap.structure.add_edge(edge.src, edge.dst, type="PART_OF")
    for edge in store.iter_edges("SUPPLIES_TO"):
        if edge.src in snap.links and edge.dst in snap.links:
            snap.links[edge.src].downstream.append(edge.dst)
            snap.links[edge.dst].upstream.append(edge.src)
            snap.structure.add_edge(edge.src, edge.dst, type="SUPPLIES_TO")


def enterprise_info(
    row: EnterpriseRow, links: dict[str, LinkInfo], closure: _PlaceClosure
) -> EnterpriseInfo:
    """An enterprise as the analyses see it, from its row in the store."""
    node = row.node
    p = node.props
    revenue = p.get("revenue")
    ent = EnterpriseInfo(
        node.id,
        node.name,
        bool(p.get("local")),
        float(revenue) if revenue is not None else None,
        frozenset(p.get("tags") or ()),
        p.get("region"),
        closure.of(row.places),
        _aliases(p),
        source_label(p),
        tuple(p.get("products") or ()),
    )
    for link_id, link_revenue, share in row.links:
        if link_id not in links:
            continue
        ent.links.append(link_id)
        if link_revenue is not None or share is not None:
            if ent.figures is None:
                ent.figures = {}
            ent.figures[link_id] = (link_revenue, share)
    return ent


def _read_enterprises(
    store: GraphStore,
    snap: Snapshot,
    kept: list[str],
    relations: dict[str, list[tuple[str, str]]],
    closure: _PlaceClosure,
) -> None:
    for row in store.enterprise_rows(kept):
        snap.enterprises[row.node.id] = enterprise_info(row, snap.links, closure)
    for rel, forward, backward in (
        ("SUPPLIES", "supplies", "supplied_by"),
        ("INVESTS_IN", "invests", None),
    ):
        for src_id, dst_id in relations[rel]:
            src, dst = snap.enterprises.get(src_id), snap.enterprises.get(dst_id)
            if src is None or dst is None or src is dst:
                continue
            getattr(src, forward).add(dst.id)
            if backward:
                getattr(dst, backward).add(src.id)


def _read_projects(
    store: GraphStore, snap: Snapshot, by: list[tuple[str, str]], closure: _PlaceClosure
) -> None:
    located: dict[str, list[str]] = defaultdict(list)
    nodes = list(store.iter_nodes("Project"))
    for edge in store.edges_from("LOCATED_IN", "Project", [n.id for n in nodes]):
        located[edge.src].append(edge.dst)
    for node in nodes:
        p = node.props
        amount = p.get("amount")
        snap.projects[node.id] = ProjectInfo(
            node.id,
            node.name,
            p.get("stage"),
            p.get("stage_raw"),
            float(amount) if amount is not None else None,
            closure.of(located.get(node.id, ())),
            source=source_label(p),
        )
    for edge in store.iter_edges("FILLS"):
        proj = snap.projects.get(edge.src)
        if proj is not None and edge.dst in snap.links:
            proj.links.append(edge.dst)
    for src, dst in by:
        proj = snap.projects.get(src)
        if proj is not None and dst in snap.enterprises:
            proj.investors.append(dst)


def _read_problems(store: GraphStore, snap: Snapshot, affects: list[tuple[str, str, str]]) -> None:
    for node in store.iter_nodes("Problem"):
        snap.problems[node.id] = ProblemInfo(
            node.id, node.name, node.props.get("type"), node.props.get("status")
        )
    by_link: dict[str, list[str]] = defaultdict(list)
    for src, dst, _ in affects:
        problem = snap.problems.get(src)
        if problem is None:
            continue
        if dst in snap.links:
            by_link[dst].append(problem.id)
        elif dst in snap.enterprises:
            problem.enterprises.append(dst)
    for link_id, problems in by_link.items():
        chain = snap.chains.get(snap.links[link_id].chain)
        if chain is not None:
            chain.problems[link_id] = problems


def _scored(row: CandidateRow, links: dict[str, LinkInfo]) -> EnterpriseInfo:
    """A candidate with its score inputs only (see `Snapshot.candidates`)."""
    ent = EnterpriseInfo(
        row.id,
        row.name,
        False,
        row.revenue,
        _tags(row.tags),
        row.region,
        frozenset(),
        supplies=set(row.supplies),
        invests=set(row.invests),
    )
    for link_id, link_revenue, share in row.links:
        if link_id not in links:
            continue
        ent.links.append(link_id)
        if link_revenue is not None or share is not None:
            if ent.figures is None:
                ent.figures = {}
            ent.figures[link_id] = (link_revenue, share)
    return ent


_tag_sets: dict[tuple[str, ...], frozenset[str]] = {}


def _tags(tags: tuple[str, ...]) -> frozenset[str]:
    """One shared set per tag list (a pool repeats a few dozen of them)."""
    found = _tag_sets.get(tags)
    if found is None:
        if len(_tag_sets) > 10_000:
            _tag_sets.clear()
        found = _tag_sets[tags] = frozenset(tags)
    return found


class _PlaceClosure:
    """A place list closed upward (park → its 县 → 市 → 省), shared between equal lists."""

    def __init__(self, places: dict[str, PlaceInfo]) -> None:
        self._places = places
        self._memo: dict[tuple[str, ...], frozenset[str]] = {}

    def of(self, located: Iterable[str]) -> frozenset[str]:
        key = tuple(sorted(located))
        found = self._memo.get(key)
        if found is None:
            out: set[str] = set()
            todo = list(key)
            while todo:
                place = todo.pop()
                if place in out:
                    continue
                out.add(place)
                info = self._places.get(place)
                if info is not None:
                    todo.extend(info.parents)
            found = self._memo[key] = frozenset(out)
        return found


def index_chains(snap: Snapshot, chains: Iterable[ChainInfo]) -> None:
    """Index each chain (children, roll-ups, supply graph) from the firms and projects the
    snapshot holds, grouped by link once for all chains."""
    direct_ents: dict[str, list[str]] = defaultdict(list)  # link → firms directly in it
    for ent in snap.enterprises.values():
        for link_id in ent.links:
            direct_ents[link_id].append(ent.id)
    direct_projects: dict[str, list[str]] = defaultdict(list)
    for proj in snap.projects.values():
        for link_id in proj.links:
            direct_projects[link_id].append(proj.id)
    for chain in chains:
        _index_chain(snap, chain, direct_ents, direct_projects)


def _index_chain(
    snap: Snapshot,
    chain: ChainInfo,
    direct_ents: dict[str, list[str]],
    direct_projects: dict[str, list[str]],
) -> None:
    mine = [link for link in snap.links.values() if link.chain == chain.id]
    for link in mine:
        link.subtree = tuple(_subtree(snap, link.id))
    chain.links = _chain_order(snap, mine)
    members = {e for link in mine for e in direct_ents.get(link.id, ())}
    for link_id in chain.links:
        subtree = snap.links[link_id].subtree
        rolled = [snap.enterprises[e] for e in _unique(direct_ents.get(s, []) for s in subtree)]
        rolled.sort(key=by_revenue)  # largest first: answers list the top ones without sorting
        chain.rolled_local[link_id] = [e for e in rolled if e.local]
        chain.rolled_projects[link_id] = sorted(
            (snap.projects[p] for p in _unique(direct_projects.get(s, []) for s in subtree)),
            key=by_amount,
        )
    chain.enterprises = sorted(members)
    chain.local_members = [
        snap.enterprises[e] for e in chain.enterprises if snap.enterprises[e].local
    ]
    chain.projects = [
        snap.projects[p]
        for p in _unique(direct_projects.get(link_id, []) for link_id in chain.links)
    ]
    chain.supply = _supply_graph(snap, chain.enterprises)


def by_revenue(ent: EnterpriseInfo) -> tuple[float, str]:
    """Sort key: largest revenue first, then id."""
    return (-(ent.revenue or 0.0), ent.id)


def by_amount(proj: ProjectInfo) -> tuple[float, str]:
    """Sort key: largest investment first, then id."""
    return (-(proj.amount or 0.0), proj.id)


def _subtree(snap: Snapshot, root: str) -> list[str]:
    out, todo, seen = [], [root], set()
    while todo:
        link_id = todo.pop(0)
        if link_id in seen:
            continue
        seen.add(link_id)
        out.append(link_id)
        todo.extend(sorted(snap.links[link_id].children, key=lambda c: snap.links[c].name))
    return out


def _unique(groups: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(item for group in groups for item in group))


def _chain_order(snap: Snapshot, links: list[LinkInfo]) -> list[str]:
    """Links as a chain map reads: 上游 → 中游 → 下游, along the flow, each parent before
    its sub-links."""
    stage_rank = {stage: i for i, stage in enumerate(STAGES)}

    def rank(link_id: str) -> tuple[int, str]:
        link = snap.links[link_id]
        return (stage_rank.get(link.stage or "", len(STAGES)), link.name)

    tops = [link.id for link in links if link.parent is None or link.parent not in snap.links]
    flow = nx.DiGraph()
    flow.add_nodes_from(tops)
    flow.add_edges_from(  # a loop back upstream (回收 → 锂盐) does not order the map
        (t, d)
        for t in tops
        for d in snap.links[t].downstream
        if d in flow and rank(d)[0] >= rank(t)[0]
    )
    try:
        ordered = list(nx.lexicographical_topological_sort(flow, key=rank))
    except nx.NetworkXUnfeasible:  # a loop in 下游环节: fall back to stage and name
        ordered = sorted(tops, key=rank)
    ordered.sort(key=lambda link_id: rank(link_id)[0])  # stable: flow order within a stage
    out: list[str] = []
    for top in ordered:
        out.extend(snap.links[top].subtree)
    return list(dict.fromkeys(out))


def _supply_graph(snap: Snapshot, members: list[str]) -> Any:
    graph = nx.DiGraph()
    graph.add_nodes_from(members)
    inside = set(members)
    for ent_id in members:
        for dst in snap.enterprises[ent_id].supplies:
            if dst in inside:
                graph.add_edge(ent_id, dst)
    return graph


def find_place(snap: Snapshot, text: str) -> list[PlaceInfo]:
    """Regions and parks a person's text may mean: the name, an alias, the full path, the
    name with 市/县/区 added, a park by its usual abbreviations."""
    wanted = clean_text(text)
    if wanted in snap.places:
        return [snap.places[wanted]]
    exact = [
        p
        for p in snap.places.values()
        if wanted in (p.name, *p.aliases) or p.id.endswith(":" + wanted)
    ]
    if exact:
        return exact
    park = snap.places.get(make_id("park", park_key(wanted)))
    if park is not None:
        return [park]
    return [p for p in snap.places.values() if p.label == "Region" and p.name[:-1] == wanted]


def link_revenue(ent: EnterpriseInfo, subtree: Iterable[str]) -> tuple[float | None, bool]:
    """The firm's revenue in a link (亿元): the sum of its 分环节营收 over the link's subtree
    when it gave any there, else its whole revenue; and whether a per-link figure was used.

    >>> ent = EnterpriseInfo("e", "甲", False, 100.0, frozenset(), None, frozenset())
    >>> link_revenue(ent, ["l"])
    (100.0, False)
    >>> ent.figures = {"l": (12.5, None)}
    >>> link_revenue(ent, ["l", "m"])
    (12.5, True)
    """
    if ent.figures:
        found = [ent.figures[x][0] for x in subtree if x in ent.figures]
        known = [v for v in found if v is not None]
        if known:
            return sum(known), True
    return ent.revenue, False
