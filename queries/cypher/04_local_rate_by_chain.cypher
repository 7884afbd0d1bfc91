// 本地配套率（按产业链）：每条产业链在全省或某地区的本地配套率与强/弱/缺/断环节数
//
// Answers, for every chain: its links, its leaf links (links without sub-links), how many leaf
// links are present in scope, the 本地配套率 = present leaf links ÷ leaf links (rounded to 4
// places; 0 when a chain has no leaf link), and the number of links of each status.
// A chain without any link is not listed. The diagnosis is the one of 01_link_diagnosis.cypher.
//
// @param region                   地区或园区：名称、全称路径或标识（'宜春市'、'江西省/宜春市'、'park:…'）；null = 全省
// @param weak_min_enterprises     弱链：本地企业少于该数（默认 3）
// @param weak_min_revenue         弱链：无强势企业且本地营收合计低于该值，亿元（默认 10.0）
// @param weak_max_share           弱链：最大企业营收占比达到该值且企业两家及以上（默认 0.8）
// @param strength_tags            强势企业标签（默认 ['链主','领航企业','上市','专精特新小巨人','单项冠军','世界500强','中国500强','民营500强']）
// @param blocking_problem_types   使环节为弱链的问题类型（默认 ['卡脖子','断点']）
// @param open_problem_statuses    未销号的问题状态（默认 ['待办','办理中']）
// @param present_project_stages   计为本地配套的项目阶段（默认 ['投产']；达产存为 stage 投产、stage_raw 达产）
// @param pipeline_project_stages  在手项目阶段，只报告不计配套（默认 ['签约','开工','在建']）
//
// Scope: "local" = Enterprise.local = true and, when $region names a 市/县/park, LOCATED_IN it
// or anything under it ((Region)-[:PART_OF]->(Region), (Park)-[:LOCATED_IN]->(Region)).
// Every project lands in the province; with a region it must be located in scope too.
// A province (a Region with level 省 and no parent) as $region means the whole province.

MATCH (c:Chain)
// the scope: exactly one Region or Park (by id, name, alias or full path such as 江西省/宜春市)
OPTIONAL MATCH (scope:Region|Park)
WHERE scope.id = $region OR scope.name = $region OR scope.id ENDS WITH ':' + $region
   OR $region IN coalesce(scope.aliases, [])
WITH c, collect(scope) AS scopes
WHERE $region IS NULL OR size(scopes) = 1
WITH c, scopes,
     $region IS NULL
     OR any(s IN scopes WHERE s:Region AND s.level = '省' AND NOT EXISTS { (s)-[:PART_OF]->(:Region) }) AS whole
// every Region and Park id in scope: the place itself and everything under it
WITH c, whole,
     COLLECT {
       UNWIND scopes AS s
       MATCH (p:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(s)
       RETURN DISTINCT p.id
     } AS places
MATCH (c)-[:HAS_LINK]->(l:Link)
WITH c, whole, places, l,
     // local enterprises in the link or any sub-link (the roll-up)
     COLLECT {
       MATCH (e:Enterprise)-[:IN_LINK]->(:Link)-[:PART_OF*0..]->(l)
       WHERE e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN DISTINCT e
     } AS ents,
     // projects in scope that fill the link or any sub-link
     COLLECT {
       MATCH (pr:Project)-[:FILLS]->(:Link)-[:PART_OF*0..]->(l)
       WHERE whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places }
       RETURN DISTINCT pr
     } AS projects,
     // open blocking problems on the link itself; with a region, one that names enterprises
     // counts when one of them is in scope. A problem without status counts as 待办.
     COLLECT {
       MATCH (q:Problem)-[:AFFECTS]->(l)
       WHERE q.type IN $blocking_problem_types
         AND coalesce(q.status, '待办') IN $open_problem_statuses
         AND (whole
              OR COUNT { (q)-[:AFFECTS]->(:Enterprise) } = 0
              OR EXISTS { MATCH (q)-[:AFFECTS]->(:Enterprise)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN q
     } AS problems
WITH c, l, ents, problems, projects,
     [pr IN projects WHERE pr.stage IN $present_project_stages] AS built,
     [pr IN projects WHERE pr.stage IN $pipeline_project_stages AND NOT pr.stage IN $present_project_stages] AS pipeline,
     size(ents) AS n,
     reduce(s = 0.0, e IN ents | s + coalesce(e.revenue, 0.0)) AS revenue_sum,
     reduce(m = 0.0, e IN ents | CASE WHEN coalesce(e.revenue, 0.0) > m THEN e.revenue ELSE m END) AS revenue_max,
     [e IN ents WHERE any(t IN coalesce(e.tags, []) WHERE t IN $strength_tags)] AS tagged
WITH c, collect({
       link: l, ents: ents, n: n, revenue_sum: revenue_sum, revenue_max: revenue_max,
       tagged: tagged, problems: problems, projects: projects, built: built, pipeline: pipeline,
       present: n > 0 OR size(built) > 0
     }) AS rows
WITH c, rows, [r IN rows WHERE r.present | r.link.id] AS present_ids
UNWIND rows AS r
WITH c, r, present_ids, r.link AS l
// present links of this chain directly upstream / downstream (SUPPLIES_TO into / out of L)
WITH c, r, l,
     [(u:Link)-[:SUPPLIES_TO]->(l) WHERE u.id IN present_ids | u.name] AS upstream_present,
     [(l)-[:SUPPLIES_TO]->(d:Link) WHERE d.id IN present_ids | d.name] AS downstream_present,
     CASE WHEN r.n >= 2 AND r.revenue_sum > 0 THEN r.revenue_max / r.revenue_sum END AS max_share
WITH c, r, l, upstream_present, downstream_present, max_share,
     r.n < $weak_min_enterprises AS few,
     r.n > 0 AND size(r.tagged) = 0 AND r.revenue_sum < $weak_min_revenue AS small,
     max_share >= $weak_max_share AS concentrated,
     size(r.problems) > 0 AS blocked
WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked,
     CASE
       WHEN NOT r.present AND size(upstream_present) > 0 AND size(downstream_present) > 0 THEN 'broken'
       WHEN NOT r.present THEN 'missing'
       WHEN few OR small OR coalesce(concentrated, false) OR blocked THEN 'weak'
       ELSE 'strong'
     END AS status
WITH c, l, status, r.present AS present, NOT EXISTS { MATCH (:Link)-[:PART_OF]->(l) } AS leaf
WITH c,
     count(l) AS links,
     sum(CASE WHEN leaf THEN 1 ELSE 0 END) AS leaf_links,
     sum(CASE WHEN leaf AND present THEN 1 ELSE 0 END) AS present_leaf_links,
     sum(CASE status WHEN 'strong' THEN 1 ELSE 0 END) AS strong,
     sum(CASE status WHEN 'weak' THEN 1 ELSE 0 END) AS weak,
     sum(CASE status WHEN 'missing' THEN 1 ELSE 0 END) AS missing,
     sum(CASE status WHEN 'broken' THEN 1 ELSE 0 END) AS broken
RETURN c.id AS chain_id,
       c.name AS chain,
       c.industry AS industry,
       links,
       leaf_links,
       present_leaf_links,
       CASE WHEN leaf_links > 0 THEN round(toFloat(present_leaf_links) / leaf_links, 4) ELSE 0.0 END AS local_rate,
       strong,
       weak,
       missing,
       broken
ORDER BY local_rate DESC, chain;
