"""What a node's page shows, in an officer's words: a 企业画像, a link's status and its
neighbours, a park's or region's 首位 / 主导产业 and the chains' statuses there.

Every analysis is read through the snapshot cache (`app.web.snapshots`), keyed as the chain
page keys it, so a profile costs a few dictionary look-ups once the chain has been diagnosed.
Internal ids and relationship type names are kept for the folded 技术信息 part only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from app.web import overview
from app.web.snapshots import Snapshots, answer_key
from graph_schema import SCHEMA
from graph_schema.definitions import ENTERPRISE_TAGS
from graph_schema.errors import ChainKGError
from queries.nodes import NodeDetail
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.snapshot import Snapshot
from queries.wording import DEMO_SOURCE, fmt_yi, place_text
from store.base import GraphStore

PAGE_RECRUITS = 5  # candidates per target link on a page; downloads carry the full list
SHOWN_RELATED = 60  # related nodes listed per group before "另有 n 个"

# (relationship type, direction seen from this node) → what an officer calls the other end
REL_WORDS: dict[tuple[str, str], str] = {
    ("SUPPLIES", "out"): "供货给",
    ("SUPPLIES", "in"): "供应商",
    ("INVESTS_IN", "out"): "投资",
    ("INVESTS_IN", "in"): "投资方",
    ("IN_LINK", "out"): "所在环节",
    ("IN_LINK", "in"): "环节企业",
    ("LOCATED_IN", "out"): "所在地",
    ("LOCATED_IN", "in"): "位于此地",
    ("BY", "out"): "投资主体",
    ("BY", "in"): "投资项目",
    ("FILLS", "out"): "补齐环节",
    ("FILLS", "in"): "补链项目",
    ("MEMBER_OF", "out"): "所属集群",
    ("MEMBER_OF", "in"): "集群成员",
    ("IN_CHAIN", "out"): "所属产业链",
    ("IN_CHAIN", "in"): "产业集群",
    ("FOCUSES_ON", "out"): "重点产业链",
    ("FOCUSES_ON", "in"): "重点发展该链的园区",
    ("SUPPORTS", "out"): "支持对象",
    ("SUPPORTS", "in"): "支持政策",
    ("AFFECTS", "out"): "涉及对象",
    ("AFFECTS", "in"): "相关问题",
    ("ENABLES", "out"): "支撑环节",
    ("ENABLES", "in"): "支撑技术",
    ("APPLIED_IN", "out"): "应用领域",
    ("APPLIED_IN", "in"): "应用该领域的环节",
    ("MENTIONS", "out"): "提及",
    ("STATES", "out"): "载有数据",
    ("STATES", "in"): "出处文件",
    ("ABOUT", "out"): "数据主体",
    ("ABOUT", "in"): "相关数据",
    ("HAS_CHAIN", "out"): "包含产业链",
    ("HAS_CHAIN", "in"): "所属产业",
    ("HAS_LINK", "out"): "包含环节",
    ("HAS_LINK", "in"): "所属产业链",
    ("PART_OF", "out"): "上级",
    ("PART_OF", "in"): "下级",
    ("SUPPLIES_TO", "out"): "下游环节",
    ("SUPPLIES_TO", "in"): "上游环节",
}
# shown elsewhere on the page (documents) or said in the facts (chain of a link)
_NOT_LISTED = {("MENTIONS", "in")}
_HIDDEN_PROPS = {"id", "name", "aliases", "sources", "text", "tags", "sha256"}
_UNIT = re.compile(r"^(.*?)[(（](.+?)[)）]$")


@dataclass
class Profile:
    """The template's view of one node."""

    kind: str
    kind_zh: str
    id: str
    name: str
    facts: list[tuple[str, str]]
    tags: list[str]
    aliases: list[str]
    source_words: list[str]
    demo: bool
    groups: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    tech_props: list[tuple[str, str]]
    tech_rels: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def source_words(sources: list[str]) -> list[str]:
    """A node's 数据来源 in plain words: labels as they are, file#sheet as 导入文件…工作表."""
    labels, files = [], []
    for s in sources:
        if "#" in s:
            file, sheet = s.split("#", 1)
            files.append(f"导入文件“{file}”的“{sheet}”表")
        elif "." in s:
            files.append(f"文件“{s}”")
        elif s == DEMO_SOURCE:
            labels.append("示例数据（演示用的虚构或未经核实的数字，不代表真实情况）")
        else:
            labels.append(s)
    return labels + files


