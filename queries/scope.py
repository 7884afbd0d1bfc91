"""What the officer typed → the chain, region or link of the snapshot it means.

A miss is a `NotFoundError` in Chinese with the nearest names as suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from graph_schema.definitions import INDUSTRIES
from graph_schema.errors import NotFoundError
from graph_schema.identity import clean_text, normalise_name
from graph_schema.official_order import chain_order
from queries.snapshot import (
    ChainInfo,
    EnterpriseInfo,
    LinkInfo,
    ProjectInfo,
    Snapshot,
    find_place,
)


@dataclass(frozen=True)
class Scope:
    """The region an analysis is about: nothing (the province), a 市 or 县, or a park."""

    id: str | None = None
    name: str | None = None
    label: str | None = None  # Region or Park
    level: str | None = None

    def holds(self, places: frozenset[str]) -> bool:
        return self.id is None or self.id in places

    @property
    def zh(self) -> str:
        return self.name or "全省"


PROVINCE = Scope()


def find_chain(snap: Snapshot, text: str) -> ChainInfo:
    wanted = clean_text(text)
    for key in (wanted, f"chain:{wanted}"):
        if key in snap.chains:
            return snap.chains[key]
    by_name = {c.name: c for c in snap.chains.values()}
    if wanted in by_name:
        return by_name[wanted]
    for name, (_, aliases) in INDUSTRIES.items():
        if wanted in aliases and name in by_name:
            return by_name[name]
    starts = [c for c in snap.chains.values() if c.name.startswith(wanted) and wanted]
    if len(starts) == 1:
        return starts[0]
    ordered = sorted(by_name.values(), key=lambda c: chain_order(c.name, c.industry))
    raise _not_found("产业链", wanted, [c.name for c in ordered], list_all=True)


def find_scope(snap: Snapshot, text: str | None) -> Scope:
    """None or the province → the whole province; else a Region or Park, unambiguously."""
    if text is None or not clean_text(text):
        return PROVINCE
    wanted = clean_text(text)
    found = find_place(snap, wanted)
    if len(found) > 1:
        listing = "、".join(f"{p.name}（{p.id}）" for p in found[:8])
        raise NotFoundError(
            f"地区“{wanted}”对应多个地区或园区：{listing}。请改用完整路径或标识",
            [p.id for p in found],
        )
    if not found:
        raise _not_found("地区或园区", wanted, {p.name: p for p in snap.places.values()})
    place = found[0]
    if place.label == "Region" and not place.parents and place.level == "省":
        return Scope(None, place.name, "Region", "省")
    return Scope(place.id, place.name, place.label, place.level)


def find_link(snap: Snapshot, chain: ChainInfo, text: str) -> LinkInfo:
    wanted = clean_text(text)
    links = [snap.links[link_id] for link_id in chain.links]
    for link in links:
        if wanted in (link.id, link.name):
            return link
    raise _not_found(
        f"{chain.name}产业链的环节", wanted, [link.name for link in links], list_all=True
    )


LISTED_WHEN_NOTHING_CLOSE = 12  # a short list (chains, a chain's links) is offered whole


def _not_found(
    kind: str, wanted: str, names: Iterable[str], list_all: bool = False
) -> NotFoundError:
    """The miss, in Chinese, with the nearest names; the CLI prints the message and the API
    returns the names as `suggestions`. With `list_all`, a short list with nothing close is
    offered whole (at most LISTED_WHEN_NOTHING_CLOSE names, in the order given).

    >>> str(_not_found("产业链", "锂电x", ["锂电新能源", "铜"]))
    '找不到产业链“锂电x”。是否为：锂电新能源？'
    >>> str(_not_found("产业链", "火星", ["锂电新能源", "铜"], list_all=True))
    '找不到产业链“火星”。可选：锂电新能源、铜'
    """
    pool = list(dict.fromkeys(names))
    close = difflib.get_close_matches(wanted, pool, n=3, cutoff=0.25)
    close += [n for n in pool if wanted and wanted in n and n not in close][: 3 - len(close)]
    if close:
        return NotFoundError(f"找不到{kind}“{wanted}”。是否为：{'、'.join(close)}？", close)
    if list_all and pool:
        offered = pool[:LISTED_WHEN_NOTHING_CLOSE]
        more = f"等{len(pool)}个" if len(pool) > len(offered) else ""
        return NotFoundError(f"找不到{kind}“{wanted}”。可选：{'、'.join(offered)}{more}", offered)
    return NotFoundError(f"找不到{kind}“{wanted}”。", [])


def find_enterprise_or_project(snap: Snapshot, text: str) -> EnterpriseInfo | ProjectInfo:
    """An enterprise by id, name or normalised name (江西赣锋锂业 = 赣锋锂业集团股份有限公司's
    key), else a project by id or name."""
    wanted = clean_text(text)
    if wanted in snap.enterprises:
        return snap.enterprises[wanted]
    if wanted in snap.projects:
        return snap.projects[wanted]
    stored = snap.enterprise(wanted) if wanted.startswith("ent:") else None
    if stored is not None:  # an outside firm of the pool, by id
        return stored
    key = normalise_name(wanted)
    by_name, by_key = snap.enterprise_names()
    ents = list(by_name.get(wanted, ()))
    if not ents:  # then the outside pool, which stays in the store
        exact, keyed = snap.stored_enterprises(wanted, key)
        ents = exact or sorted([*by_key.get(key, ()), *keyed], key=lambda e: e.id)
    ents = ents or [e for e in snap.enterprises.values() if key and e.name.startswith(key)]
    ents = ents or [e for e in snap.enterprises.values() if len(key) >= 2 and key in e.name]
    if len(ents) == 1:
        return ents[0]
    projects = [p for p in snap.projects.values() if p.name == wanted]
    if len(projects) == 1 and not ents:
        return projects[0]
    found = ents + projects
    if found:
        listing = "、".join(f"{f.name}（{f.id}）" for f in found[:8])
        raise NotFoundError(
            f"“{wanted}”对应多个企业或项目：{listing}。请改用标识", [f.id for f in found]
        )
    names = [e.name for e in snap.enterprises.values()] + [p.name for p in snap.projects.values()]
    raise _not_found("企业或项目", wanted, [n for n in names if key and key[:2] in n])
