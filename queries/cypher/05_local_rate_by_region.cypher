// 本地配套率（按地区）：一条产业链在某地区的各下级地区（全省各市、某市各县）的本地配套率
//
// 生成文件：由 templates/05_local_rate_by_region.cypher 与 fragments/ 中的片段（chain、clean、region）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for each region directly under $region (the 市 of the province, or the 县 of a 市):
// the chain's leaf links (links without sub-links), how many are present there (a local
// enterprise in the link, or a project at 投产/达产 filling it, located in that region or
// anything under it, parks included), the 本地配套率 = present ÷ leaf links (4 places), the
// chain's local enterprises there, and the leaf links it lacks. Same definitions as
// 01_link_diagnosis.cypher; the Python twin is diagnose(snap, chain, region)["summary"].
//
// @param chain                      产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'
// @param region                   上级地区：名称、全称路径或标识，比较其下一级地区；null = 本省（各设区市）
// @param present_project_stages     计为本地配套的项目阶段（达产记为投产；默认 ['投产']）

// the chain: by id, name, industry alias or unique prefix (as chainkg resolves it)
WITH CASE WHEN trim(coalesce($chain, '')) = '' THEN null ELSE reduce(s = '', w IN split(replace(replace(replace(normalize($chain, NFKC), '\t', ' '), '\n', ' '), '\r', ' '), ' ') | CASE WHEN w = '' THEN s WHEN s = '' THEN w ELSE s + ' ' + w END) END AS chain_text
WITH COLLECT { MATCH (c:Chain) WHERE c.id IN [chain_text, 'chain:' + chain_text] RETURN c } AS by_id,
     COLLECT { MATCH (c:Chain) WHERE c.name = chain_text RETURN c } AS by_name,
     COLLECT {
       MATCH (c:Chain)
       WHERE chain_text IN coalesce({`有色金属`: ['有色', '有色产业'], `装备制造`: ['装备制造业', '装备'], `石化`: ['石化产业', '石化化工'], `建材`: ['建材产业'], `纺织`: ['纺织服装'], `食品`: ['食品产业'], `汽车`: ['汽车产业', '汽车制造'], `航空`: ['航空产业'], `移动物联网`: ['物联网'], `虚拟现实`: ['VR'], `半导体照明`: ['LED'], `锂电新能源`: ['锂电'], `光伏新能源`: ['光伏']}[c.name], [])
       RETURN c
     } AS by_alias,
     COLLECT { MATCH (c:Chain) WHERE c.name STARTS WITH chain_text RETURN c } AS by_prefix
UNWIND CASE
         WHEN size(by_id) > 0 THEN by_id[0..1]
         WHEN size(by_name) > 0 THEN by_name[0..1]
         WHEN size(by_alias) > 0 THEN by_alias[0..1]
         WHEN size(by_prefix) = 1 THEN by_prefix
         ELSE []
       END AS c
// the scope: one Region or Park by id, name, alias, full path, park abbreviation or short name
WITH c, CASE WHEN trim(coalesce($region, '')) = '' THEN null ELSE reduce(s = '', w IN split(replace(replace(replace(normalize($region, NFKC), '\t', ' '), '\n', ' '), '\r', ' '), ' ') | CASE WHEN w = '' THEN s WHEN s = '' THEN w ELSE s + ' ' + w END) END AS region_text
WITH c, region_text,
     reduce(k = replace(coalesce(region_text, ''), ' ', ''), a IN [['经开区', '经济技术开发区'], ['高新区', '高新技术产业开发区'], ['高新技术开发区', '高新技术产业开发区'], ['工业园区', '工业园']] |
       CASE WHEN k ENDS WITH a[0] THEN left(k, size(k) - size(a[0])) + a[1] ELSE k END) AS park_key
WITH c, region_text,
     COLLECT { MATCH (p:Region|Park) WHERE p.id = region_text RETURN p } AS by_id,
     COLLECT {
       MATCH (p:Region|Park)
       WHERE p.name = region_text OR region_text IN coalesce(p.aliases, []) OR p.id ENDS WITH ':' + region_text
       RETURN p
     } AS by_name,
     COLLECT { MATCH (p:Park) WHERE p.id = 'park:' + park_key RETURN p } AS by_park_key,
     COLLECT { MATCH (p:Region) WHERE left(p.name, size(p.name) - 1) = region_text RETURN p } AS by_short_name
WITH c, region_text IS NULL AS everywhere,
     CASE
       WHEN size(by_id) > 0 THEN by_id
       WHEN size(by_name) > 0 THEN by_name
       WHEN size(by_park_key) > 0 THEN by_park_key
       ELSE by_short_name
     END AS scopes
WHERE everywhere OR size(scopes) = 1
WITH c, scopes,
     everywhere
     OR any(s IN scopes WHERE s:Region AND s.level = '省' AND NOT EXISTS { (s)-[:PART_OF]->(:Region) }) AS whole
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
