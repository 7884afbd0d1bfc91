"""五清单 as views: the enterprises, projects, clusters, policies and problems of the graph,
each row in its template sheet's columns (the keys of `loaders.sheets`), with
filters, sorting and paging.

The rows are read from the store once per store version (`list_book`) into plain dicts whose
keys are the sheet's column keys, so that an exported list is a sheet `chainkg load` reads back
unchanged. Filtering walks only the rows of the chosen chain (an index per chain), then tests
the region against each row's places (closed upward: a 县's firm is also in its 市).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_schema.errors import InputError
from graph_schema.identity import clean_text
from queries.list_models import (
    ClusterItem,
    EnterpriseItem,
    ListAnswer,
    ListItem,
    PolicyItem,
    ProblemItem,
    ProjectItem,
)
from queries.memory import PerStore, frozen_build
from queries.scope import find_chain, find_link, find_scope
from queries.snapshot import Snapshot, _PlaceClosure
from queries.wording import DEMO_SOURCE
from store.base import GraphStore

__all__ = [
    "LISTS",
    "Cell",
    "FigureRow",
    "ListBook",
    "ListQuery",
    "ListRow",
    "ListSpec",
    "find_list",
    "list_book",
    "query_list",
    "select_rows",
    "source_of",
]


@dataclass(frozen=True)
class ListSpec:
    """A list: its template sheet's key and name, and its column keys in the template's
    order, then `source` (数据来源). tests/queries/test_lists.py checks them against
    loaders.sheets, which the app uses for headers."""

    key: str
    zh: str
    columns: tuple[str, ...]


LISTS: dict[str, ListSpec] = {
    spec.key: spec
    for spec in (
        ListSpec(
            "enterprises",
            "企业清单",
            (
                "name", "credit_code", "aliases", "chain", "links", "local", "region", "park",
                "revenue", "tags", "products", "customers", "investees", "link_figures", "source",
            ),
        ),
        ListSpec(
            "projects",
            "项目清单",
            (
                "name", "investor", "chain", "links", "amount", "stage", "region", "park",
                "is_5020", "year", "source",
            ),
        ),
        ListSpec(
            "clusters",
            "集群清单",
            ("name", "level", "chain", "region", "revenue", "leaders", "members", "source"),
        ),
        ListSpec(
            "policies",
            "政策清单",
            ("name", "doc_number", "issuer", "date", "chains", "links", "summary", "source"),
        ),
        ListSpec(
            "problems",
            "问题清单",
            ("description", "type", "chain", "links", "enterprises", "status", "owner", "source"),
        ),
    )
}  # fmt: skip
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Which filters each list takes, beyond the free-text `q` and sorting and paging.
FILTERS: dict[str, tuple[str, ...]] = {
    "enterprises": ("chain", "link", "region", "local", "tags"),
    "projects": ("chain", "link", "region", "stage", "is_5020", "year", "amount_min", "amount_max"),
    "clusters": ("chain", "region", "level"),
    "policies": ("chain", "link", "issuer", "year"),
    "problems": ("chain", "link", "region", "type", "status"),
}
FILTER_ZH = {
    "chain": "产业链",
    "link": "环节",
    "region": "地区或园区",
    "local": "是否省内",
    "tags": "企业标签",
    "stage": "项目阶段",
    "is_5020": "是否5020项目",
    "year": "年份",
    "amount_min": "总投资下限(亿元)",
    "amount_max": "总投资上限(亿元)",
    "level": "级别",
    "issuer": "发布单位",
    "type": "问题类型",
    "status": "状态",
}


def find_list(text: str) -> ListSpec:
    """A list by its key (enterprises) or its Chinese sheet name (企业清单)."""
    wanted = clean_text(text)
    for sheet in LISTS.values():
        if wanted in (sheet.key, sheet.zh, sheet.zh.removesuffix("清单")):
            return sheet
    names = "、".join(f"{s.zh}（{s.key}）" for s in LISTS.values())
    raise InputError(f"没有名为“{wanted}”的清单；可选：{names}")


# A cell of a list row as the sheet holds it (a 、-separated cell is a list of texts).
Cell = str | int | float | bool | list[str] | None
# The typed row of each list, by list key: what an answer carries.
ITEMS: dict[str, type[ListItem]] = {
    "enterprises": EnterpriseItem,
    "projects": ProjectItem,
    "clusters": ClusterItem,
    "policies": PolicyItem,
    "problems": ProblemItem,
}


@dataclass(slots=True)
class ListRow:
    """One row: `values`, the sheet's cells by column key (answers turn them into the list's
    typed row, `ITEMS`); what filters test (chains, links, places) apart."""

    id: str
    values: dict[str, Cell]
    chains: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A 技术路线图 technology or an 应用领域图 application field: its chain (stated, or that of
    its first link) and the ids of the links it enables or is applied in."""

    id: str
    name: str
    chain: str | None
    links: tuple[str, ...]
    sources: tuple[str, ...] = ()
    maturity: str | None = None
    bottleneck: bool = False
    lead: str | None = None


