// 补链招商候选企业：某一环节可以招引的企业，按招商评分排序，已在谈的加以标注
//
// Answers, for one link of the chain (none when the link carries a 招商限制): the enterprises
// in the link or a sub-link from outside the province (with $region and
// $recruit_province_firms, also those of the province outside the region), minus those that
// already have a project of the chain in scope at 签约 or later ($recruit_excluded_stages);
// those in talks (在谈) stay, flagged in `pipeline_stage`.
// Score, as in queries/recruitment.py, a weighted mean of: scale = ln(1 + revenue in the
// link) ÷ ln(1 + the largest candidate's), the revenue in the link being its 分环节营收 there
// when given, else its whole revenue; standing = the best of its tags' points; proximity = 1
// when it already SUPPLIES or INVESTS_IN a local enterprise of the chain in scope; affinity =
// 1 when its region contains a place of a configured source region. `score_100` and `grade`
// (推荐度 A/B/C) read the score out of 100; `main_business` says whether the link is the
// firm's main business (a 主要产品 names it, or its 分环节营收 there is at least
// $recruit_main_share of its revenue).
//
// @params chain region link recruit top

// @include chain
// @include scope carry=c
// the target link, by id or name (queries/scope.find_link)
WITH c, whole, places, {{clean text=$link}} AS link_text
MATCH (c)-[:HAS_LINK]->(target:Link)
WHERE (target.id = link_text OR target.name = link_text)
  AND coalesce(target.recruit_restriction, '') = ''
// the chain's local enterprises in scope (for proximity)
WITH c, whole, places, target,
     COLLECT {
       MATCH (x:Enterprise)-[:IN_LINK]->(:Link)<-[:HAS_LINK]-(c)
       WHERE {{local node=x}}
       RETURN DISTINCT x.id
     } AS local_chain
MATCH (e:Enterprise)-[:IN_LINK]->(:Link)-[:PART_OF*0..]->(target)
WITH DISTINCT c, whole, places, target, local_chain, e
WHERE NOT {{local node=e}}
  AND ($recruit_province_firms OR coalesce(e.local, false) = false)
// its projects of this chain in scope
WITH c, target, local_chain, e,
     COLLECT {
       MATCH (pr:Project)-[:BY]->(e)
       WHERE EXISTS { MATCH (pr)-[:FILLS]->(:Link)<-[:HAS_LINK]-(c) }
         AND {{in_scope node=pr}}
       RETURN pr
     } AS own
WHERE none(pr IN own WHERE pr.stage IN $recruit_excluded_stages)
WITH target, e,
     [pr IN own WHERE pr.stage IN $recruit_flagged_stages] AS talks,
     // its figures in the links of the target's subtree it is in
     COLLECT {
       MATCH (e)-[f:IN_LINK]->(x:Link)-[:PART_OF*0..]->(target)
       RETURN {name: x.name, revenue: f.revenue, share: f.share}
     } AS mine,
     COLLECT {
       MATCH (e)-[:SUPPLIES|INVESTS_IN]->(x:Enterprise)
       WHERE x <> e AND x.id IN local_chain
       RETURN DISTINCT x.name
     } AS partners,
     [name IN keys($recruit_source_regions)
      WHERE any(place IN $recruit_source_regions[name] WHERE place <> '' AND e.region CONTAINS place)] AS affinities
WITH target, e, talks, partners, affinities, mine,
     [x IN mine WHERE x.revenue IS NOT NULL | x.revenue] AS parts
WITH target, collect({
       e: e, talks: talks, partners: partners, affinity: head(affinities), mine: mine,
       size: coalesce(CASE WHEN size(parts) > 0 THEN reduce(s = 0.0, v IN parts | s + v) ELSE e.revenue END, 0.0)
     }) AS pool
WITH target, pool,
     reduce(m = 0.0, r IN pool | CASE WHEN r.size > m THEN r.size ELSE m END) AS top_size
UNWIND pool AS r
WITH target, r, r.e AS e,
     CASE WHEN top_size > 0 THEN log(1 + r.size) / log(1 + top_size) ELSE 0.0 END AS scale,
     reduce(best = 0.0, t IN coalesce(r.e.tags, []) |
       CASE WHEN coalesce($recruit_standing_points[t], 0.0) > best
            THEN toFloat($recruit_standing_points[t]) ELSE best END) AS standing,
     CASE WHEN size(r.partners) > 0 THEN 1.0 ELSE 0.0 END AS proximity,
     CASE WHEN r.affinity IS NULL THEN 0.0 ELSE 1.0 END AS affinity,
     // the link's share of its revenue: the stated share, else revenue in the link ÷ revenue
     reduce(s = 0.0, x IN r.mine | s + coalesce(x.share,
       CASE WHEN x.revenue IS NOT NULL AND coalesce(r.e.revenue, 0.0) <> 0.0 THEN x.revenue / r.e.revenue END,
       0.0)) AS main_share,
     any(x IN r.mine WHERE any(product IN coalesce(r.e.products, []) WHERE product CONTAINS x.name)) AS named
WITH target, r, e, scale, standing, proximity, affinity, main_share, named,
     round((
       $recruit_weight_scale * scale + $recruit_weight_standing * standing
       + $recruit_weight_proximity * proximity + $recruit_weight_affinity * affinity
     ) / ($recruit_weight_scale + $recruit_weight_standing + $recruit_weight_proximity
          + $recruit_weight_affinity), 4) AS score
WITH target, r, e, scale, standing, proximity, affinity, main_share, named, score,
     toInteger(round(score * 100, 0, 'HALF_EVEN')) AS score_100
RETURN target.id AS link_id,
       target.name AS link,
       e.id AS enterprise_id,
       e.name AS enterprise,
       e.region AS region,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       score,
       score_100,
       CASE WHEN score_100 >= $recruit_grade_a THEN 'A'
            WHEN score_100 >= $recruit_grade_b THEN 'B'
            ELSE 'C' END AS grade,
       named OR main_share >= $recruit_main_share AS main_business,
       round(main_share, 4) AS main_share,
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
