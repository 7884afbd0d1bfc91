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
// (level 省) under which local enterprises sit
OPTIONAL MATCH (province:Region {level: '省'})
WHERE size(scopes) = 0
  AND NOT EXISTS { MATCH (province)-[:PART_OF]->(:Region) }
  AND EXISTS {
    MATCH (e:Enterprise)-[:LOCATED_IN]->(:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(province)
    WHERE e.local = true
  }
WITH c, scopes, collect(province) AS provinces
WITH c, scopes + provinces AS parents
WHERE size(parents) = 1
UNWIND parents AS parent
MATCH (sub:Region)-[:PART_OF]->(parent)
// each sub-region is a scope of its own
WITH c, sub, [sub] AS scopes, false AS whole
// @include places carry=c,sub
WITH c, sub, whole, places,
     // @include chain_locals node=e as=chain_enterprises
MATCH (c)-[:HAS_LINK]->(leaf:Link)
WHERE NOT EXISTS { MATCH (:Link)-[:PART_OF]->(leaf) }
WITH sub, chain_enterprises, leaf,
     EXISTS {
       MATCH (e:Enterprise)-[:IN_LINK]->(leaf)
       WHERE {{local node=e}}
     }
     OR EXISTS {
       MATCH (pr:Project)-[:FILLS]->(leaf)
       WHERE pr.stage IN $present_project_stages AND {{in_scope node=pr}}
     } AS present
WITH sub, chain_enterprises,
     count(leaf) AS leaf_links,
     sum(CASE WHEN present THEN 1 ELSE 0 END) AS present_leaf_links,
     collect(CASE WHEN NOT present THEN leaf.name END) AS lacking
RETURN sub.id AS region_id,
       sub.name AS region,
       sub.level AS level,
       size(chain_enterprises) AS local_enterprises,
       leaf_links,
       present_leaf_links,
       round(toFloat(present_leaf_links) / leaf_links, 4) AS local_rate,
       lacking AS lacking_leaf_links
ORDER BY local_rate DESC, local_enterprises DESC, region_id;
