"""Chinese search over node names, aliases and documents.

Queries are cut with jieba, whose user dictionary holds the graph's own names and aliases
and the domain vocabulary (2+6+N industries, link terms), so that 宜春锂电 becomes 宜春 +
锂电 and a company name stays whole. The dictionary is rebuilt when the graph changes
(the store's version); jieba's cache lives in chainkg's cache folder and nothing is fetched.
Ranking: exact name or alias 1.0 > prefix 0.8 > whole query inside 0.7 > token overlap.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import jieba

from graph_schema import Node
from graph_schema.definitions import INDUSTRIES
from graph_schema.identity import clean_text, name_forms
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


def search(store: GraphStore, text: str, limit: int, cache_dir: Path) -> dict[str, Any]:
    """The `search` answer of DESIGN.md: nodes and documents, best first."""
    query = clean_text(text)
    if not query:
        return {"query": query, "items": []}
    words = tokens(query, tokenizer(store, cache_dir))
    candidates: dict[str, Node] = {}
    for probe in dict.fromkeys([*name_forms(text), *words]):
        for node in store.find_text(probe, 200):
            if node.label != "Document":
                candidates[node.id] = node
    items = [_node_item(node, query, words) for node in candidates.values()]
    items += [_document_item(doc, query, words) for doc in store.iter_nodes("Document")]
    ranked = sorted(
        (i for i in items if i["score"] > 0), key=lambda i: (-i["score"], len(i["name"]), i["id"])
    )
    return {"query": query, "items": ranked[:limit]}


def _node_item(node: Node, query: str, words: list[str]) -> dict[str, Any]:
    names = [clean_text(n) for n in (node.name, *node.props.get("aliases", []))]
    return {
        "type": node.label,
        "id": node.id,
        "name": node.name,
        "score": _score(query, words, names),
    }


def _score(query: str, words: list[str], names: list[str]) -> float:
    if query in names:
        return 1.0
    if any(n.startswith(query) for n in names):
        return 0.8
    if any(query in n for n in names):
        return 0.7
    best = max(sum(w in n for w in words) / len(words) for n in names)
    return round(0.6 * best, 3)


def _document_item(doc: Node, query: str, words: list[str]) -> dict[str, Any]:
    title = clean_text(str(doc.props.get("title") or doc.name))
    text = str(doc.props.get("text", ""))
    score = _score(query, words, [title])
    if score < 0.6 and query in text:
        score = 0.6
    elif score < 0.5 and words:
        score = max(score, round(0.5 * sum(w in text for w in words) / len(words), 3))
    return {"type": "Document", "id": doc.id, "name": title, "score": score}