def _value_text(value: Any, unit: str | None) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, float | int) and unit:
        number = fmt_yi(float(value)) if unit.endswith("元") else f"{value:g}"
        return f"{number} {unit}"
    if isinstance(value, str) and "/" in value:
        return place_text(value) or value
    return str(value)


def facts_of(label: str, props: dict[str, Any]) -> list[tuple[str, str]]:
    """Each filled property under its Chinese name, with its unit: 营业收入 418 亿元."""
    out = []
    node_type = SCHEMA.node(label)
    for prop in node_type.all_props:
        value = props.get(prop.name)
        if prop.name in _HIDDEN_PROPS or value in (None, "", [], {}):
            continue
        match = _UNIT.match(prop.zh)
        name, unit = (match.group(1), match.group(2)) if match else (prop.zh, None)
        out.append((name, _value_text(value, unit)))
    return out


class ProfileBuilder:
    """Builds profiles over one snapshot, reading analyses through the cache."""

    def __init__(self, store: GraphStore, snapshots: Snapshots, params: AnalysisParams) -> None:
        self.store = store
        self.snapshots = snapshots
        self.params = params
        self.snap: Snapshot = snapshots.get()

    def diagnosis(self, chain_id: str, region: str | None) -> dict[str, Any]:
        return overview.diagnosis(self.snapshots, self.params, chain_id, region)

    def statuses(self, chain_id: str, region: str | None) -> dict[str, dict[str, Any]]:
        return {link["id"]: link for link in self.diagnosis(chain_id, region)["links"]}

    def recruitment(self, chain_id: str) -> dict[str, Any]:
        data: dict[str, Any] = self.snapshots.plain(
            answer_key(recruit, chain_id, None, PAGE_RECRUITS),
            lambda s: recruit(s, chain_id, self.params, top=PAGE_RECRUITS),
        )
        return data

    def overview(self, region: str) -> list[dict[str, Any]]:
        return overview.chain_rows(self.snapshots, self.params, region)

    def build(self, detail: NodeDetail) -> Profile:
        props = detail.properties
        tags = list(props.get("tags") or [])
        rank = {t: i for i, t in enumerate(ENTERPRISE_TAGS)}
        tags.sort(key=lambda t: (rank.get(t, len(rank)), t))
        sources = list(props.get("sources") or [])
        profile = Profile(
            kind=detail.type,
            kind_zh=SCHEMA.node(detail.type).zh,
            id=detail.id,
            name=detail.name,
            facts=self._facts(detail),
            tags=tags,
            aliases=list(props.get("aliases") or []),
            source_words=source_words(sources),
            demo=DEMO_SOURCE in sources,
            groups=self._groups(detail),
            documents=[d.model_dump() for d in detail.documents],
            tech_props=[
                (k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
                for k, v in props.items()
                if k != "text" and v not in (None, "", [], {})
            ],
            tech_rels=[
                {**r.model_dump(), "type_zh": SCHEMA.rel(r.type).zh}
                for r in detail.relationships[:500]
            ],
        )
        extra = {
            "Enterprise": self._enterprise,
            "Link": self._link,
            "Park": self._place,
            "Region": self._place,
        }.get(detail.type)
        if extra is not None:
            profile.extra = extra(detail)
        return profile

    def _facts(self, detail: NodeDetail) -> list[tuple[str, str]]:
        props = dict(detail.properties)
        chain = props.get("chain")
        if isinstance(chain, str) and chain in self.snap.chains:
            props["chain"] = self.snap.chains[chain].name
        return facts_of(detail.type, props)

    def _groups(self, detail: NodeDetail) -> list[dict[str, Any]]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for rel in detail.relationships:
            key = (rel.type, rel.direction)
            if key not in _NOT_LISTED:
                groups.setdefault(key, []).append(rel.model_dump())
        out = []
        for key, rels in groups.items():
            kinds = {SCHEMA.node(r["other_type"]).zh for r in rels}
            out.append(
                {
                    "key": f"{key[0]}:{key[1]}",
                    "title": REL_WORDS.get(key, SCHEMA.rel(key[0]).zh),
                    "kind": "、".join(sorted(kinds)),
                    "items": rels[:SHOWN_RELATED],
                    "more": max(0, len(rels) - SHOWN_RELATED),
                    "count": len(rels),
                }
            )
        return out

    # --- 企业画像 -------------------------------------------------------------------------

    def _home_city(self, places: frozenset[str]) -> tuple[str, str] | None:
        """The 市 an enterprise sits in (id, name), if it is in the province's places."""
        for place_id in places:
            place = self.snap.places.get(place_id)
            if place is not None and place.label == "Region" and place.level == "市":
                return place.id, place.name
        return None

    def _enterprise(self, detail: NodeDetail) -> dict[str, Any]:
        ent = self.snap.enterprise(detail.id)  # an outside firm of the pool: from the store
        if ent is None:
            return {}
        city = self._home_city(ent.places) if ent.local else None
        memberships = []
        chains: list[str] = []
        for link_id in ent.links:
            link = self.snap.links.get(link_id)
            if link is None:
                continue
            if link.chain not in chains:
                chains.append(link.chain)
            province = self.statuses(link.chain, None).get(link_id, {})
            here = self.statuses(link.chain, city[0]).get(link_id, {}) if city else {}
            memberships.append(
                {
                    "chain": self.snap.chains[link.chain].name,
                    "chain_id": link.chain,
                    "link": link.name,
                    "link_id": link.id,
                    "stage": province.get("stage") or link.stage,
                    "key": link.key,
                    "province": province.get("status"),
                    "local": here.get("status"),
                }
            )
        candidacies = []
        for chain_id in chains:
            for item in self.recruitment(chain_id)["items"]:
                if item["enterprise_id"] == ent.id:
                    candidacies.append({**item, "chain": self.snap.chains[chain_id].name})
        projects = [
            self.snap.projects[p_id]
            for p_id in self.snap.projects
            if ent.id in self.snap.projects[p_id].investors
        ]
        problems = [p for p in self.snap.problems.values() if ent.id in p.enterprises]
        return {
            "city": city[1] if city else None,
            "local": ent.local,
            "memberships": memberships,
            "candidacies": candidacies,
            "projects": [
                {
                    "id": p.id,
                    "name": p.name,
                    "stage": p.stage or p.stage_raw,
                    "amount": p.amount,
                    "links": [self.snap.links[x].name for x in p.links if x in self.snap.links],
                }
                for p in projects
            ],
            "problems": [
                {"id": p.id, "name": p.name, "type": p.type, "status": p.status} for p in problems
            ],
            "trade": [
                ("供货给", "客户", self._names(ent.supplies)),
                ("供应商", "向其供货的企业", self._names(ent.supplied_by)),
                ("投资", "对外投资的企业", self._names(ent.invests)),
                ("投资方", "投资它的企业", self._names(self._investors(ent.id))),
            ],
        }

    def _investors(self, ent_id: str) -> set[str]:
        return {e.id for e in self.snap.enterprises.values() if ent_id in e.invests}

    def _names(self, ids: set[str]) -> list[dict[str, Any]]:
        found = [self.snap.enterprises[i] for i in ids if i in self.snap.enterprises]
        found.sort(key=lambda e: (-(e.revenue or 0.0), e.name))
        return [
            {"id": e.id, "name": e.name, "revenue": e.revenue, "region": place_text(e.region)}
            for e in found
        ]

    # --- 环节 ---------------------------------------------------------------------------

    def _link(self, detail: NodeDetail) -> dict[str, Any]:
        link = self.snap.links.get(detail.id)
        if link is None:
            return {}
        statuses = self.statuses(link.chain, None)
        here = statuses.get(link.id, {})
        candidates: dict[str, Any] = self.snapshots.plain(
            answer_key(recruit, link.chain, None, PAGE_RECRUITS, link.id),
            lambda s: recruit(s, link.chain, self.params, link=link.id, top=PAGE_RECRUITS),
        )

        def brief(ids: list[str]) -> list[dict[str, Any]]:
            return [
                {"id": i, "name": self.snap.links[i].name, "status": statuses[i]["status"]}
                for i in ids
                if i in statuses
            ]

        return {
            "chain": self.snap.chains[link.chain].name,
            "chain_id": link.chain,
            "status": here,
            "restriction": link.restriction,
            "parent": brief([link.parent] if link.parent else []),
            "children": brief(link.children),
            "upstream": brief(link.upstream),
            "downstream": brief(link.downstream),
            "candidates": candidates["items"],
            "nearby": candidates.get("nearby", []),
        }

    # --- 园区、地区 -------------------------------------------------------------------------

    def _focus(self, parks: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The chains the parks name as 首位 or 主导产业 (首位 wins when parks differ), each
        with the parks that name it."""
        chosen: dict[str, tuple[str, str, list[str]]] = {}
        for park_id in parks:
            park = self.snap.places[park_id].name
            for rel in self.store.relationships(park_id):
                if rel.type != "FOCUSES_ON" or rel.direction != "out":
                    continue
                priority = rel.props.get("priority") or "主导"
                old = chosen.get(rel.other_id)
                names = [*(old[2] if old else []), park]
                best = "首位" if priority == "首位" or (old and old[1] == "首位") else "主导"
                chosen[rel.other_id] = (rel.other_name, best, names)
        out: dict[str, list[dict[str, Any]]] = {"首位": [], "主导": []}
        for chain_id, (name, priority, names) in sorted(chosen.items(), key=lambda c: c[1][0]):
            out[priority].append({"id": chain_id, "name": name, "parks": names})
        return out

    def _place(self, detail: NodeDetail) -> dict[str, Any]:
        place = self.snap.places.get(detail.id)
        if place is None:
            return {}
        within = {
            p.id
            for p in self.snap.places.values()
            if p.label == "Park" and (p.id == place.id or place.id in _ancestors(self.snap, p.id))
        }
        focus = self._focus(sorted(within))
        parks = [self.snap.places[p] for p in within if p != place.id]
        parks.sort(key=lambda p: p.name)
        local = [e for e in self.snap.enterprises.values() if e.local and place.id in e.places]
        local.sort(key=lambda e: (-(e.revenue or 0.0), e.name))
        try:
            overview = self.overview(place.id)
        except ChainKGError:  # a place no diagnosis can be scoped to (outside the province)
            overview = []
        return {
            "focus": focus,
            "parks": [{"id": p.id, "name": p.name} for p in parks],
            "chains": [c for c in overview if c["links"]],
            "enterprises": [{"id": e.id, "name": e.name, "revenue": e.revenue} for e in local[:20]],
            "enterprise_count": len(local),
        }


def _ancestors(snap: Snapshot, place_id: str) -> set[str]:
    out: set[str] = set()
    todo = list(snap.places[place_id].parents) if place_id in snap.places else []
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo.extend(snap.places[current].parents if current in snap.places else ())
    return out
