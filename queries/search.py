"""Chinese search over node names, aliases and documents.

Queries are cut with jieba, whose user dictionary holds the graph's own names and aliases
and the domain vocabulary (2+6+N industries, link terms), so that 宜春锂电 becomes 宜春 +
锂电 and a company name stays whole. The dictionary is rebuilt when the graph changes
(the store's version); jieba's cache lives in chainkg's cache folder and nothing is fetched.
Ranking: exact name 1.0 > exact alias 0.97 > the name without its legal suffix 0.95 >
prefix of the name's core (the name without a leading 江西/中国 and the suffix) 0.8–0.95 >
whole query inside 0.6–0.75 > token overlap (≤ 0.5); within a band, the more of the name the
query covers, the higher (赣锋 → 赣锋锂业 before 赣锋锂电科技). Each hit names its chain(s)
and region where the graph has them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import jieba

from graph_schema import Node
from graph_schema.definitions import INDUSTRIES, SCHEMA
from graph_schema.identity import clean_text, name_forms, normalise_name
from queries.answers import SearchItem, SearchOut
from queries.snapshot import Snapshot, snapshot
from queries.wording import place_text
from store.base import GraphStore

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_tokenizers: dict[tuple[str, int, str], jieba.Tokenizer] = {}
_NAME_FREQ = 200_000  # high enough that jieba keeps a whole name as one word


def tokenizer(store: GraphStore, cache_dir: Path) -> jieba.Tokenizer:
    """jieba with the graph's vocabulary, one per store version."""
    key = (f"{store.backend}:{id(store)}", store.version(), str(cache_dir))
    with _lock:
        cached = _tokenizers.get(key)
        if cached is None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            cached = jieba.Tokenizer()
            cached.tmp_dir = str(cache_dir)
            cached.initialize()
            for word in vocabulary(store):
                cached.add_word(word, _NAME_FREQ)
            _tokenizers.clear()
            _tokenizers[key] = cached
    return cached


def vocabulary(store: GraphStore) -> set[str]:
    words = {name for name in INDUSTRIES} | {
        a for _, aliases in INDUSTRIES.values() for a in aliases
    }
    for known in store.identity_index().nodes.values():
        words.add(known.name)
        words.update(known.aliases)
    return {w for w in words if 2 <= len(w) <= 40}


def tokens(text: str, cutter: jieba.Tokenizer) -> list[str]:
    """The query's words (single characters and punctuation dropped), in order, once each."""
    out: list[str] = []
    for word in cutter.lcut_for_search(text, HMM=False):
        word = word.strip()
        if len(word) >= 2 and word not in out:
            out.append(word)
    return out or ([text] if text else [])


def search(store: GraphStore, text: str, limit: int, cache_dir: Path) -> SearchOut:
    """The `search` answer (docs/analyses.md): nodes and documents, best first."""
    query = clean_text(text)
    if not query:
        return SearchOut(query=query, items=[])
    words = tokens(query, tokenizer(store, cache_dir))
    candidates: dict[str, Node] = {}
    for probe in dict.fromkeys([*name_forms(text), *words]):
        for node in store.find_text(probe, 200):
            if node.label != "Document":
                candidates[node.id] = node
    snap = snapshot(store)
    items = [_node_item(node, query, words, snap) for node in candidates.values()]
    items += [_document_item(doc, query, words) for doc in store.iter_nodes("Document")]
    ranked = sorted((i for i in items if i.score > 0), key=lambda i: (-i.score, len(i.name), i.id))
    return SearchOut(query=query, items=ranked[:limit])


def _node_item(node: Node, query: str, words: list[str], snap: Snapshot) -> SearchItem:
    names = [clean_text(n) for n in (node.name, *node.props.get("aliases", []))]
    chains, region = _where(node, snap)
    return SearchItem(
        type=node.label,
        type_zh=LABEL_ZH.get(node.label, node.label),
        id=node.id,
        name=node.name,
        score=_score(query, words, names),
        chains=chains,
        region=region,
    )


LABEL_ZH = {label: t.zh for label, t in SCHEMA.nodes.items()}
_PLACE_PREFIXES = ("江西省", "江西", "中国")


def _core(name: str) -> str:
    """A name without its legal suffix and a leading 江西/中国: 江西赣锋锂业集团股份有限公司 → 赣锋锂业.

    >>> _core("江西赣锋锂业集团股份有限公司"), _core("宜春市")
    ('赣锋锂业', '宜春市')
    """
    key = normalise_name(name)
    for prefix in _PLACE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            return key[len(prefix) :]
    return key


def _score(query: str, words: list[str], names: list[str]) -> float:
    """How well `query` matches a node's names (the name first, then aliases).

    >>> _score("赣锋", ["赣锋"], ["江西赣锋锂业集团股份有限公司"])
    0.875
    >>> _score("赣锋", ["赣锋"], ["江西赣锋锂电科技股份有限公司"])
    0.85
    >>> _score("赣锋锂业", ["赣锋锂业"], ["江西赣锋锂业集团股份有限公司", "赣锋锂业"])
    0.97
    """
    if query == names[0]:
        return 1.0
    if query in names[1:]:
        return 0.97
    key = normalise_name(query)
    if any(key == normalise_name(n) or key == _core(n) for n in names):
        return 0.95
    if any(n[:-1] == query and n[-1] in "省市县区" for n in names):  # 宜春 → 宜春市
        return 0.95
    best = 0.0
    for n in names:
        core, lowered = _core(n), normalise_name(n)
        cover = len(key) / max(len(core), len(key))
        if core.startswith(key) or lowered.startswith(key):
            best = max(best, 0.8 + 0.15 * cover)
        elif key in lowered:
            best = max(best, 0.6 + 0.15 * cover)
    if best:
        return round(best, 3)
    overlap = max(sum(w in n for w in words) / len(words) for n in names)
    return round(0.5 * overlap, 3)


def _where(node: Node, snap: Snapshot) -> tuple[list[str], str | None]:
    """The chains and region a hit belongs to, as a person would name them."""
    chain_name = {c.id: c.name for c in snap.chains.values()}
    ent = snap.enterprise(node.id) if node.label == "Enterprise" else None
    if ent is not None:  # an outside firm of the pool is read from the store
        chains = [
            chain_name[snap.links[x].chain] for x in ent.links if snap.links[x].chain in chain_name
        ]
        return list(dict.fromkeys(chains)), place_text(ent.region)
    if node.label == "Link" and node.id in snap.links:
        chain = chain_name.get(snap.links[node.id].chain)
        return ([chain] if chain else []), None
    chain = node.props.get("chain")
    region = node.props.get("region") or node.props.get("path")
    chains = [chain_name.get(str(chain), str(chain))] if chain else []
    return chains, place_text(str(region)) if region else None


def _document_item(doc: Node, query: str, words: list[str]) -> SearchItem:
    title = clean_text(str(doc.props.get("title") or doc.name))
    text = str(doc.props.get("text", ""))
    score = _score(query, words, [title])
    if score < 0.5 and query in text:
        score = 0.5
    elif score < 0.4 and words:
        score = max(score, round(0.4 * sum(w in text for w in words) / len(words), 3))
    return SearchItem(
        type="Document",
        type_zh=LABEL_ZH.get("Document", "文档"),
        id=doc.id,
        name=title,
        score=score,
        chains=[],
        region=None,
    )
