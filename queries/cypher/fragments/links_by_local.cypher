// The links of every chain at once, after scope.cypher with nothing carried: what
// diagnosis_links.cypher binds for each chain c, one row per chain. The local enterprises are
// gathered once from the local side (Enterprise.local is indexed: the local firms, then their
// IN_LINK, grouped by link) instead of expanding every IN_LINK of every link, most of which
// come from firms outside the province; a link without a local firm gets none. Each link's
// projects are only those of $present_project_stages (built): what diagnosis_rules.cypher then
// binds as r.projects and r.pipeline is not the link's whole list, r.built and the status are.

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
// its sub-links and itself (the roll-up) and its own projects in scope that make it present
// (a stage of $present_project_stages): 04 lists no projects, and the stage filter spares a map
// for each of the many planned projects
WITH c, whole, places, l, direct,
     COLLECT { MATCH (x:Link)-[:PART_OF*0..]->(l) RETURN x.id } AS subtree,
     COLLECT {
       MATCH (l)<-[:FILLS]-(pr:Project)
       WHERE pr.stage IN $present_project_stages AND {{in_scope node=pr}}
       RETURN {pr: pr, stage: pr.stage}
     } AS direct_projects
WITH c, whole, places,
     collect({link: l, id: l.id, subtree: subtree, direct: direct, projects: direct_projects}) AS chain_links
