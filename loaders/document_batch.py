"""A document into the graph: a Document node with its scope, MENTIONS of every node it
speaks of (with the sentences as evidence), and the figures and targets it states as Figure
nodes.

A figure is `ABOUT` its subject (role 主体) and, when the subject is not a region, also
about the region it is stated for (role 地区): 全市锂电新能源产业营业收入 in a 宜春 brief
is about the 锂电新能源 chain and about 宜春市. A project's amount is about the enterprise
(主体) and about the project of the 项目清单 it names (role 项目); no project is created.
An amount of a registered company no list holds (江西某某有限公司…总投资12亿元) names that
firm as written in `subject` and is about the region only: no enterprise is made from a text.
"""

from __future__ import annotations

from collections import defaultdict

from graph_schema import Node
from graph_schema.definitions import INDUSTRIES
from graph_schema.identity import make_id
from loaders.context import Context
from loaders.doc_scope import DocScope, document_scope, scope_mentions
from loaders.documents import DocumentText
from loaders.figures import DocumentContext, FigureFound, extract_figures
from loaders.mentions import Gazetteer, Mention, Sentence, sentences

MAX_EVIDENCE = 3
MAX_EVIDENCE_CHARS = 160
KIND_WORDS = {"actual": "", "target": "（目标）"}
_SUBJECT_ORDER = {"Enterprise": 0, "Project": 1, "Cluster": 2, "Park": 3, "Chain": 4, "Industry": 5}


def add_document(ctx: Context, doc: DocumentText, gazetteer: Gazetteer) -> Node:
    scope = document_scope(doc, gazetteer, ctx.province)
    props = {
        "title": doc.title,
        "date": doc.date,
        "issuer": doc.issuer,
        "doc_number": doc.doc_number,
        "scope": scope.region,
        "scope_id": scope.region_id,
        "sha256": doc.sha256,
        "file": doc.file,
        "text": doc.text,
        "sources": [doc.file],
    }
    node = ctx.add("Document", make_id("doc", doc.sha256[:16]), doc.title, props)
    sents = sentences(doc.text)
    mentions = sorted(
        [*gazetteer.find(doc.text), *scope_mentions(doc.text, scope)], key=lambda m: m.start
    )
    clusters = gazetteer.clusters_in(doc.text, mentions)
    _mentions(ctx, node, sents, [*mentions, *clusters])
    context = DocumentContext.of(
        doc.title, scope.year, scope.region_id, make_id("region", ctx.province)
    )
    for n, figure in enumerate(extract_figures(sents, mentions, context), start=1):
        _figure(ctx, node, doc, n, figure, scope)
    return node


def _target(ctx: Context, node_id: str) -> Node:
    """A mentioned node; a 2+6+N industry or the province the graph lacks is created."""
    if node_id in ctx.batch.nodes or node_id in ctx.index.nodes:
        return ctx.node(node_id)
    name = node_id.split(":", 1)[1]
    if node_id.startswith("region:"):
        return ctx.add("Region", node_id, name, {"level": "省", "path": name})
    return ctx.add("Industry", node_id, name, {"tier": INDUSTRIES[name][0]})


def _mentions(ctx: Context, doc: Node, sents: list[Sentence], mentions: list[Mention]) -> None:
    counts: dict[str, int] = defaultdict(int)
    evidence: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        counts[mention.node_id] += 1
        sentence = next(
            (s.text for s in sents if s.start <= mention.start < s.start + len(s.text)), ""
        )
        kept = evidence[mention.node_id]
        if sentence and len(kept) < MAX_EVIDENCE and sentence[:MAX_EVIDENCE_CHARS] not in kept:
            kept.append(sentence[:MAX_EVIDENCE_CHARS])
    for node_id, count in counts.items():
        target = _target(ctx, node_id)
        ctx.batch.add_edge("MENTIONS", doc, target, {"count": count, "evidence": evidence[node_id]})


def _figure(
    ctx: Context, doc: Node, text: DocumentText, n: int, figure: FigureFound, scope: DocScope
) -> None:
    # the chain before the industry of the same name, whatever order the gazetteer found
    # them in: a re-load must name the same subject
    mentioned = sorted(figure.subjects, key=lambda m: (_SUBJECT_ORDER.get(m.label, 9), m.node_id))
    subjects = [_target(ctx, m.node_id) for m in mentioned]
    region = _target(ctx, figure.region or scope.region_id)
    subject = subjects[0] if subjects else region
    projects = [ctx.node(m.node_id) for m in figure.projects]
    subject_name, subject_type = subject.name, subject.label
    if figure.firm is not None:  # a firm no list holds: named as written, no node made
        subject_name, subject_type = figure.firm, "Enterprise"
    props = {
        "metric": figure.metric,
        "value": figure.value,
        "unit": figure.unit,
        "year": figure.year,
        "period": figure.period,
        "kind": figure.kind,
        "subject": subject_name,
        "subject_type": subject_type,
        "region": region.name,
        "project": projects[0].name if projects else None,
        "document": text.title,
        "sentence": figure.sentence[:MAX_EVIDENCE_CHARS],
        "sources": [text.file],
    }
    year = (f"{figure.year}年" if figure.year else "") + (figure.period or "")
    place = "" if subject.id == region.id and figure.firm is None else f"{region.name}·"
    name = (
        f"{place}{subject_name}{year}{figure.metric}{figure.value:g}{figure.unit}"
        f"{KIND_WORDS[figure.kind]}"
    )
    node = ctx.add("Figure", make_id("fig", text.sha256[:16], str(n)), name, props)
    ctx.batch.add_edge("STATES", doc, node)
    for subject_node in subjects or ([region] if figure.firm is None else []):
        ctx.batch.add_edge("ABOUT", node, subject_node, {"role": "主体"})
    if region.id not in {s.id for s in subjects} and (subjects or figure.firm is not None):
        ctx.batch.add_edge("ABOUT", node, region, {"role": "地区"})
    for project in projects:
        ctx.batch.add_edge("ABOUT", node, project, {"role": "项目"})
