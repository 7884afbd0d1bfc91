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
// @params chain region link recruit top

// @include chain
// @include scope carry=c
// the target link, by id or name (queries/scope.find_link)
WITH c, whole, places, {{clean text=$link}} AS link_text
MATCH (c)-[:HAS_LINK]->(target:Link)
WHERE target.id = link_text OR target.name = link_text
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
