"""Who should lead the approach to a target (省市联动): a 市 and a 园区, with alternatives.

A host candidate is a park whose 首位 or 主导 industry is the chain (FOCUSES_ON), inside the
scope of the question. Its score adds up, with the weights of `ProvinceParams`:

- focus: 首位产业 1, 主导产业 0.6;
- upstream: a link directly upstream of the target link is present in the park's 市;
- downstream: a link directly downstream is present in the park's 市;
- partner: the target already supplies, buys from or invests in a local enterprise there.

When no park in scope has the chain as its industry, the 市 holding the neighbouring links
are the candidates. One host per target; the others are alternatives, one per 市, each with
what it lacks against the host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from queries.diagnosis import ChainDiagnosis
from queries.province.models import Host
from queries.province.params import ProvinceParams
from queries.scope import Scope
from queries.snapshot import EnterpriseInfo, Snapshot
from store.base import GraphStore

FOCUS_POINTS = {"首位": 1.0, "主导": 0.6}


def focus_of(store: GraphStore) -> dict[str, list[tuple[str, str]]]:
    """Chain id → [(park id, 首位|主导)], from the 区域分布图's FOCUSES_ON."""
    out: dict[str, list[tuple[str, str]]] = {}
    for edge in store.iter_edges("FOCUSES_ON"):
        out.setdefault(edge.dst, []).append((edge.src, str(edge.props.get("priority") or "主导")))
    for parks in out.values():
        parks.sort()
    return out


@dataclass
class _Option:
    city: str | None
    park: str | None
    priority: str | None
    upstream: list[str]
    downstream: list[str]
    partners: list[str]
    score: float


