"""Figures the documents state, where officers look: on the page of what they are about,
and beside the diagnosis of a chain in a region.

A Figure node (loaders/document_batch.py) is `ABOUT` its subject (role 主体), the region it
is stated for (地区) and, for a project's amount, the project (项目). Its id carries its
document's: ``fig:<sha>/<n>`` is stated by ``doc:<sha>``.
"""

from __future__ import annotations

from typing import Any

from graph_schema import Node
from queries.answers import DiagnosisOut, StatedFigure
from store.base import GraphStore

MAX_FIGURES = 100
_KIND_ZH = {"actual": "实际", "target": "目标"}


def figure_json(figure: Node, role: str | None = None) -> StatedFigure:
    """A figure as pages and the API show it: the fact, its sentence and its document."""
    p: dict[str, Any] = figure.props
    return StatedFigure(
        id=figure.id,
        name=figure.name,
        subject=p.get("subject"),
        region=p.get("region"),
        metric=p.get("metric"),
        value=p.get("value"),
        unit=p.get("unit"),
        year=p.get("year"),
        period=p.get("period"),
        kind=p.get("kind"),
        kind_zh=_KIND_ZH.get(str(p.get("kind")), ""),
        role=role,
        project=p.get("project"),
        sentence=p.get("sentence"),
        document=p.get("document"),
        document_id=document_of(figure.id),
    )


def document_of(figure_id: str) -> str:
    """The id of the document that states a figure.

    >>> document_of("fig:311b89050d055723/4")
    'doc:311b89050d055723'
    """
    return "doc:" + figure_id.split(":", 1)[1].rsplit("/", 1)[0]


def figures_of(store: GraphStore, node: Node) -> list[StatedFigure]:
    """The figures documents state about a node (or, for a document, the ones it states),
    latest year first."""
    found: list[StatedFigure] = []
    for rel in store.relationships(node.id):
        wanted = (rel.type == "ABOUT" and rel.direction == "in") or (
            rel.type == "STATES" and rel.direction == "out"
        )
        figure = store.get_node(rel.other_id) if wanted else None
        if figure is not None:
            found.append(figure_json(figure, rel.props.get("role")))
    found.sort(key=lambda f: (-(f.year or 0), f.kind != "actual", f.id))
    return found[:MAX_FIGURES]


def stated_revenue(
    store: GraphStore, chain_id: str, region: str | None, province: str
) -> StatedFigure | None:
    """The latest actual 营业收入 of a whole year the documents state for a chain in a
    region (the province when no region is given), or None: 一季度 revenue is no match for
    the listed firms' yearly revenue."""
    place = region or province
    chain = store.get_node(chain_id)
    if chain is None:
        return None
    best: StatedFigure | None = None
    for figure in figures_of(store, chain):
        if (
            figure.role == "主体"
            and figure.metric == "营业收入"
            and figure.kind == "actual"
            and figure.region == place
            and not figure.period
            and (best is None or (figure.year or 0) > (best.year or 0))
        ):
            best = figure
    return best


def with_stated_revenue(store: GraphStore, answer: DiagnosisOut, province: str) -> DiagnosisOut:
    """A `diagnose` answer with `summary.stated_revenue`: the latest revenue a document
    states for the chain in the answer's region, to read beside `summary.listed_revenue`
    (the sum over the listed local firms); a large gap means the lists miss firms."""
    stated = stated_revenue(store, answer.chain_id, answer.region, province)
    return answer.model_copy(
        update={"summary": answer.summary.model_copy(update={"stated_revenue": stated})}
    )
