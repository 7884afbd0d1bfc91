// 缺链与断链：本地没有配套的环节，断链（上下游都有本地配套、唯独此环节缺失）排在前面
//
// Answers: which links of the chain have nothing local in scope (no local enterprise in the
// link or a sub-link, no project at 投产/达产), which of them are broken (a present link
// directly upstream and one directly downstream), the present neighbours either side, and the
// projects already in the pipeline (签约/开工/在建) or in talks that would fill them.
// Order: broken, then missing; more present downstream links first, then 关键环节 — the
// order of the recruitment targets (queries/recruitment.py).
// The diagnosis is the one of 01_link_diagnosis.cypher (same parameters, same rules).
//
// @params chain region diagnosis
//
// @include scope_note

// @include chain
// @include scope carry=c
// @include diagnosis
WITH c, r, l, status, upstream_present, downstream_present
WHERE status IN ['broken', 'missing']
RETURN l.id AS link_id,
       l.name AS link,
       l.level AS level,
       coalesce(l.key, false) AS key,
       status,
       CASE status WHEN 'broken' THEN '断链' ELSE '缺链' END AS status_zh,
       upstream_present,
       downstream_present,
       [pr IN r.pipeline | pr {.id, .name, .stage, .amount}] AS pipeline,
       [pr IN r.projects WHERE pr.stage = '在谈' | pr {.id, .name, .amount}] AS in_talks
ORDER BY CASE status WHEN 'broken' THEN 0 ELSE 1 END, size(downstream_present) DESC, key DESC, link_id;
