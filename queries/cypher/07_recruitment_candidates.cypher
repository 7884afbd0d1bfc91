// 补链招商候选企业：某一环节可以招引的企业，按招商评分排序，已在谈的加以标注
//
// 生成文件：由 templates/07_recruitment_candidates.cypher 与 fragments/ 中的片段（chain、clean、scope、region、places、local、in_scope）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for one link of the chain (none when the link carries a 招商限制): the enterprises
// in the link or a sub-link from outside the province (with $region and
// $recruit_province_firms, also those of the province outside the region), minus those that
// already have a project of the chain in scope at 签约 or later ($recruit_excluded_stages);
// those in talks (在谈) stay, flagged in `pipeline_stage`.
// Score, as in queries/recruitment.py, a weighted mean of: scale = ln(1 + revenue in the
// link) ÷ ln(1 + the largest candidate's), the revenue in the link being its 分环节营收 there
// when given, else its whole revenue; standing = the best of its tags' points; proximity = 1
// when it already SUPPLIES or INVESTS_IN a local enterprise of the chain in scope; affinity =
// 1 when its region contains a place of a configured source region. `score_100` and `grade`
// (推荐度 A/B/C) read the score out of 100; `main_business` says whether the link is the
// firm's main business (a 主要产品 names it, or its 分环节营收 there is at least
// $recruit_main_share of its revenue).
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
// @param recruit_main_share         称“主营”某环节：该环节占企业营收的比例至少为该值（或主要产品即该环节；默认 0.5）
// @param recruit_province_firms     市、县、园区范围：省内其他地区的企业也作为招商对象（默认否，另列为省内协同配套；默认 false）
// @param recruit_grade_a            推荐度 A（重点推荐）的最低评分（0–100 分；默认 70）
// @param recruit_grade_b            推荐度 B（推荐）的最低评分（0–100 分）；其下为 C（可关注；默认 50）
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
WHERE (target.id = link_text OR target.name = link_text)
  AND coalesce(target.recruit_restriction, '') = ''
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
  AND ($recruit_province_firms OR coalesce(e.local, false) = false)
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
     // its figures in the links of the target's subtree it is in
     COLLECT {
       MATCH (e)-[f:IN_LINK]->(x:Link)-[:PART_OF*0..]->(target)
       RETURN {name: x.name, revenue: f.revenue, share: f.share}
     } AS mine,
     COLLECT {
       MATCH (e)-[:SUPPLIES|INVESTS_IN]->(x:Enterprise)
       WHERE x <> e AND x.id IN local_chain
       RETURN DISTINCT x.name
     } AS partners,
     [name IN keys($recruit_source_regions)
      WHERE any(place IN $recruit_source_regions[name] WHERE place <> '' AND e.region CONTAINS place)] AS affinities
WITH target, e, talks, partners, affinities, mine,
     [x IN mine WHERE x.revenue IS NOT NULL | x.revenue] AS parts
WITH target, collect({
       e: e, talks: talks, partners: partners, affinity: head(affinities), mine: mine,
       size: coalesce(CASE WHEN size(parts) > 0 THEN reduce(s = 0.0, v IN parts | s + v) ELSE e.revenue END, 0.0)
     }) AS pool
WITH target, pool,
     reduce(m = 0.0, r IN pool | CASE WHEN r.size > m THEN r.size ELSE m END) AS top_size
UNWIND pool AS r
WITH target, r, r.e AS e,
     CASE WHEN top_size > 0 THEN log(1 + r.size) / log(1 + top_size) ELSE 0.0 END AS scale,
     reduce(best = 0.0, t IN coalesce(r.e.tags, []) |
       CASE WHEN coalesce($recruit_standing_points[t], 0.0) > best
            THEN toFloat($recruit_standing_points[t]) ELSE best END) AS standing,
     CASE WHEN size(r.partners) > 0 THEN 1.0 ELSE 0.0 END AS proximity,
     CASE WHEN r.affinity IS NULL THEN 0.0 ELSE 1.0 END AS affinity,
     // the link's share of its revenue: the stated share, else revenue in the link ÷ revenue
     reduce(s = 0.0, x IN r.mine | s + coalesce(x.share,
       CASE WHEN x.revenue IS NOT NULL AND coalesce(r.e.revenue, 0.0) <> 0.0 THEN x.revenue / r.e.revenue END,
       0.0)) AS main_share,
     any(x IN r.mine WHERE any(product IN coalesce(r.e.products, []) WHERE product CONTAINS x.name)) AS named
WITH target, r, e, scale, standing, proximity, affinity, main_share, named,
     round((
       $recruit_weight_scale * scale + $recruit_weight_standing * standing
       + $recruit_weight_proximity * proximity + $recruit_weight_affinity * affinity
     ) / ($recruit_weight_scale + $recruit_weight_standing + $recruit_weight_proximity
          + $recruit_weight_affinity), 4) AS score
WITH target, r, e, scale, standing, proximity, affinity, main_share, named, score,
     toInteger(round(score * 100, 0, 'HALF_EVEN')) AS score_100
RETURN target.id AS link_id,
       target.name AS link,
       e.id AS enterprise_id,
       e.name AS enterprise,
       e.region AS region,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       score,
       score_100,
       CASE WHEN score_100 >= $recruit_grade_a THEN 'A'
            WHEN score_100 >= $recruit_grade_b THEN 'B'
            ELSE 'C' END AS grade,
       named OR main_share >= $recruit_main_share AS main_business,
       round(main_share, 4) AS main_share,
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