@dataclass
class ListBook:
    """The five lists of one store version, each indexed by chain."""

    version: int
    rows: dict[str, list[ListRow]] = field(default_factory=dict)
    by_chain: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    technologies: list[FigureRow] = field(default_factory=list)
    applications: list[FigureRow] = field(default_factory=list)


def source_of(sources: Iterable[str] | None) -> str | None:
    """The 数据来源 a row declared (not the file#sheet origins the loader adds)."""
    return next((s for s in sources or () if "#" not in s), None)


BOOKS: PerStore[ListBook] = PerStore()


def list_book(store: GraphStore, snap: Snapshot) -> ListBook:
    """The lists of the store's current version, read once and then reused."""
    cached = BOOKS.get(store, snap.version)
    if cached is not None:
        return cached
    built = build_book(store, snap)
    BOOKS.put(store, built)
    return built


def build_book(store: GraphStore, snap: Snapshot) -> ListBook:
    """Read the lists under the memory policy of `queries.memory` (like the snapshot), so
    that later work (a workbook of 11 000 rows) does not pay for full collections walking a
    million rows."""
    with frozen_build():
        return _build_book(store, snap)


def _build_book(store: GraphStore, snap: Snapshot) -> ListBook:
    names: dict[str, str] = {}
    chain_of_link = {link.id: link.chain for link in snap.links.values()}
    for link in snap.links.values():
        names[link.id] = link.name
    for chain in snap.chains.values():
        names[chain.id] = chain.name
    for place in snap.places.values():
        names[place.id] = place.name
    for ent in snap.enterprises.values():
        names[ent.id] = ent.name
    out: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for rel in ("IN_LINK", "SUPPLIES", "INVESTS_IN", "BY", "FILLS", "LOCATED_IN", "IN_CHAIN"):
        for edge in store.iter_edges(rel):
            out[rel][edge.src].append((edge.dst, edge.props))
    members: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for edge in store.iter_edges("MEMBER_OF"):
        members[edge.dst].append((edge.src, edge.props))
    for rel in ("SUPPORTS", "AFFECTS", "ENABLES"):
        for edge in store.iter_edges(rel):
            out[rel][edge.src].append((edge.dst, edge.props))
    closure = _PlaceClosure(snap.places)
    book = ListBook(snap.version)
    reader = _Reader(snap, names, chain_of_link, out, members, closure)
    book.rows = {
        "enterprises": [
            reader.enterprise(n.id, n.name, n.props) for n in _nodes(store, "Enterprise")
        ],
        "projects": [reader.project(n.id, n.name, n.props) for n in _nodes(store, "Project")],
        "clusters": [reader.cluster(n.id, n.name, n.props) for n in _nodes(store, "Cluster")],
        "policies": [reader.policy(n.id, n.name, n.props) for n in _nodes(store, "Policy")],
        "problems": [reader.problem(n.id, n.name, n.props) for n in _nodes(store, "Problem")],
    }
    _sort_defaults(book)
    for node in store.iter_nodes("Technology"):
        links = [d for d, _ in out["ENABLES"].get(node.id, ()) if d in chain_of_link]
        book.technologies.append(_figure_row(node, links, chain_of_link))
    applied: dict[str, list[str]] = defaultdict(list)
    for edge in store.iter_edges("APPLIED_IN"):
        if edge.src in chain_of_link:
            applied[edge.dst].append(edge.src)
    for node in store.iter_nodes("Application"):
        book.applications.append(_figure_row(node, applied.get(node.id, []), chain_of_link))
    for key, rows in book.rows.items():
        index: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            for chain_id in row.chains:
                index[chain_id].append(i)
        book.by_chain[key] = dict(index)
    return book


