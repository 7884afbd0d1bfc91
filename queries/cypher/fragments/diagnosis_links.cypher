// The links of chain c, after scope.cypher (the first part of diagnosis.cypher): per link, its
// sub-links and itself (the roll-up), its own local enterprises, each with its 分环节营收 there,
// and its own projects in scope. Binds c, whole, places and chain_links (one map per link:
// link, id, subtree, direct, projects).

MATCH (c)-[:HAS_LINK]->(l:Link)
// each link of the chain once: its sub-links and itself (the roll-up), its own local
// enterprises, each with its 分环节营收 there, and its own projects in scope
WITH c, whole, places, l,
     COLLECT {
       MATCH (l)<-[f:IN_LINK]-(e:Enterprise)
       WHERE {{local node=e}}
       RETURN {e: e, id: e.id, name: e.name, own: e.revenue, tags: e.tags, part: f.revenue}
     } AS direct,
// @include link_roll_up
