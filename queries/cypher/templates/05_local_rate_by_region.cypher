// 本地配套率（按地区）：一条产业链在某地区的各下级地区（全省各市、某市各县）的本地配套率
//
// Answers, for each region directly under $region (the 市 of the province, or the 县 of a 市):
// the chain's leaf links (links without sub-links), how many are present there (a local
// enterprise in the link, or a project at 投产/达产 filling it, located in that region or
// anything under it, parks included), the 本地配套率 = present ÷ leaf links (4 places), the
// chain's local enterprises there, and the leaf links it lacks. Same definitions as
// 01_link_diagnosis.cypher; the Python twin is diagnose(snap, chain, region)["summary"].
//
// @param chain
// @param region                   上级地区：名称、全称路径或标识，比较其下一级地区；null = 本省（各设区市）
// @param present_project_stages

// @include chain
// @include region carry=c
// the parent: the place $region names, or with no $region the province, the top Region
// (level 省) under which local enterprises sit (found upward from the local enterprises' places)
WITH c, scopes,
     COLLECT {
       MATCH (e:Enterprise)-[:LOCATED_IN]->(place:Region|Park)
       WHERE size(scopes) = 0 AND e.local = true
       WITH DISTINCT place
       MATCH (place)-[:LOCATED_IN|PART_OF*0..]->(province:Region {level: '省'})
       WHERE NOT EXISTS { MATCH (province)-[:PART_OF]->(:Region) }
       RETURN DISTINCT province
     } AS provinces
WITH c, scopes + provinces AS parents
WHERE size(parents) = 1
UNWIND parents AS parent
// once for the chain: its local enterprises and its projects at $present_project_stages
// filling one of its links, each with the links it is in and every place it sits in or under
// (its own places and all above them); a sub-region's scope is then a look-up
WITH c, parent,
     COLLECT {
       MATCH (e:Enterprise)-[:IN_LINK]->(:Link)<-[:HAS_LINK]-(c)
       WHERE e.local = true
       WITH DISTINCT e
       RETURN {
         links: COLLECT { MATCH (e)-[:IN_LINK]->(x:Link) RETURN x.id },
         above: COLLECT { MATCH (e)-[:LOCATED_IN]->(:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(a) RETURN DISTINCT a.id }
       }
     } AS firms,
     COLLECT {
       MATCH (c)-[:HAS_LINK]->(:Link)<-[:FILLS]-(pr:Project)
       WHERE pr.stage IN $present_project_stages
       WITH DISTINCT pr
       RETURN {
         links: COLLECT { MATCH (pr)-[:FILLS]->(x:Link) RETURN x.id },
         above: COLLECT { MATCH (pr)-[:LOCATED_IN]->(:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(a) RETURN DISTINCT a.id }
       }
     } AS built
// each region directly under the parent is a scope of its own
MATCH (sub:Region)-[:PART_OF]->(parent)
WITH c, sub,
     [x IN firms WHERE sub.id IN x.above] AS here,
     [x IN built WHERE sub.id IN x.above] AS built_here
WITH c, sub, size(here) AS local_enterprises,
     reduce(s = [], x IN here + built_here | s + x.links) AS present_links
MATCH (c)-[:HAS_LINK]->(leaf:Link)
WHERE NOT EXISTS { MATCH (:Link)-[:PART_OF]->(leaf) }
WITH sub, local_enterprises, leaf, leaf.id IN present_links AS present
WITH sub, local_enterprises,
     count(leaf) AS leaf_links,
     sum(CASE WHEN present THEN 1 ELSE 0 END) AS present_leaf_links,
     collect(CASE WHEN NOT present THEN leaf.name END) AS lacking
RETURN sub.id AS region_id,
       sub.name AS region,
       sub.level AS level,
       local_enterprises,
       leaf_links,
       present_leaf_links,
       round(toFloat(present_leaf_links) / leaf_links, 4) AS local_rate,
       lacking AS lacking_leaf_links
ORDER BY local_rate DESC, local_enterprises DESC, region_id;
