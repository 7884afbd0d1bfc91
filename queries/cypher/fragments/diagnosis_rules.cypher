// The status of every link of chain c from its rows (the last part of diagnosis.cypher, after
// diagnosis_facts.cypher or link_figures.cypher): the present links up- and downstream, the
// weak rules and the status. Each row holds link, present, n, n_known, link_revenue_sum,
// link_revenue_max, n_tagged and n_problems. Binds c, r, l, upstream_present,
// downstream_present, max_share, few, small, concentrated, blocked and status.

WITH c, rows, [r IN rows WHERE r.present | r.link.id] AS present_ids
UNWIND rows AS r
WITH c, r, present_ids, r.link AS l
// present links of this chain directly upstream / downstream (SUPPLIES_TO into / out of L)
WITH c, r, l,
     [(u:Link)-[:SUPPLIES_TO]->(l) WHERE u.id IN present_ids | u.name] AS upstream_present,
     [(l)-[:SUPPLIES_TO]->(d:Link) WHERE d.id IN present_ids | d.name] AS downstream_present,
     // the largest firm's share of the known revenue in the link, judged only when at least
     // two firms' revenue is known and they are $weak_share_min_known of the link's firms
     CASE WHEN r.n >= 2 AND r.n_known >= 2 AND r.n_known >= $weak_share_min_known * r.n
          THEN r.link_revenue_max / r.link_revenue_sum END AS max_share
WITH c, r, l, upstream_present, downstream_present, max_share,
     r.n < $weak_min_enterprises AS few,
     r.n > 0 AND r.n_tagged = 0 AND r.link_revenue_sum < $weak_min_revenue AS small,
     max_share >= $weak_max_share AS concentrated,
     r.n_problems > 0 AS blocked
WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked,
     CASE
       WHEN NOT r.present AND size(upstream_present) > 0 AND size(downstream_present) > 0 THEN 'broken'
       WHEN NOT r.present THEN 'missing'
       WHEN few OR small OR coalesce(concentrated, false) OR blocked THEN 'weak'
       ELSE 'strong'
     END AS status