def _figure_row(node: Any, links: list[str], chain_of_link: Mapping[str, str]) -> FigureRow:
    props = node.props
    chain = props.get("chain") or next((chain_of_link[x] for x in links), None)
    lead = props.get("lead")
    return FigureRow(
        id=node.id,
        name=node.name,
        chain=chain,
        links=tuple(links),
        sources=tuple(str(s) for s in props.get("sources") or ()),
        maturity=props.get("maturity") or None,
        bottleneck=bool(props.get("bottleneck")),
        lead=str(lead) if lead is not None else None,
    )


def _sort_defaults(book: ListBook) -> None:
    """Rows in the order officers read them: local firms first and largest first; projects
    largest first; the rest by name."""
    rows = book.rows
    rows["enterprises"].sort(key=lambda r: (not r.values["local"], -_figure_of(r, "revenue")))
    rows["projects"].sort(key=lambda r: -_figure_of(r, "amount"))
    for key in ("clusters", "policies"):
        rows[key].sort(key=lambda r: str(r.values["name"]))


def _figure_of(row: ListRow, key: str) -> float:
    """A money cell as a number (0 when empty)."""
    value = row.values.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def _nodes(store: GraphStore, label: str) -> list[Any]:
    return list(store.iter_nodes(label))


class _Reader:
    def __init__(
        self,
        snap: Snapshot,
        names: dict[str, str],
        chain_of_link: dict[str, str],
        out: Mapping[str, Mapping[str, list[tuple[str, dict[str, Any]]]]],
        members: Mapping[str, list[tuple[str, dict[str, Any]]]],
        closure: _PlaceClosure,
    ) -> None:
        self.snap, self.names, self.chain_of_link = snap, names, chain_of_link
        self.out, self.members, self.closure = out, members, closure
        self.home = _home_province(snap)

    def _region(self, path: str | None) -> str | None:
        if not path:
            return None
        head, _, rest = path.partition("/")
        return rest if rest and head == self.home else path

    def _park(self, node_id: str, props: Mapping[str, Any]) -> str | None:
        park = props.get("park")
        if park:
            return str(park)
        parks = [d for d, _ in self.out["LOCATED_IN"].get(node_id, ()) if d.startswith("park:")]
        return self.names.get(parks[0]) if parks else None

    def _places(self, node_id: str) -> frozenset[str]:
        return self.closure.of(d for d, _ in self.out["LOCATED_IN"].get(node_id, ()))

    def _links(self, node_id: str, rel: str) -> list[str]:
        return [d for d, _ in self.out[rel].get(node_id, ()) if d in self.chain_of_link]

    def _chains_of(self, links: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(self.chain_of_link[link] for link in links))

    def _names(self, ids: Iterable[str]) -> list[str]:
        return [self.names.get(i, i) for i in ids]

    def enterprise(self, node_id: str, name: str, p: Mapping[str, Any]) -> ListRow:
        in_link = [
            (d, props)
            for d, props in self.out["IN_LINK"].get(node_id, ())
            if d in self.chain_of_link
        ]
        links = [d for d, _ in in_link]
        chains = self._chains_of(links)
        info = self.snap.enterprises.get(node_id)
        values: dict[str, Cell] = {
            "name": name,
            "credit_code": p.get("credit_code"),
            "aliases": list(p.get("aliases") or []),
            "chain": self._names(chains),
            "links": self._names(links),
            "local": bool(p.get("local")),
            "region": self._region(p.get("region")),
            "park": self._park(node_id, p),
            "revenue": p.get("revenue"),
            "tags": list(p.get("tags") or []),
            "products": list(p.get("products") or []),
            "customers": self._names(d for d, _ in self.out["SUPPLIES"].get(node_id, ())),
            "investees": self._names(d for d, _ in self.out["INVESTS_IN"].get(node_id, ())),
            "link_figures": [
                text for d, f in in_link if (text := _figure(self.names[d], f)) is not None
            ],
            "source": source_of(p.get("sources")),
        }
        places = info.places if info is not None else self._places(node_id)
        return ListRow(node_id, values, frozenset(chains), frozenset(links), places)

    def project(self, node_id: str, name: str, p: Mapping[str, Any]) -> ListRow:
        links = self._links(node_id, "FILLS")
        chain = p.get("chain")
        chains = [chain] if chain else self._chains_of(links)
        investors = [d for d, _ in self.out["BY"].get(node_id, ())]
        values: dict[str, Cell] = {
            "name": name,
            "investor": self.names.get(investors[0]) if investors else None,
            "chain": self.names.get(chain) if chain else None,
            "links": self._names(links),
            "amount": p.get("amount"),
            "stage": p.get("stage_raw") or p.get("stage"),
            "region": self._region(p.get("region")),
            "park": self._park(node_id, p),
            "is_5020": p.get("is_5020"),
            "year": p.get("year"),
            "source": source_of(p.get("sources")),
        }
        info = self.snap.projects.get(node_id)
        places = info.places if info is not None else self._places(node_id)
        return ListRow(node_id, values, frozenset(c for c in chains if c), frozenset(links), places)

    def cluster(self, node_id: str, name: str, p: Mapping[str, Any]) -> ListRow:
        chains = [d for d, _ in self.out["IN_CHAIN"].get(node_id, ())]
        role = self.members.get(node_id, [])
        values: dict[str, Cell] = {
            "name": name,
            "level": p.get("level"),
            "chain": self.names.get(chains[0]) if chains else None,
            "region": self._region(p.get("region")),
            "revenue": p.get("revenue"),
            "leaders": self._names(e for e, r in role if r.get("role") == "龙头"),
            "members": self._names(e for e, r in role if r.get("role") != "龙头"),
            "source": source_of(p.get("sources")),
        }
        return ListRow(node_id, values, frozenset(chains), frozenset(), self._places(node_id))

    def policy(self, node_id: str, name: str, p: Mapping[str, Any]) -> ListRow:
        targets = [d for d, _ in self.out["SUPPORTS"].get(node_id, ())]
        chains = [d for d in targets if d in self.snap.chains]
        links = [d for d in targets if d in self.chain_of_link]
        values: dict[str, Cell] = {
            "name": name,
            "doc_number": p.get("doc_number"),
            "issuer": p.get("issuer"),
            "date": p.get("date"),
            "chains": self._names(chains),
            "links": self._names(links),
            "summary": p.get("summary"),
            "source": source_of(p.get("sources")),
        }
        every = list(dict.fromkeys([*chains, *self._chains_of(links)]))
        return ListRow(node_id, values, frozenset(every), frozenset(links))

    def problem(self, node_id: str, name: str, p: Mapping[str, Any]) -> ListRow:
        targets = [d for d, _ in self.out["AFFECTS"].get(node_id, ())]
        links = [d for d in targets if d in self.chain_of_link]
        firms = [d for d in targets if d in self.snap.enterprises]
        chain = p.get("chain")
        values: dict[str, Cell] = {
            "description": name,
            "type": p.get("type"),
            "chain": self.names.get(chain) if chain else None,
            "links": self._names(links),
            "enterprises": self._names(firms),
            "status": p.get("status"),
            "owner": p.get("owner"),
            "source": source_of(p.get("sources")),
        }
        places: set[str] = set()
        for firm in firms:
            places |= self.snap.enterprises[firm].places
        chains = [chain] if chain else self._chains_of(links)
        return ListRow(node_id, values, frozenset(chains), frozenset(links), frozenset(places))


