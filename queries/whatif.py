"""What-if: if this enterprise (or project) landed, which links change and how does 本地配套率
move? The question an officer asks before a meeting.

An enterprise is assumed to set up locally, in the region of the question, in the links
given (or else the chain's links it is already in), bringing its revenue and tags. A project
is assumed to reach 投产 in the links given (or else the links it fills).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from graph_schema.errors import InputError
from queries.answers import AffectedLink, StatusChange, WhatIfOut, WhatIfSubject
from queries.diagnosis import Hypothesis, changes, run
from queries.params import AnalysisParams
from queries.scope import Scope, find_chain, find_enterprise_or_project, find_link, find_scope
from queries.snapshot import ChainInfo, EnterpriseInfo, ProjectInfo, Snapshot
from queries.wording import STATUS_ZH


def what_if(
    snap: Snapshot,
    chain: str,
    enterprise: str,
    params: AnalysisParams,
    links: Sequence[str] = (),
    region: str | None = None,
) -> WhatIfOut:
    """The `whatif` answer (docs/analyses.md), with the assumption and the affected links."""
    info = find_chain(snap, chain)
    scope = find_scope(snap, region)
    subject = find_enterprise_or_project(snap, enterprise)
    link_ids = _links(snap, info, subject, links)
    hypothesis = _hypothesis(subject, link_ids, scope, params)
    before = run(snap, info, scope, params)
    after = run(snap, info, scope, params, hypothesis, base=before)
    affected = [
        link_id for link_id in info.links if set(snap.links[link_id].subtree) & set(link_ids)
    ]
    kind = "企业" if isinstance(subject, EnterpriseInfo) else "项目"
    landing = "投产" if kind == "项目" else "落地"
    names = "、".join(snap.links[x].name for x in link_ids)
    return WhatIfOut(
        chain=info.name,
        chain_id=info.id,
        region=scope.name,
        subject=WhatIfSubject(type=kind, id=subject.id, name=subject.name),
        links=[snap.links[x].name for x in link_ids],
        assumption=f"假设{kind}“{subject.name}”在{scope.zh}{landing}，进入{names}环节",
        changes=[
            StatusChange(**c.model_dump(exclude={"reasons"})) for c in changes(snap, before, after)
        ],
        local_rate_before=before.local_rate(snap),
        local_rate_after=after.local_rate(snap),
        affected=[
            AffectedLink(
                link=snap.links[x].name,
                link_id=x,
                before=before.verdicts[x].status,
                after=after.verdicts[x].status,
                before_zh=STATUS_ZH[before.verdicts[x].status],
                after_zh=STATUS_ZH[after.verdicts[x].status],
                reasons_before=before.verdicts[x].reasons,
                reasons_after=after.verdicts[x].reasons,
            )
            for x in affected
        ],
    )


def _links(
    snap: Snapshot,
    chain: ChainInfo,
    subject: EnterpriseInfo | ProjectInfo,
    given: Sequence[str],
) -> list[str]:
    if given:
        return list(dict.fromkeys(find_link(snap, chain, text).id for text in given))
    own = [x for x in subject.links if snap.links[x].chain == chain.id]
    if not own:
        raise InputError(f"“{subject.name}”不在{chain.name}产业链的任何环节，请指定它将进入的环节")
    return own


def _hypothesis(
    subject: EnterpriseInfo | ProjectInfo,
    link_ids: list[str],
    scope: Scope,
    params: AnalysisParams,
) -> Hypothesis:
    places = frozenset({scope.id}) if scope.id else frozenset()
    if isinstance(subject, EnterpriseInfo):
        landed = dataclasses.replace(subject, local=True, places=subject.places | places)
        return Hypothesis(enterprises={x: [landed] for x in link_ids})
    stage = params.present_project_stages[0] if params.present_project_stages else "投产"
    done = dataclasses.replace(subject, stage=stage, places=subject.places | places)
    return Hypothesis(projects={x: [done] for x in link_ids})
