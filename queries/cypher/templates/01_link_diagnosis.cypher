// 环节诊断：一条产业链在全省或某地区的每个环节，判定强链/弱链/缺链/断链，并列出每条规则的输入
//
// Answers, per link of the chain (sub-links included, each rolling up its own sub-links):
// the local enterprises (count, revenue sum and max, largest share, strength-tag presence),
// the open 卡脖子/断点 problems, the present projects and the pipeline, the present links
// directly upstream and downstream, and the resulting status with the rules that fired.
// Definitions: docs/analyses.md; the Python twin is queries/diagnosis.py.
//
// @params chain region diagnosis
//
// @include scope_note

// @include chain
// @include scope carry=c
// @include diagnosis
RETURN l.id AS link_id,
       l.name AS link,
       coalesce(l.stage, COLLECT {
         MATCH path = (l)-[:PART_OF*1..]->(a:Link) WHERE a.stage IS NOT NULL
         RETURN a.stage ORDER BY length(path) LIMIT 1
       }[0]) AS stage,
       l.level AS level,
       coalesce(l.key, false) AS key,
       NOT EXISTS { MATCH (:Link)-[:PART_OF]->(l) } AS leaf,
       r.present AS present,
       r.n AS local_enterprises,
       [e IN r.ents | e {.id, .name, .revenue, .tags}] AS enterprises,
       r.revenue_sum AS revenue_sum,
       r.revenue_max AS revenue_max,
       max_share,
       [e IN r.tagged | e.name] AS strength_tagged,
       [q IN r.problems | q.type + '：' + q.name] AS open_problems,
       [pr IN r.built | pr {.id, .name, .stage, .stage_raw, .amount}] AS present_projects,
       [pr IN r.pipeline | pr {.id, .name, .stage, .amount}] AS pipeline,
       upstream_present,
       downstream_present,
       status,
       weak_rules
ORDER BY CASE stage WHEN '上游' THEN 0 WHEN '中游' THEN 1 WHEN '下游' THEN 2 ELSE 3 END, link_id;
