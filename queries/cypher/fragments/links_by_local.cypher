// The links of every chain at once, after scope.cypher with nothing carried: what
// diagnosis_links.cypher binds for each chain c, one row per chain. The local enterprises are
// gathered once from the local side (Enterprise.local is indexed: the local firms, then their
// IN_LINK, grouped by link) instead of expanding every IN_LINK of every link, most of which
// come from firms outside the province; a link without a local firm gets none.

CALL (whole, places) {
  MATCH (e:Enterprise)
  WHERE {{local node=e}}
  MATCH (e)-[f:IN_LINK]->(l:Link)
  RETURN l, {e: e, id: e.id, name: e.name, own: e.revenue, tags: e.tags, part: f.revenue} AS m
  UNION ALL
  MATCH (l:Link)
  RETURN l, null AS m
}
// each link once, with its own local enterprises (collect leaves out the nulls)
WITH whole, places, l, collect(m) AS direct
MATCH (c:Chain)-[:HAS_LINK]->(l)
// its sub-links and itself (the roll-up) and its own projects in scope
WITH c, whole, places, l, direct,
// @include link_roll_up
