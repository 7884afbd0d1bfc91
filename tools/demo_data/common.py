"""Row accumulation and CSV writing for the bundled demo data set.

Every chain module calls the helpers below with compact tuples; build.py writes the CSVs.
Source codes: "P" = 公开资料 (public facts), "D" = 示例数据 (invented or uncertain).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from loaders import sheets as S

SRC = {"P": "公开资料", "D": "示例数据"}
ORDER = (
    S.CHAIN_MAP,
    S.ENTERPRISES,
    S.PROJECTS,
    S.CLUSTERS,
    S.POLICIES,
    S.PROBLEMS,
    S.TECHNOLOGIES,
    S.APPLICATIONS,
    S.REGIONS,
)
ROWS: dict[str, list[dict]] = {s.key: [] for s in ORDER}
_ENT: dict[str, dict] = {}


def _src(code: str) -> str:
    return SRC[code]


def _yn(flag) -> str:
    if flag is None or flag == "":
        return ""
    return "是" if flag else "否"


def _num(x) -> str:
    if x is None or x == "":
        return ""
    return f"{x:g}" if isinstance(x, float) else str(x)


def _merge_list(old: str, new: str) -> str:
    items = [i for i in old.split("、") if i]
    items += [i for i in new.split("、") if i and i not in items]
    return "、".join(items)


def links(industry: str, chain: str, rows) -> None:
    """rows: (环节, 上级环节, 链位, 下游环节, 关键环节[, 说明])."""
    for r in rows:
        name, parent, stage, down, key = r[:5]
        note = r[5] if len(r) > 5 else ""
        ROWS["chain_map"].append(
            dict(
                industry=industry,
                chain=chain,
                link=name,
                parent=parent,
                stage=stage,
                downstream=down,
                key=_yn(key),
                note=note,
                source=_src("D"),
            )
        )


def _add_ent(chain, name, links_, local, region, park, rev, tags, products, src, cust, inv):
    if name in _ENT:  # an enterprise in two chains: one row, lists merged
        e = _ENT[name]
        e["chain"] = _merge_list(e["chain"], chain)
        e["links"] = _merge_list(e["links"], links_)
        e["tags"] = _merge_list(e["tags"], tags)
        e["products"] = _merge_list(e["products"], products)
        e["customers"] = _merge_list(e["customers"], cust)
        e["investees"] = _merge_list(e["investees"], inv)
        return
    e = dict(
        name=name,
        credit_code="",
        aliases="",
        chain=chain,
        links=links_,
        local=local,
        region=region,
        park=park,
        revenue=_num(rev),
        tags=tags,
        products=products,
        customers=cust,
        investees=inv,
        source=_src(src),
    )
    _ENT[name] = e
    ROWS["enterprises"].append(e)


def local(chain: str, rows) -> None:
    """rows: (名称, 环节、…, 地区, 园区, 营收, 标签、…, 产品、…, src[, 供应对象, 投资对象])."""
    for r in rows:
        name, lk, region, park, rev, tags, prod, src = r[:8]
        cust = r[8] if len(r) > 8 else ""
        inv = r[9] if len(r) > 9 else ""
        _add_ent(chain, name, lk, "是", region, park, rev, tags, prod, src, cust, inv)


def outside(chain: str, rows) -> None:
    """rows: (名称, 环节、…, 地区, 营收, 标签、…, 产品、…, src[, 供应对象, 投资对象])."""
    for r in rows:
        name, lk, region, rev, tags, prod, src = r[:7]
        cust = r[7] if len(r) > 7 else ""
        inv = r[8] if len(r) > 8 else ""
        _add_ent(chain, name, lk, "否", region, "", rev, tags, prod, src, cust, inv)


def projects(chain: str, rows) -> None:
    """rows: (项目名称, 投资主体, 环节、…, 总投资, 阶段, 地区, 园区, 5020, 年份, src)."""
    for name, inv, lk, amt, stage, region, park, is5020, year, src in rows:
        ROWS["projects"].append(
            dict(
                name=name,
                investor=inv,
                chain=chain,
                links=lk,
                amount=_num(amt),
                stage=stage,
                region=region,
                park=park,
                is_5020=_yn(is5020),
                year=_num(year),
                source=_src(src),
            )
        )


def clusters(chain: str, rows) -> None:
    """rows: (集群名称, 级别, 地区, 营收, 龙头、…, 成员、…, src)."""
    for name, level, region, rev, leaders, members, src in rows:
        ROWS["clusters"].append(
            dict(
                name=name,
                level=level,
                chain=chain,
                region=region,
                revenue=_num(rev),
                leaders=leaders,
                members=members,
                source=_src(src),
            )
        )


def policies(rows) -> None:
    """rows: (政策名称, 文号, 发布单位, 日期, 产业链、…, 环节、…, 要点, src)."""
    for name, doc, issuer, date, chains, lk, summary, src in rows:
        ROWS["policies"].append(
            dict(
                name=name,
                doc_number=doc,
                issuer=issuer,
                date=date,
                chains=chains,
                links=lk,
                summary=summary,
                source=_src(src),
            )
        )


def problems(chain: str, rows) -> None:
    """rows: (描述, 类型, 环节、…, 企业、…, 状态, 责任单位, src)."""
    for desc, typ, lk, ents, status, owner, src in rows:
        ROWS["problems"].append(
            dict(
                description=desc,
                type=typ,
                chain=chain,
                links=lk,
                enterprises=ents,
                status=status,
                owner=owner,
                source=_src(src),
            )
        )


def techs(chain: str, rows) -> None:
    """rows: (技术名称, 环节、…, 阶段, 卡脖子, 牵头单位, src)."""
    for name, lk, maturity, neck, lead, src in rows:
        ROWS["technologies"].append(
            dict(
                name=name,
                chain=chain,
                links=lk,
                maturity=maturity,
                bottleneck=_yn(neck),
                lead=lead,
                source=_src(src),
            )
        )


def apps(chain: str, rows) -> None:
    """rows: (应用领域, 环节、…, src)."""
    for name, lk, src in rows:
        ROWS["applications"].append(dict(name=name, chain=chain, links=lk, source=_src(src)))


def regions(rows) -> None:
    """rows: (地区, 园区, 园区级别, 首位产业, 主导产业、…, src)."""
    for region, park, level, primary, main, src in rows:
        ROWS["regions"].append(
            dict(
                region=region,
                park=park,
                park_level=level,
                primary_chain=primary,
                main_chains=main,
                source=_src(src),
            )
        )


def header(sheet: S.Sheet) -> list[str]:
    return [c.zh for c in sheet.columns] + [S.SOURCE_COLUMN.zh]


def write(outdir: Path) -> dict[str, int]:
    outdir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for sheet in ORDER:
        keys = [c.key for c in sheet.columns] + ["source"]
        with open(outdir / f"{sheet.zh}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header(sheet))
            for row in ROWS[sheet.key]:
                w.writerow([row.get(k, "") for k in keys])
        counts[sheet.zh] = len(ROWS[sheet.key])
    return counts


def add_chain(module: Any) -> None:
    """Every table of one chain module (chain_*.py) into the sheets."""
    chain = module.CHAIN
    links(module.INDUSTRY, chain, module.LINKS)
    closed = getattr(module, "RESTRICTIONS", {})  # 环节 → 招商限制 (why it is closed)
    for row in ROWS["chain_map"]:
        if row["chain"] == chain and row["link"] in closed:
            row["recruit_restriction"] = closed[row["link"]]
    local(chain, module.LOCAL + getattr(module, "MERGE_LOCAL", ()))
    outside(chain, module.OUTSIDE + getattr(module, "MERGE", ()))
    for name, aliases in getattr(module, "ALIASES", ()):  # (企业名称, "简称、…"): the 别名 column
        _ENT[name]["aliases"] = _merge_list(_ENT[name]["aliases"], aliases)
    projects(chain, module.PROJECTS)
    clusters(chain, module.CLUSTERS)
    policies(module.POLICIES)
    problems(chain, module.PROBLEMS)
    techs(chain, module.TECHS)
    apps(chain, module.APPS)