def _figure(link: str, props: Mapping[str, Any]) -> str | None:
    """An IN_LINK figure as the 分环节营收 cell writes it: 电解液:15% or 正极材料:120."""
    if props.get("share") is not None:
        return f"{link}:{_number(float(props['share']) * 100)}%"
    if props.get("revenue") is not None:
        return f"{link}:{_number(float(props['revenue']))}"
    return None


def _number(value: float) -> str:
    """>>> _number(15.0), _number(0.125), _number(120)
    ('15', '0.125', '120')"""
    text = f"{round(value, 6):f}".rstrip("0").rstrip(".")
    return text or "0"


def _home_province(snap: Snapshot) -> str | None:
    """The province the local regions sit in (the root of the local firms' places)."""
    for ent in snap.enterprises.values():
        if ent.local:
            for place_id in ent.places:
                place = snap.places.get(place_id)
                if place is not None and place.level == "省" and not place.parents:
                    return place.name
    for place in snap.places.values():
        if place.level == "省" and not place.parents and place.label == "Region":
            return place.name
    return None


@dataclass(frozen=True)
class ListQuery:
    """What a list page or `GET /api/v1/lists/{list}` asks for."""

    filters: Mapping[str, str] = field(default_factory=dict)
    q: str | None = None
    sort: str | None = None
    page: int = 1
    size: int = PAGE_SIZE

    def key(self) -> tuple[Any, ...]:
        return (tuple(sorted(self.filters.items())), self.q, self.sort, self.page, self.size)


