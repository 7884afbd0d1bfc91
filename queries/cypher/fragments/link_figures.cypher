// The links of every chain at once, after scope.cypher with nothing carried: per link, the
// counts diagnosis_rules.cypher judges by, one row per chain (c and rows: one map per link with
// link, n, n_known, link_revenue_sum, link_revenue_max, n_tagged, n_problems and present), the
// same figures diagnosis_facts.cypher gives, without the lists 04 does not show.
//
// The local firms are read once, from the local side (Enterprise.local is indexed), with their
// IN_LINK grouped by link, so that each link's ancestors (PART_OF*0..) are found once per link,
// not once per membership. A firm counts once in a link: its memberships are then grouped by
// firm. When they lie in different link trees (different roots, as for most firms), each
// membership counts as it is in its link and every link above it, with the firm's 分环节营收
// there or else its whole revenue, and is summed per link, then rolled up to the ancestors;
// only a firm with two memberships under one root has its revenue in each shared ancestor
// worked out link by link (the sum of its 分环节营收 in that subtree, as diagnosis_facts does).
// A link holds a built project when one of $present_project_stages in scope fills it or a
// sub-link. Sub-links are those of the link's own chain, as the loader places them.

CALL (whole, places) {
  MATCH (e:Enterprise)
  WHERE {{local node=e}}
  // IN_LINK always ends at a Link (graph_schema): no label test on x
  MATCH (e)-[f:IN_LINK]->(x)
  WITH x, collect([e, f.revenue]) AS members
  // x and every link above it, and the top one (the root of its tree: one parent a link)
  WITH x, members, [(x)-[:PART_OF*0..]->(a:Link) | a] AS ups
  WITH x, members, ups, [a IN ups WHERE NOT EXISTS { (a)-[:PART_OF]->(:Link) }][0] AS root
  UNWIND members AS m
  // per firm: its memberships, each [分环节营收, links above, root, link]
  WITH m[0] AS e, collect([m[1], ups, root, x]) AS ms
  WITH e.revenue AS own, any(t IN coalesce(e.tags, []) WHERE t IN $strength_tags) AS strong, ms
  WITH own, strong, ms,
       all(i IN range(1, size(ms) - 1) WHERE none(j IN range(0, i - 1) WHERE ms[i][2] = ms[j][2])) AS apart
  // rows [link, the firm's revenue there, the links it rolls up to]: one a membership when the
  // firm's memberships are in different trees, else one for each link above any of them
  UNWIND CASE WHEN apart THEN [m IN ms | [m[3], coalesce(m[0], own), m[1]]]
         ELSE [a IN reduce(seen = [], a IN reduce(above = [], m IN ms | above + m[1]) |
                           CASE WHEN a IN seen THEN seen ELSE seen + a END) |
               [a,
                CASE WHEN any(m IN ms WHERE a IN m[1] AND m[0] IS NOT NULL)
                     THEN reduce(s = 0.0, m IN ms | CASE WHEN a IN m[1] AND m[0] IS NOT NULL THEN s + m[0] ELSE s END)
                     ELSE own END,
                [a]]]
         END AS row
  // the firms whose revenue in the link is known (and not zero): the concentration rule
  WITH row[0] AS l, row[2] AS ups, strong, CASE WHEN row[1] <> 0.0 THEN row[1] END AS known
  WITH ups, count(*) AS n, count(known) AS n_known, sum(known) AS revenue, max(known) AS top,
       count(CASE WHEN strong THEN 1 END) AS n_tagged
  UNWIND ups AS l
  RETURN l, n, n_known, revenue, top, n_tagged
  UNION ALL
  MATCH (l:Link)
  RETURN l, 0 AS n, 0 AS n_known, 0.0 AS revenue, null AS top, 0 AS n_tagged
}
WITH whole, places, l, sum(n) AS n, sum(n_known) AS n_known, sum(revenue) AS revenue, max(top) AS top,
     sum(n_tagged) AS n_tagged
MATCH (c:Chain)-[:HAS_LINK]->(l)
WITH c, l, n, n_known, revenue, top, n_tagged,
     n > 0 OR EXISTS {
       MATCH (x:Link)-[:PART_OF*0..]->(l)
       MATCH (x)<-[:FILLS]-(pr:Project)
       WHERE pr.stage IN $present_project_stages AND {{in_scope node=pr}}
     } AS present,
     COUNT {
       // @include open_problems
     } AS n_problems
WITH c, collect({
       link: l, n: n, n_known: n_known, link_revenue_sum: revenue,
       link_revenue_max: CASE WHEN top > 0.0 THEN top ELSE 0.0 END,
       n_tagged: n_tagged, n_problems: n_problems, present: present
     }) AS rows
