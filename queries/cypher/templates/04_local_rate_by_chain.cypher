// 本地配套率（按产业链）：每条产业链在全省或某地区的本地配套率与强/弱/缺/断环节数
//
// Answers, for every chain: its links, its leaf links (links without sub-links), how many leaf
// links are present in scope, the 本地配套率 = present leaf links ÷ leaf links (rounded to 4
// places; 0 when a chain has no leaf link), and the number of links of each status.
// A chain without any link is not listed. The diagnosis is the one of 01_link_diagnosis.cypher
// (a link's pipeline projects do not change its status, so 04 takes no pipeline stages).
//
// @params region weak_min_enterprises weak_min_revenue weak_max_share weak_share_min_known
// @params strength_tags blocking_problem_types open_problem_statuses present_project_stages
//
// @include scope_note

// @include scope carry=
// @include link_figures
// @include diagnosis_rules
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