def query_list(
    book: ListBook, snap: Snapshot, sheet: ListSpec, query: ListQuery, *, paged: bool = True
) -> ListAnswer:
    """The rows of `sheet` that pass the query's filters, sorted, on the query's page (or all
    of them when not `paged`)."""
    chosen = select_rows(book, snap, sheet, query)
    total = len(chosen)
    demo = sum(1 for r in chosen if r.values.get("source") == DEMO_SOURCE)
    if paged:
        start = (max(query.page, 1) - 1) * query.size
        chosen = chosen[start : start + query.size]
    item = ITEMS[sheet.key]
    return ListAnswer(
        list=sheet.key,
        sheet=sheet.zh,
        total=total,
        demo_rows=demo,
        page=query.page if paged else 1,
        size=query.size if paged else total,
        items=[item.model_validate(r.values) for r in chosen],
    )


def select_rows(book: ListBook, snap: Snapshot, sheet: ListSpec, query: ListQuery) -> list[ListRow]:
    """Every row of `sheet` that passes the query's filters and text, sorted as asked."""
    allowed = FILTERS[sheet.key]
    unknown = [k for k in query.filters if k not in allowed]
    if unknown:
        names = "、".join(f"{k}（{FILTER_ZH[k]}）" for k in allowed)
        raise InputError(f"{sheet.zh}不支持筛选条件 {'、'.join(unknown)}；可用：{names}")
    rows = _candidates(book, snap, sheet, query.filters)
    tests = _tests(snap, sheet, query.filters)
    if query.q:
        text = clean_text(query.q)
        first = sheet.columns[0]
        tests.append(lambda r: text in str(r.values.get(first) or ""))
    chosen = [r for r in rows if all(t(r) for t in tests)] if tests else list(rows)
    if query.sort:
        chosen = _sorted(sheet, chosen, query.sort)
    return chosen


def _candidates(
    book: ListBook, snap: Snapshot, sheet: ListSpec, filters: Mapping[str, str]
) -> list[ListRow]:
    rows = book.rows[sheet.key]
    if filters.get("chain"):
        chain = find_chain(snap, filters["chain"])
        return [rows[i] for i in book.by_chain[sheet.key].get(chain.id, ())]
    return rows


