// 补链招商候选企业：某一环节可以招引的企业，按招商评分排序，已在谈的加以标注
//
// Answers, for one link of the chain: the enterprises in the link or a sub-link that are not
// local to the scope (outside the province, or, with $region, also those of the province
// outside it), minus those that already have a project of the chain in scope at 签约 or later
// ($recruit_excluded_stages); those in talks (在谈) stay, flagged in `pipeline_stage`.
// Score, as in queries/recruitment.py, a weighted mean of: scale = ln(1 + revenue) ÷
// ln(1 + the link's largest candidate revenue); standing = the best of its tags' points;
// proximity = 1 when it already SUPPLIES or INVESTS_IN a local enterprise of the chain in
// scope; affinity = 1 when its region contains a place of a configured source region.
//
// @param chain                     产业链：名称或标识
// @param region                    地区或园区：名称、全称路径或标识；null = 全省
// @param link                      目标环节：名称或标识，如 '隔膜'、'link:锂电新能源/隔膜'
// @param recruit_excluded_stages   已有该阶段项目的企业不再列入（默认 ['签约','开工','在建','投产']）
// @param recruit_flagged_stages    保留但标注的项目阶段（默认 ['在谈']）
// @param recruit_standing_points   企业地位得分（默认 {世界500强: 1.0, 中国500强: 0.8, 民营500强: 0.7, 上市/龙头/链主/领航企业/单项冠军: 0.6, 专精特新小巨人/独角兽: 0.5}，取最高）
// @param recruit_source_regions    招商来源地区：名称 → 地名列表（默认 粤港澳、长三角、京津冀，见 queries/params.py）
// @param recruit_weight_scale      权重：规模（默认 0.35）
// @param recruit_weight_standing   权重：企业地位（默认 0.25）
// @param recruit_weight_proximity  权重：已有本地合作（默认 0.25）
// @param recruit_weight_affinity   权重：来源地区（默认 0.15）
// @param top                       最多列出的候选企业数（默认 20）

MATCH (c:Chain)
WHERE c.id = $chain OR c.name = $chain
OPTIONAL MATCH (scope:Region|Park)
WHERE scope.id = $region OR scope.name = $region OR scope.id ENDS WITH ':' + $region
   OR $region IN coalesce(scope.aliases, [])
WITH c, collect(scope) AS scopes
WHERE $region IS NULL OR size(scopes) = 1
WITH c, scopes,
     $region IS NULL
     OR any(s IN scopes WHERE s:Region AND s.level = '省' AND NOT EXISTS { (s)-[:PART_OF]->(:Region) }) AS whole
WITH c, whole,
     COLLECT {
       UNWIND scopes AS s
       MATCH (p:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(s)
       RETURN DISTINCT p.id
     } AS places
MATCH (c)-[:HAS_LINK]->(target:Link)
WHERE target.id = $link OR target.name = $link
// the chain's local enterprises in scope (for proximity)
WITH c, whole, places, target,
     COLLECT {
       MATCH (x:Enterprise)-[:IN_LINK]->(:Link)<-[:HAS_LINK]-(c)
       WHERE x.local = true AND (whole OR EXISTS { MATCH (x)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN DISTINCT x.id
     } AS local_chain
MATCH (e:Enterprise)-[:IN_LINK]->(:Link)-[:PART_OF*0..]->(target)
WITH DISTINCT c, whole, places, target, local_chain, e
WHERE NOT (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
// its projects of this chain in scope
WITH c, target, local_chain, e,
     COLLECT {
       MATCH (pr:Project)-[:BY]->(e)
       WHERE EXISTS { MATCH (pr)-[:FILLS]->(:Link)<-[:HAS_LINK]-(c) }
         AND (whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN pr
     } AS own
WHERE none(pr IN own WHERE pr.stage IN $recruit_excluded_stages)
WITH target, e,
     [pr IN own WHERE pr.stage IN $recruit_flagged_stages] AS talks,
     COLLECT {
       MATCH (e)-[:SUPPLIES|INVESTS_IN]->(x:Enterprise)
       WHERE x <> e AND x.id IN local_chain
       RETURN DISTINCT x.name
     } AS partners,
     [name IN keys($recruit_source_regions)
      WHERE any(place IN $recruit_source_regions[name] WHERE place <> '' AND e.region CONTAINS place)] AS affinities
WITH target, collect({e: e, talks: talks, partners: partners, affinity: head(affinities)}) AS pool
WITH target, pool,
     reduce(m = 0.0, r IN pool | CASE WHEN coalesce(r.e.revenue, 0.0) > m THEN r.e.revenue ELSE m END) AS top_revenue
UNWIND pool AS r
WITH target, r, r.e AS e,
     CASE WHEN top_revenue > 0 THEN log(1 + coalesce(r.e.revenue, 0.0)) / log(1 + top_revenue) ELSE 0.0 END AS scale,
     reduce(best = 0.0, t IN coalesce(r.e.tags, []) |
       CASE WHEN coalesce($recruit_standing_points[t], 0.0) > best
            THEN toFloat($recruit_standing_points[t]) ELSE best END) AS standing,
     CASE WHEN size(r.partners) > 0 THEN 1.0 ELSE 0.0 END AS proximity,
     CASE WHEN r.affinity IS NULL THEN 0.0 ELSE 1.0 END AS affinity
RETURN target.id AS link_id,
       target.name AS link,
       e.id AS enterprise_id,
       e.name AS enterprise,
       e.region AS region,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       round((
         $recruit_weight_scale * scale + $recruit_weight_standing * standing
         + $recruit_weight_proximity * proximity + $recruit_weight_affinity * affinity
       ) / ($recruit_weight_scale + $recruit_weight_standing + $recruit_weight_proximity
            + $recruit_weight_affinity), 4) AS score,
       round(scale, 4) AS scale,
       round(standing, 4) AS standing,
       proximity,
       affinity,
       r.affinity AS source_region,
       r.partners AS local_partners,
       head([pr IN r.talks | pr.stage]) AS pipeline_stage,
       [pr IN r.talks | pr {.id, .name, .stage, .amount}] AS talks
ORDER BY score DESC, coalesce(revenue, 0.0) DESC, enterprise, enterprise_id
LIMIT $top;
