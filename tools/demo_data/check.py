"""Checks for the bundled demo data set (stdlib + loaders.sheets only).

Run from the repository root:  .venv/bin/python tools/demo_data/check.py [-v] [--seeds DIR]

With ``--seeds DIR`` (a folder of seed texts, which the repository does not ship) it also checks
that no sentence of 24+ characters of a seed was copied into the demo data.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from loaders import sheets as S  # noqa: E402

DATA = ROOT / "app" / "demo_data"
SPLIT = re.compile(r"[、,，;；/\n]")
STRENGTH = {
    "链主",
    "领航企业",
    "上市",
    "专精特新小巨人",
    "单项冠军",
    "世界500强",
    "中国500强",
    "民营500强",
}
ERRORS: list[str] = []


def err(msg: str) -> None:
    ERRORS.append(msg)


def lst(cell: str) -> list[str]:
    return [x.strip() for x in SPLIT.split(cell or "") if x.strip()]


def read(sheet: S.Sheet) -> list[dict]:
    path = DATA / f"{sheet.zh}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    want = [c.zh for c in sheet.columns] + [S.SOURCE_COLUMN.zh]
    if rows[0] != want:
        err(f"{sheet.zh}: header {rows[0]} != {want}")
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(want):
            err(f"{sheet.zh} 第{i}行: {len(r)} cells")
        d = dict(zip(want, r, strict=False))
        d["_row"] = f"{sheet.zh} 第{i}行"
        if d.get("数据来源") not in ("公开资料", "示例数据"):
            err(f"{d['_row']}: 数据来源 {d.get('数据来源')!r}")
        for c in sheet.columns:
            if c.required and not d.get(c.zh, "").strip():
                err(f"{d['_row']}: {c.zh} empty")
            if c.kind == S.Kind.ENUM and d.get(c.zh):
                ok = set(c.choices) | {a for a, _ in c.value_aliases}
                if d[c.zh] not in ok:
                    err(f"{d['_row']}: {c.zh} {d[c.zh]!r} not in {sorted(ok)}")
            if c.kind == S.Kind.BOOL and d.get(c.zh) not in ("", "是", "否"):
                err(f"{d['_row']}: {c.zh} {d[c.zh]!r}")
            if c.kind == S.Kind.MONEY and d.get(c.zh):
                float(d[c.zh])
        out.append(d)
    return out


def main(verbose: bool, seeds: Path | None = None) -> int:
    cm = read(S.CHAIN_MAP)
    ents = read(S.ENTERPRISES)
    projs = read(S.PROJECTS)
    clus = read(S.CLUSTERS)
    pols = read(S.POLICIES)
    probs = read(S.PROBLEMS)
    techs = read(S.TECHNOLOGIES)
    apps = read(S.APPLICATIONS)
    regs = read(S.REGIONS)

    chains: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in cm:
        c, lk = r["产业链"], r["环节"]
        if lk in chains[c]:
            err(f"{r['_row']}: duplicate link {c}/{lk}")
        chains[c][lk] = r
    for c, ls in chains.items():
        if len(ls) < 20:
            err(f"{c}: only {len(ls)} links")
        for lk, r in ls.items():
            if r["上级环节"] and r["上级环节"] not in ls:
                err(f"{r['_row']}: parent {r['上级环节']} not in {c}")
            if not r["上级环节"] and not r["链位"]:
                err(f"{r['_row']}: top link without 链位")
            for d in lst(r["下游环节"]):
                if d not in ls:
                    err(f"{r['_row']}: downstream {d} not in {c}")
            seen, p = {lk}, r["上级环节"]
            while p and p in ls:
                if p in seen:
                    err(f"{r['_row']}: parent cycle")
                    break
                seen.add(p)
                p = ls[p]["上级环节"]

    def check_chain(row, cell):
        if row[cell] and row[cell] not in chains:
            err(f"{row['_row']}: unknown chain {row[cell]}")

    def check_links(row, chain_names, links):
        for lk in links:
            if chain_names:
                if not any(lk in chains.get(c, {}) for c in chain_names):
                    err(f"{row['_row']}: link {lk} not in {chain_names}")
            elif sum(lk in ls for ls in chains.values()) != 1:
                err(f"{row['_row']}: link {lk} not unique across chains")

    names = {}
    for e in ents:
        if e["企业名称"] in names:
            err(f"{e['_row']}: duplicate enterprise {e['企业名称']}")
        names[e["企业名称"]] = e
        for c in lst(e["所属产业链"]):
            if c not in chains:
                err(f"{e['_row']}: unknown chain {c}")
        check_links(e, lst(e["所属产业链"]), lst(e["所属环节"]))
    for e in ents:
        for n in lst(e["供应对象"]) + lst(e["投资对象"]):
            if n not in names:
                err(f"{e['_row']}: unknown enterprise {n}")
    outside = sum(e["是否省内"] == "否" for e in ents)
    if outside < 200:
        err(f"only {outside} outside enterprises")

    def check_ents(row, cell):
        for n in lst(row[cell]):
            if n not in names:
                err(f"{row['_row']}: unknown enterprise {n} in {cell}")

    for p in projs:
        check_chain(p, "所属产业链")
        check_links(p, [p["所属产业链"]] if p["所属产业链"] else [], lst(p["所属环节"]))
        if p["投资主体"] not in names:
            err(f"{p['_row']}: investor {p['投资主体']} not in 企业清单")
    for c in clus:
        check_chain(c, "所属产业链")
        check_ents(c, "龙头企业")
        check_ents(c, "成员企业")
    for p in pols:
        for c in lst(p["支持产业链"]):
            if c not in chains:
                err(f"{p['_row']}: unknown chain {c}")
        check_links(p, lst(p["支持产业链"]), lst(p["支持环节"]))
    for p in probs:
        check_chain(p, "所属产业链")
        check_links(p, [p["所属产业链"]], lst(p["涉及环节"]))
        check_ents(p, "涉及企业")
    for t in techs:
        check_chain(t, "所属产业链")
        check_links(t, [t["所属产业链"]], lst(t["支撑环节"]))
    for a in apps:
        check_chain(a, "所属产业链")
        check_links(a, [a["所属产业链"]], lst(a["相关环节"]))
    for r in regs:
        check_chain(r, "首位产业")
        for c in lst(r["主导产业"]):
            if c not in chains:
                err(f"{r['_row']}: unknown chain {c}")

    # --- diagnosis (province-wide) ---
    direct = defaultdict(set)  # (chain, link) -> local enterprise names
    for e in ents:
        if e["是否省内"] != "是":
            continue
        for c in lst(e["所属产业链"]):
            for lk in lst(e["所属环节"]):
                if lk in chains[c]:
                    direct[(c, lk)].add(e["企业名称"])
    filled = defaultdict(set)
    for p in projs:
        if p["项目阶段"] in ("投产", "达产"):
            for lk in lst(p["所属环节"]):
                filled[(p["所属产业链"], lk)].add(p["项目名称"])
    blocked = set()
    for p in probs:
        if p["问题类型"] in ("卡脖子", "断点") and p["状态"] in ("待办", "办理中"):
            for lk in lst(p["涉及环节"]):
                blocked.add((p["所属产业链"], lk))

    summary = {}
    for c, ls in chains.items():
        kids = defaultdict(list)
        for lk, r in ls.items():
            if r["上级环节"]:
                kids[r["上级环节"]].append(lk)

        def sub(lk, kids=kids):
            out = {lk}
            for k in kids[lk]:
                out |= sub(k, kids)
            return out

        ent_of, present = {}, {}
        for lk in ls:
            es, fs = set(), set()
            for s in sub(lk):
                es |= direct[(c, s)]
                fs |= filled[(c, s)]
            ent_of[lk] = es
            present[lk] = bool(es or fs)
        upstream = defaultdict(list)
        for lk, r in ls.items():
            for d in lst(r["下游环节"]):
                upstream[d].append(lk)
        status = {}
        for lk, r in ls.items():
            if not present[lk]:
                up = any(present[u] for u in upstream[lk])
                down = any(present[d] for d in lst(r["下游环节"]))
                status[lk] = ("断链", "") if up and down else ("缺链", "")
                continue
            es = ent_of[lk]
            revs = [float(names[n]["营业收入(亿元)"] or 0) for n in es]
            total = sum(revs)
            why = []
            if len(es) < 3:
                why.append(f"本地企业{len(es)}家")
            tagged = any(STRENGTH & set(lst(names[n]["企业标签"])) for n in es)
            if not tagged and total < 10:
                why.append(f"无强势企业且营收{total:g}亿")
            if len(es) >= 2 and total > 0 and max(revs) / total >= 0.8:
                why.append(f"一家占{max(revs) / total:.0%}")
            if (c, lk) in blocked:
                why.append("卡脖子/断点未解决")
            status[lk] = ("弱链", "；".join(why)) if why else ("强链", "")
        cnt = defaultdict(int)
        for s, _ in status.values():
            cnt[s] += 1
        summary[c] = cnt
        # every gap must have an outside candidate in the link or a descendant
        cand = defaultdict(set)
        for e in ents:
            if e["是否省内"] == "否" and c in lst(e["所属产业链"]):
                for lk in lst(e["所属环节"]):
                    cand[lk].add(e["企业名称"])
        for lk, (s, why) in status.items():
            if s != "强链" and not any(cand[x] for x in sub(lk)):
                err(f"{c}/{lk} ({s}) has no outside candidate")
            if verbose:
                print(f"  {c:6} {s} {lk:12} {len(ent_of[lk])}家 {why}")
    for c, cnt in summary.items():
        print(
            f"{c}: 强链 {cnt['强链']} 弱链 {cnt['弱链']} 缺链 {cnt['缺链']} 断链 {cnt['断链']} (共 {sum(cnt.values())})"
        )
    print(f"企业 {len(ents)} 家，其中省外 {outside} 家")

    # --- no seed sentence of >= 24 characters in our files ---
    mine = "".join(p.read_text(encoding="utf-8") for p in DATA.glob("*.csv"))
    mine += "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("*.py"))
    titles = {p["政策名称"] for p in pols}  # a real policy's exact title is a fact, not prose
    if seeds is None:
        print("（未给 --seeds：跳过种子文本抄录检查）")
    for seed in sorted(seeds.glob("*.txt")) if seeds is not None else []:
        for s in re.split(r"[。！？!?；;\n]", seed.read_text(encoding="utf-8", errors="replace")):
            s = s.strip()
            if len(s) >= 24 and s in mine and s not in titles:
                err(f"seed sentence copied from {seed.name}: {s[:30]}…")

    for e in ERRORS:
        print("ERROR", e)
    print("OK" if not ERRORS else f"{len(ERRORS)} errors")
    return 1 if ERRORS else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    seeds_dir = Path(args[args.index("--seeds") + 1]) if "--seeds" in args else None
    sys.exit(main("-v" in args, seeds_dir))