def _tests(snap: Snapshot, sheet: ListSpec, f: Mapping[str, str]) -> list[Any]:
    tests: list[Any] = []
    if f.get("link"):
        wanted = _link_ids(snap, f.get("chain"), f["link"])
        tests.append(lambda r: not wanted.isdisjoint(r.links))
    if f.get("region"):
        scope = find_scope(snap, f["region"])
        if scope.id is not None:
            place = scope.id
            tests.append(lambda r: place in r.places)
    if f.get("local"):
        local = _yes_no("local", f["local"])
        tests.append(lambda r: r.values.get("local") is local)
    if f.get("tags"):
        tags = {t for t in _split(f["tags"])}
        tests.append(lambda r: tags <= set(r.values.get("tags") or ()))
    if f.get("stage"):
        stages = set(_split(f["stage"]))
        tests.append(lambda r: r.values.get("stage") in stages)
    if f.get("is_5020"):
        flag = _yes_no("is_5020", f["is_5020"])
        tests.append(lambda r: bool(r.values.get("is_5020")) is flag)
    if f.get("year"):
        year = _number_arg("year", f["year"])
        column = "date" if sheet.key == "policies" else "year"
        tests.append(lambda r: str(r.values.get(column) or "")[:4] == str(int(year)))
    for key, above in (("amount_min", True), ("amount_max", False)):
        if f.get(key):
            bound = _number_arg(key, f[key])
            tests.append(_amount_test(bound, above))
    for key in ("level", "type", "status"):
        if f.get(key):
            wanted_values = set(_split(f[key]))
            tests.append(lambda r, k=key, w=wanted_values: r.values.get(k) in w)
    if f.get("issuer"):
        issuer = clean_text(f["issuer"])
        tests.append(lambda r: issuer in str(r.values.get("issuer") or ""))
    return tests


def _amount_test(bound: float, above: bool) -> Any:
    def test(row: ListRow) -> bool:
        amount = row.values.get("amount")
        if not isinstance(amount, int | float):
            return False
        return bool(amount >= bound) if above else bool(amount <= bound)

    return test


def _link_ids(snap: Snapshot, chain_text: str | None, text: str) -> frozenset[str]:
    """The link (with its sub-links) of the chain, or every link of that name."""
    if chain_text:
        link = find_link(snap, find_chain(snap, chain_text), text)
        return frozenset(link.subtree)
    wanted = clean_text(text)
    found = [link for link in snap.links.values() if wanted in (link.id, link.name)]
    if not found:
        raise InputError(f"找不到环节“{wanted}”（可同时指定产业链 chain）")
    return frozenset(s for link in found for s in link.subtree)


_YES = {"是", "y", "yes", "true", "1"}
_NO = {"否", "n", "no", "false", "0"}


def _yes_no(key: str, text: str) -> bool:
    value = clean_text(text).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InputError(f"筛选条件 {key}（{FILTER_ZH[key]}）应为 是/否 或 true/false，而不是“{text}”")


def _number_arg(key: str, text: str) -> float:
    try:
        return float(clean_text(text))
    except ValueError:
        raise InputError(f"筛选条件 {key}（{FILTER_ZH[key]}）应为数字，而不是“{text}”") from None


def _split(text: str) -> list[str]:
    for sep in "，,;；/":
        text = text.replace(sep, "、")
    return [t for t in (clean_text(p) for p in text.split("、")) if t]


def _sorted(sheet: ListSpec, rows: list[ListRow], sort: str) -> list[ListRow]:
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    keys = list(sheet.columns)
    if key not in keys:
        raise InputError(f"无法按“{key}”排序；{sheet.zh}的列为：{'、'.join(keys)}")

    def value(row: ListRow) -> tuple[int, Any]:
        v = row.values.get(key)
        if v is None or v == [] or v == "":
            return (1, "")  # empty last either way
        if isinstance(v, list):
            v = "、".join(str(x) for x in v)
        if isinstance(v, bool):
            v = int(v)
        return (0, -v if desc and isinstance(v, int | float) else v)

    if rows and any(isinstance(r.values.get(key), str) for r in rows[:50]) and desc:
        filled = [r for r in rows if value(r)[0] == 0]
        empty = [r for r in rows if value(r)[0] == 1]
        return sorted(filled, key=lambda r: value(r)[1], reverse=True) + empty
    return sorted(rows, key=value)
