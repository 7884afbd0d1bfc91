// 项目推进情况：一条产业链在全省或某地区的项目，按阶段汇总（储备→在谈→签约→开工→在建→投产）
//
// 生成文件：由 templates/09_project_pipeline.cypher 与 fragments/ 中的片段（chain、clean、scope、region、places、in_scope）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for each project stage: how many projects of the chain are in scope, their total
// investment (亿元), how many are 5020 projects, how many are 达产 (stored as stage 投产 with
// stage_raw 达产), and the projects themselves (largest first) with the investor and the
// links they fill. A project is the chain's when it FILLS a link of the chain or its
// `chain` property names it. Stages 签约/开工/在建 are the pipeline of the diagnosis;
// 投产 (and 达产) count as presence.
//
// @param chain                      产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'
// @param region                     地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、'宜春经开区'、'park:…'）；null 或本省 = 全省

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
// every Region and Park id in scope: the place itself and everything under it
WITH c, whole,
     COLLECT {
       UNWIND scopes AS s
       MATCH (p:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(s)
       RETURN DISTINCT p.id
     } AS places
// the chain's projects, found from the chain (its links' FILLS, and the `chain` index)
WITH c, whole, places,
     COLLECT {
       MATCH (c)-[:HAS_LINK]->(:Link)<-[:FILLS]-(pr:Project)
       RETURN pr
       UNION
       MATCH (pr:Project) WHERE pr.chain = c.id
       RETURN pr
     } AS chain_projects
UNWIND chain_projects AS pr
WITH pr, whole, places
WHERE (whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places })
WITH pr,
     COLLECT { MATCH (pr)-[:BY]->(e:Enterprise) RETURN e.name } AS investors,
     COLLECT { MATCH (pr)-[:FILLS]->(l:Link) RETURN l.name } AS links
ORDER BY coalesce(pr.amount, 0.0) DESC, pr.id
WITH coalesce(pr.stage, '未填') AS stage,
     count(pr) AS projects,
     sum(coalesce(pr.amount, 0.0)) AS amount,
     sum(CASE WHEN pr.is_5020 THEN 1 ELSE 0 END) AS projects_5020,
     sum(CASE WHEN pr.stage_raw = '达产' THEN 1 ELSE 0 END) AS at_full_output,
     collect(pr {.id, .name, .amount, .year, .region, .park, .stage_raw, investors: investors, links: links}) AS items
RETURN stage,
       projects,
       amount,
       projects_5020,
       at_full_output,
       items
ORDER BY CASE stage WHEN '储备' THEN 0 WHEN '在谈' THEN 1 WHEN '签约' THEN 2 WHEN '开工' THEN 3
                    WHEN '在建' THEN 4 WHEN '投产' THEN 5 ELSE 6 END;
