"""Tiny in-memory snapshots for the rule tests: no loader, no store.

A test writes its chain the way one draws it on paper: a few links, a few firms, a project or
a problem, and reads the answer off at a glance. Places are 甲省, its 甲市 and 乙市, 甲市's 甲县
and a park in 甲县; a firm's or project's places are given at its narrowest and closed upward
here, as the snapshot does.
"""

from __future__ import annotations

from collections.abc import Iterable

from queries.scope import Scope
from queries.snapshot import (
    ChainInfo,
    EnterpriseInfo,
    LinkInfo,
    PlaceInfo,
    ProblemInfo,
    ProjectInfo,
    Snapshot,
    index_chains,
)

PROVINCE_ID = "region:甲省"
CITY_A = "region:甲省/甲市"
CITY_B = "region:甲省/乙市"
COUNTY_A = "region:甲省/甲市/甲县"
PARK_A = "park:甲县园区"
_PARENTS = {
    PROVINCE_ID: [],
    CITY_A: [PROVINCE_ID],
    CITY_B: [PROVINCE_ID],
    COUNTY_A: [CITY_A],
    PARK_A: [COUNTY_A],
}
_LEVELS = {PROVINCE_ID: "省", CITY_A: "市", CITY_B: "市", COUNTY_A: "县", PARK_A: None}


def closed(place: str | None) -> frozenset[str]:
    """The place and every place above it."""
    out: set[str] = set()
    todo = [place] if place else []
    while todo:
        current = todo.pop()
        out.add(current)
        todo.extend(_PARENTS[current])
    return frozenset(out)


def scope_of(place: str | None) -> Scope:
    """The scope of a question about `place` (None: the whole province)."""
    if place is None:
        return Scope()
    name = place.rsplit("/", 1)[-1].split(":", 1)[-1]
    label = "Park" if place.startswith("park:") else "Region"
    return Scope(place, name, label, _LEVELS[place])


class Tiny:
    """Builds one chain (`测试链`) in a fresh snapshot."""

    CHAIN = "chain:测试链"

    def __init__(self) -> None:
        self.snap = Snapshot(1)
        for place_id, parents in _PARENTS.items():
            name = place_id.rsplit("/", 1)[-1].split(":", 1)[-1]
            label = "Park" if place_id.startswith("park:") else "Region"
            self.snap.places[place_id] = PlaceInfo(
                place_id, name, label, _LEVELS[place_id], list(parents)
            )
        self._problems: dict[str, list[str]] = {}

    def link_id(self, name: str) -> str:
        return f"link:测试链/{name}"

    def link(
        self,
        name: str,
        stage: str | None = None,
        parent: str | None = None,
        down: Iterable[str] = (),
        key: bool = False,
        restriction: str | None = None,
    ) -> Tiny:
        """A link; `down` names its 下游环节 (they may be added later)."""
        link_id = self.link_id(name)
        parent_id = self.link_id(parent) if parent else None
        self.snap.links[link_id] = LinkInfo(
            link_id,
            name,
            self.CHAIN,
            stage,
            "二级" if parent else "一级",
            key,
            restriction=restriction,
            parent=parent_id,
            downstream=[self.link_id(d) for d in down],
        )
        return self

    def firm(
        self,
        name: str,
        links: Iterable[str],
        *,
        local: bool = True,
        revenue: float | None = None,
        tags: Iterable[str] = (),
        place: str | None = CITY_A,
        region: str | None = None,
        products: Iterable[str] = (),
        figures: dict[str, tuple[float | None, float | None]] | None = None,
    ) -> EnterpriseInfo:
        """A firm in `links` (names); `figures` maps a link name to (revenue, share)."""
        ent = EnterpriseInfo(
            f"ent:{name}",
            name,
            local,
            revenue,
            frozenset(tags),
            region or ("甲省" if local else "广东省深圳市"),
            closed(place) if local else frozenset(),
            products=tuple(products),
            links=[self.link_id(x) for x in links],
            figures={self.link_id(k): v for k, v in figures.items()} if figures else None,
        )
        self.snap.enterprises[ent.id] = ent
        return ent

    def project(
        self,
        name: str,
        links: Iterable[str],
        stage: str,
        *,
        place: str = CITY_A,
        amount: float | None = None,
        investors: Iterable[EnterpriseInfo] = (),
    ) -> ProjectInfo:
        proj = ProjectInfo(
            f"proj:{name}",
            name,
            stage,
            stage,
            amount,
            closed(place),
            links=[self.link_id(x) for x in links],
            investors=[e.id for e in investors],
        )
        self.snap.projects[proj.id] = proj
        return proj

    def problem(
        self,
        name: str,
        link: str,
        type_: str = "卡脖子",
        status: str | None = "待办",
        firms: Iterable[EnterpriseInfo] = (),
    ) -> ProblemInfo:
        problem = ProblemInfo(f"problem:{name}", name, type_, status, [e.id for e in firms])
        self.snap.problems[problem.id] = problem
        self._problems.setdefault(self.link_id(link), []).append(problem.id)
        return problem

    def supplies(self, seller: EnterpriseInfo, buyer: EnterpriseInfo) -> None:
        seller.supplies.add(buyer.id)
        buyer.supplied_by.add(seller.id)

    def build(self) -> tuple[Snapshot, ChainInfo]:
        """Index the chain as the snapshot does (children, upstream, roll-ups, supply graph)."""
        snap = self.snap
        for link in snap.links.values():
            link.children, link.upstream = [], []
        for link in snap.links.values():
            if link.parent:
                snap.links[link.parent].children.append(link.id)
            for down in link.downstream:
                snap.links[down].upstream.append(link.id)
        chain = ChainInfo(self.CHAIN, "测试链", "测试产业")
        snap.chains[chain.id] = chain
        index_chains(snap, [chain])
        chain.problems = dict(self._problems)
        return snap, chain