class Hosts:
    """Host suggestions for one target list (one snapshot, one scope)."""

    def __init__(
        self,
        snap: Snapshot,
        scope: Scope,
        pparams: ProvinceParams,
        focus: dict[str, list[tuple[str, str]]],
        bases: dict[str, ChainDiagnosis],
    ) -> None:
        self.snap, self.scope, self.p, self.focus, self.bases = snap, scope, pparams, focus, bases
        self._present: dict[tuple[str, str], frozenset[str]] = {}
        self._above: dict[str, frozenset[str]] = {}

    def above(self, place_id: str) -> frozenset[str]:
        """The place and every place it is in."""
        found = self._above.get(place_id)
        if found is None:
            out, todo = set(), [place_id]
            while todo:
                current = todo.pop()
                if current not in out:
                    out.add(current)
                    info = self.snap.places.get(current)
                    todo.extend(info.parents if info else ())
            found = self._above[place_id] = frozenset(out)
        return found

    def city_of(self, place_id: str) -> str | None:
        for pid in sorted(self.above(place_id)):
            info = self.snap.places.get(pid)
            if info is not None and info.label == "Region" and info.level == "市":
                return pid
        return None

    def present_in(self, chain_id: str, link_id: str) -> frozenset[str]:
        """The places where the link is present (local firms or 投产 projects)."""
        key = (chain_id, link_id)
        found = self._present.get(key)
        if found is None:
            here = self.bases[chain_id].found[link_id]
            places: set[str] = set()
            for ent in here.enterprises:
                places |= ent.places
            for proj in here.projects:
                places |= proj.places
            found = self._present[key] = frozenset(places)
        return found

    def _neighbours(self, link_id: str, direction: str) -> list[str]:
        """Links directly up- or downstream; a sub-link without its own takes its parent's."""
        link = self.snap.links.get(link_id)
        while link is not None:
            found = link.upstream if direction == "up" else link.downstream
            if found:
                return list(found)
            link = self.snap.links.get(link.parent) if link.parent else None
        return []

    def _options(self, ent: EnterpriseInfo, chain_id: str, link_id: str) -> list[_Option]:
        up = self._neighbours(link_id, "up")
        down = self._neighbours(link_id, "down")
        partners = [
            self.snap.enterprises[e]
            for e in sorted(ent.supplies | ent.supplied_by | ent.invests)
            if e in self.snap.enterprises and self.snap.enterprises[e].local
        ]
        parks = [
            (park, priority)
            for park, priority in self.focus.get(chain_id, [])
            if park in self.snap.places and self.scope.holds(self.above(park))
        ]
        if parks:
            places: Iterable[tuple[str | None, str | None, str | None]] = (
                (self.city_of(park), park, priority) for park, priority in parks
            )
        else:
            cities = {
                c
                for n in (*up, *down)
                if n in self.bases[chain_id].found
                for place in self.present_in(chain_id, n)
                if (c := self.city_of(place)) is not None and self.scope.holds(self.above(c))
            }
            places = ((city, None, None) for city in sorted(cities))
        out = []
        for city, park, priority in places:
            where = city or park
            if where is None:
                continue
            ups = [
                n
                for n in up
                if n in self.bases[chain_id].found and where in self.present_in(chain_id, n)
            ]
            downs = [
                n
                for n in down
                if n in self.bases[chain_id].found and where in self.present_in(chain_id, n)
            ]
            near = [e.name for e in partners if where in e.places]
            score = (
                self.p.host_weight_focus * FOCUS_POINTS.get(priority or "", 0.0)
                + self.p.host_weight_upstream * bool(ups)
                + self.p.host_weight_downstream * bool(downs)
                + self.p.host_weight_partner * bool(near)
            )
            out.append(_Option(city, park, priority, ups, downs, near, round(score, 4)))
        if not out and self.scope.id is not None:  # the region asked about hosts it itself
            park = self.scope.id if self.scope.label == "Park" else None
            city = self.city_of(self.scope.id) or (None if park else self.scope.id)
            where = city or park or self.scope.id
            found = self.bases[chain_id].found
            ups = [n for n in up if n in found and where in self.present_in(chain_id, n)]
            downs = [n for n in down if n in found and where in self.present_in(chain_id, n)]
            near = [e.name for e in partners if where in e.places]
            score = (
                self.p.host_weight_upstream * bool(ups)
                + self.p.host_weight_downstream * bool(downs)
                + self.p.host_weight_partner * bool(near)
            )
            out.append(_Option(city, park, None, ups, downs, near, round(score, 4)))
        out.sort(key=lambda o: (-o.score, o.priority != "首位", o.city or "", o.park or ""))
        return out

    def suggest(
        self, ent: EnterpriseInfo, chain_id: str, link_id: str
    ) -> tuple[Host | None, list[Host]]:
        """The host and the alternatives (other 市 only) for one target link."""
        options = self._options(ent, chain_id, link_id)
        if not options:
            return None, []
        best = options[0]
        host = self._json(best, chain_id, link_id, self._reasons(best, chain_id))
        alternatives: list[Host] = []
        cities = {best.city}
        for other in options[1:]:
            if other.city in cities or len(alternatives) >= self.p.host_alternatives:
                continue
            cities.add(other.city)
            reasons = [*self._reasons(other, chain_id), self._behind(best, other)]
            alternatives.append(self._json(other, chain_id, link_id, reasons))
        return host, alternatives

    def _name(self, place_id: str | None) -> str | None:
        if place_id is None:
            return None
        info = self.snap.places.get(place_id)
        return info.name if info is not None else place_id

    def _json(self, o: _Option, chain_id: str, link_id: str, reasons: list[str]) -> Host:
        return Host(
            region=self._name(o.city),
            park=self._name(o.park),
            score=o.score,
            chain=self.snap.chains[chain_id].name,
            link=self.snap.links[link_id].name,
            reasons=reasons,
        )

    def _reasons(self, o: _Option, chain_id: str) -> list[str]:
        chain = self.snap.chains[chain_id].name
        where = self._name(o.city) or self._name(o.park) or ""
        out = []
        if o.park is not None and o.priority:
            out.append(f"{self._name(o.park)}以{chain}为{o.priority}产业")
        elif not o.priority:
            out.append(f"{where}没有以{chain}为首位或主导产业的园区，由{where}统筹承接")
        names = self.snap.links
        if o.upstream:
            out.append(
                f"上游环节{'、'.join(names[x].name for x in o.upstream)}在{where}已有本地配套"
            )
        if o.downstream:
            out.append(
                f"下游环节{'、'.join(names[x].name for x in o.downstream)}在{where}已有本地配套"
            )
        if o.partners:
            out.append(f"在{where}已有合作企业：{'、'.join(o.partners[:3])}")
        if not (o.upstream or o.downstream):
            out.append(f"{where}尚无该环节的上下游配套")
        return out

    def _behind(self, best: _Option, other: _Option) -> str:
        lacks = []
        if FOCUS_POINTS.get(other.priority or "", 0) < FOCUS_POINTS.get(best.priority or "", 0):
            lacks.append(f"该产业为其{other.priority or '非重点'}产业")
        if best.upstream and not other.upstream:
            lacks.append("缺上游配套")
        if best.downstream and not other.downstream:
            lacks.append("缺下游配套")
        if best.partners and not other.partners:
            lacks.append("无已有合作企业")
        host = self._name(best.park) or self._name(best.city)
        detail = "，".join(lacks) if lacks else "条件相当，按名称次序"
        if other.score == best.score:
            head = f"备选：得分{other.score}与{host}相同（{detail}），按首位产业与名称次序排后"
        else:
            head = f"备选：得分{other.score}低于{host}的{best.score}（{detail}）"
        return head + "；不另行分派，以免两地同时对接同一企业"
