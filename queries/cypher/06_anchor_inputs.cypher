// 链主指数的输入：本链本地企业的规模、环节覆盖、本地供货伙伴、认定身份（PageRank 除外）
//
// 生成文件：由 templates/06_anchor_inputs.cypher 与 fragments/ 中的片段（chain、clean、scope、region、places、local）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for each local enterprise of the chain in scope (an enterprise with IN_LINK to a
// link of the chain): its revenue and tags, the chain links it is in, its distinct local
// partners through SUPPLIES either way (any chain; local and in scope), its in- and
// out-degree in the chain's supply network (the graph PageRank runs on), and the four
// components of the 链主指数 that need no graph algorithm, each in [0, 1] as in
// queries/anchors.py: scale = revenue ÷ the largest, breadth = its links ÷ the chain's links,
// pull = partners ÷ the most any has, standing = the best of its tags' points.
// `index_without_centrality` is the 链主指数 with the centrality term left out, a lower bound:
// the centrality component (PageRank) needs Neo4j GDS, which the compose service does not
// have — chainkg's Python (`chainkg anchors`, queries/anchors.py) computes it with networkx.
// Enterprises carrying $anchor_designated_tag (officially designated 链主) come first, marked
// `designated`, as in the Python ranking.
//
// @param chain                      产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'
// @param region                     地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、'宜春经开区'、'park:…'）；null 或本省 = 全省
// @param anchor_weight_scale        链主指数权重：规模（默认 0.35）
// @param anchor_weight_breadth      链主指数权重：环节覆盖（默认 0.2）
// @param anchor_weight_pull         链主指数权重：本地配套带动（默认 0.2）
// @param anchor_weight_centrality   链主指数权重：供应网络中心度（默认 0.15）
// @param anchor_weight_standing     链主指数权重：认定身份（默认 0.1）
// @param anchor_standing_points     链主指数：各认定标签的得分（取最高；默认 {`链主`: 1.0, `领航企业`: 0.8, `上市`: 0.5}）
// @param anchor_designated_tag      已认定链主的企业标签：这些企业列在链主表前部并标“已认定”（默认 '链主'）

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
WITH c, whole, places,
     COUNT { MATCH (c)-[:HAS_LINK]->(:Link) } AS chain_links
MATCH (e:Enterprise)-[:IN_LINK]->(l:Link)<-[:HAS_LINK]-(c)
WHERE (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
WITH c, whole, places, chain_links, e, collect(DISTINCT l.name) AS links
WITH chain_links, e, links,
     COLLECT {
       MATCH (e)-[:SUPPLIES]-(x:Enterprise)
       WHERE x <> e AND (x.local = true AND (whole OR EXISTS { MATCH (x)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
       RETURN DISTINCT x.name
     } AS partners,
     // in- and out-degree in the chain's supply network (the enterprises in a link of the chain)
     COUNT {
       MATCH (e)-[:SUPPLIES]->(x:Enterprise)
       WHERE x <> e AND EXISTS { MATCH (x)-[:IN_LINK]->(xl:Link) WHERE xl.chain = c.id }
     } AS supply_out,
     COUNT {
       MATCH (e)<-[:SUPPLIES]-(x:Enterprise)
       WHERE x <> e AND EXISTS { MATCH (x)-[:IN_LINK]->(xl:Link) WHERE xl.chain = c.id }
     } AS supply_in,
     reduce(best = 0.0, t IN coalesce(e.tags, []) |
       CASE WHEN coalesce($anchor_standing_points[t], 0.0) > best
            THEN toFloat($anchor_standing_points[t]) ELSE best END) AS standing
WITH collect({
       e: e, links: links, partners: partners, supply_out: supply_out, supply_in: supply_in,
       standing: standing, breadth: toFloat(size(links)) / chain_links
     }) AS rows
WITH rows,
     reduce(m = 0.0, r IN rows | CASE WHEN coalesce(r.e.revenue, 0.0) > m THEN r.e.revenue ELSE m END) AS top_revenue,
     reduce(m = 0, r IN rows | CASE WHEN size(r.partners) > m THEN size(r.partners) ELSE m END) AS top_partners
UNWIND rows AS r
WITH r, r.e AS e,
     CASE WHEN top_revenue > 0 THEN coalesce(r.e.revenue, 0.0) / top_revenue ELSE 0.0 END AS scale,
     CASE WHEN top_partners > 0 THEN toFloat(size(r.partners)) / top_partners ELSE 0.0 END AS pull
RETURN e.id AS enterprise_id,
       e.name AS enterprise,
       e.revenue AS revenue,
       coalesce(e.tags, []) AS tags,
       r.links AS links,
       size(r.links) AS link_count,
       size(r.partners) AS local_partners,
       r.partners AS partner_names,
       r.supply_out AS supply_out,
       r.supply_in AS supply_in,
       $anchor_designated_tag IN coalesce(e.tags, []) AS designated,
       round(scale, 4) AS scale,
       round(r.breadth, 4) AS breadth,
       round(pull, 4) AS pull,
       round(r.standing, 4) AS standing,
       round((
         $anchor_weight_scale * scale + $anchor_weight_breadth * r.breadth
         + $anchor_weight_pull * pull + $anchor_weight_standing * r.standing
       ) / ($anchor_weight_scale + $anchor_weight_breadth + $anchor_weight_pull
            + $anchor_weight_centrality + $anchor_weight_standing), 4) AS index_without_centrality
ORDER BY designated DESC, index_without_centrality DESC, coalesce(revenue, 0.0) DESC, enterprise, enterprise_id;
