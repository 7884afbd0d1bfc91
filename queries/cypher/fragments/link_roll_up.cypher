// The rest of one link's row, inside a WITH that binds c, whole, places, l and direct (its own
// local enterprises): its sub-links and itself (the roll-up) and its own projects in scope;
// then one row per chain. Binds c, whole, places and chain_links (one map per link: link, id,
// subtree, direct, projects).

     COLLECT { MATCH (x:Link)-[:PART_OF*0..]->(l) RETURN x.id } AS subtree,
     COLLECT {
       MATCH (l)<-[:FILLS]-(pr:Project)
       WHERE {{in_scope node=pr}}
       RETURN {pr: pr, stage: pr.stage}
     } AS direct_projects
WITH c, whole, places,
     collect({link: l, id: l.id, subtree: subtree, direct: direct, projects: direct_projects}) AS chain_links
