// 补链招商候选企业：某一环节可以招引的企业，按招商评分排序，已在谈的加以标注
//
// 生成文件：由 templates/07_recruitment_candidates.cypher 与 fragments/ 中的片段（chain、clean、scope、region、places、local、in_scope）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for one link of the chain: the enterprises in the link or a sub-link that are not
// local to the scope (outside the province, or, with $region, also those of the province
// outside it), minus those that already have a project of the chain in scope at 签约 or later
// ($recruit_excluded_stages); those in talks (在谈) stay, flagged in `pipeline_stage`.
// Score, as in queries/recruitment.py, a weighted mean of: scale = ln(1 + revenue) ÷
// ln(1 + the link's largest candidate revenue); standing = the best of its tags' points;
// proximity = 1 when it already SUPPLIES or INVESTS_IN a local enterprise of the chain in
// scope; affinity = 1 when its region contains a place of a configured source region.
//
// @param chain                      产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'
// @param region                     地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、'宜春经开区'、'park:…'）；null 或本省 = 全省
// @param link                       目标环节：名称或标识，如 '隔膜'、'link:锂电新能源/隔膜'
// @param recruit_weight_scale       招商评分权重：规模（默认 0.35）
// @param recruit_weight_standing    招商评分权重：企业地位（默认 0.25）
// @param recruit_weight_proximity   招商评分权重：已有本地合作（默认 0.25）
// @param recruit_weight_affinity    招商评分权重：来源地区（默认 0.15）
// @param recruit_standing_points    招商评分：各企业标签的地位得分（取最高；默认 {`世界500强`: 1.0, `中国500强`: 0.8, `民营500强`: 0.7, `上市`: 0.6, `龙头`: 0.6, `链主`: 0.6, `领航企业`: 0.6, `单项冠军`: 0.6, `专精特新小巨人`: 0.5, `独角兽`: 0.5}）
// @param recruit_source_regions     招商来源地区：名称 → 所在地区中出现的地名（默认 {`粤港澳`: ['广东', '香港', '澳门', '深圳', '广州', '珠海', '佛山', '东莞', '惠州', '中山', '江门', '肇庆'], `长三角`: ['上海', '江苏', '浙江', '安徽', '南京', '苏州', '无锡', '常州', '杭州', '宁波', '合肥'], `京津冀`: ['北京', '天津', '河北', '石家庄', '雄安']}）
// @param recruit_excluded_stages    已有该阶段项目的候选企业不再列入（默认 ['签约', '开工', '在建', '投产']）
// @param recruit_flagged_stages     保留但标注的项目阶段（默认 ['在谈']）
// @param top                        最多列出的条数（默认 20）

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
// the target link, by id or name (queries/scope.find_link)
WITH c, whole, places, CASE WHEN trim(coalesce($link, '')) = '' THEN null ELSE reduce(s = '', w IN split(replace(replace(replace(normalize($link, NFKC), '\t', ' '), '\n', ' '), '\r', ' '), ' ') | CASE WHEN w = '' THEN s WHEN s = '' THEN w ELSE s + ' ' + w END) END AS link_text
MATCH (c)-[:HAS_LINK]->(target:Link)
WHERE target.id = link_text OR target.name = link_text
// the chain's local enterprises in scope (for proximity)
WITH c, whole, places, target,
     COLLECT {
       MATCH (x:Enterprise)-[:IN_LINK]->(:Link)<-[:HAS_LINK]-(c)
       WHERE (x.local = true AND (whole OR EXISTS { MATCH (x)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
       RETURN DISTINCT x.id
     } AS local_chain
MATCH (e:Enterprise)-[:IN_LINK]->(:Link)-[:PART_OF*0..]->(target)
WITH DISTINCT c, whole, places, target, local_chain, e
WHERE NOT (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
// its projects of this chain in scope
WITH c, target, local_chain, e,
     COLLECT {
       MATCH (pr:Project)-[:BY]->(e)
       WHERE EXISTS { MATCH (pr)-[:FILLS]->(:Link)<-[:HAS_LINK]-(c) }
         AND (whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN pr
     } AS own
WHERE none(pr IN own WHERE pr.stage IN $recruit_excluded_stages)
WITH target, e,
     [pr IN own WHERE pr.stage IN $recruit_flagged_stages] AS talks,
     COLLECT {
       MATCH (e)-[:SUPPLIES|INVESTS_IN]->(x:Enterprise)
       WHERE x <> e AND x.id IN local_chain
       RETURN DISTINCT x.name
     } AS partners,
     [name IN keys($recruit_source_regions)
      WHERE any(place IN $recruit_source_regions[name] WHERE place <> '' AND e.region CONTAINS place)] AS affinities
WITH target, collect({e: e, talks: talks, partners: partners, affinity: head(affinities)}) AS pool
WITH target, pool,
     reduce(m = 0.0, r IN pool | CASE WHEN coalesce(r.e.revenue, 0.0) > m THEN r.e.revenue ELSE m END) AS top_revenue
UNWIND pool AS r
WITH target, r, r.e AS e,
     CASE WHEN top_revenue > 0 THEN log(1 + coalesce(r.e.revenue, 0.0)) / log(1 + top_revenue) ELSE 0.0 END AS scale,
     reduce(best = 0.0, t IN coalesce(r.e.tags, []) |
       CASE WHEN coalesce($recruit_standing_points[t], 0.0) > best
            THEN toFloat($recruit_standing_points[t]) ELSE best END) AS standing,
     CASE WHEN size(r.partners) > 0 THEN 1.0 ELSE 0.0 END AS proximity,
     CASE WHEN r.affinity IS NULL THEN 0.0 ELSE 1.0 END AS affinity
RETURN target.id AS link_id,
       target.name AS link,
       e.id AS enterprise_id,
       e.name AS enterprise,
       e.region AS region,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       round((
         $recruit_weight_scale * scale + $recruit_weight_standing * standing
         + $recruit_weight_proximity * proximity + $recruit_weight_affinity * affinity
       ) / ($recruit_weight_scale + $recruit_weight_standing + $recruit_weight_proximity
            + $recruit_weight_affinity), 4) AS score,
       round(scale, 4) AS scale,
       round(standing, 4) AS standing,
       proximity,
       affinity,
       r.affinity AS source_region,
       r.partners AS local_partners,
       head([pr IN r.talks | pr.stage]) AS pipeline_stage,
       [pr IN r.talks | pr {.id, .name, .stage, .amount}] AS talks
ORDER BY score DESC, coalesce(revenue, 0.0) DESC, enterprise, enterprise_id
LIMIT $top;
