// 本地配套率（按产业链）：每条产业链在全省或某地区的本地配套率与强/弱/缺/断环节数
//
// 生成文件：由 templates/04_local_rate_by_chain.cypher 与 fragments/ 中的片段（scope_note、scope、region、clean、places、link_figures、local、in_scope、open_problems、diagnosis_rules）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for every chain: its links, its leaf links (links without sub-links), how many leaf
// links are present in scope, the 本地配套率 = present leaf links ÷ leaf links (rounded to 4
// places; 0 when a chain has no leaf link), and the number of links of each status.
// A chain without any link is not listed. The diagnosis is the one of 01_link_diagnosis.cypher
// (a link's pipeline projects do not change its status, so 04 takes no pipeline stages).
//
// @param region                     地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、'宜春经开区'、'park:…'）；null 或本省 = 全省
// @param weak_min_enterprises       弱链：本地企业少于该数（默认 3）
// @param weak_min_revenue           弱链：无强势企业且本地营收合计低于该值（亿元；默认 10.0）
// @param weak_max_share             弱链：最大企业营收占比达到该值（两家及以上企业时；默认 0.8）
// @param weak_share_min_known       集中度判断：本环节本地企业中已知营收的比例至少为该值（否则注明营收未知 k/n 家；默认 0.5）
// @param strength_tags              强势企业标签（默认 ['链主', '领航企业', '上市', '专精特新小巨人', '单项冠军', '世界500强', '中国500强', '民营500强']）
// @param blocking_problem_types     使环节为弱链的问题类型（默认 ['卡脖子', '断点']）
// @param open_problem_statuses      未销号的问题状态（默认 ['待办', '办理中']）
// @param present_project_stages     计为本地配套的项目阶段（达产记为投产；默认 ['投产']）
//
// Scope: "local" = Enterprise.local = true and, when $region names a 市/县/park, LOCATED_IN it
// or anything under it ((Region)-[:PART_OF]->(Region), (Park)-[:LOCATED_IN]->(Region)).
// Every project lands in the province; with a region it must be located in scope too.
// $region is resolved as chainkg resolves it (full name, short name such as 宜春, full path,
// abbreviated park name such as 宜春经开区, id); the province itself means the whole province.
// A name that matches no place, or several, gives no rows: use the id.

// the scope: one Region or Park by id, name, alias, full path, park abbreviation or short name
WITH CASE WHEN trim(coalesce($region, '')) = '' THEN null ELSE reduce(s = '', w IN split(replace(replace(replace(normalize($region, NFKC), '\t', ' '), '\n', ' '), '\r', ' '), ' ') | CASE WHEN w = '' THEN s WHEN s = '' THEN w ELSE s + ' ' + w END) END AS region_text
WITH region_text,
     reduce(k = replace(coalesce(region_text, ''), ' ', ''), a IN [['经开区', '经济技术开发区'], ['高新区', '高新技术产业开发区'], ['高新技术开发区', '高新技术产业开发区'], ['工业园区', '工业园']] |
       CASE WHEN k ENDS WITH a[0] THEN left(k, size(k) - size(a[0])) + a[1] ELSE k END) AS park_key
WITH region_text,
     COLLECT { MATCH (p:Region|Park) WHERE p.id = region_text RETURN p } AS by_id,
     COLLECT {
       MATCH (p:Region|Park)
       WHERE p.name = region_text OR region_text IN coalesce(p.aliases, []) OR p.id ENDS WITH ':' + region_text
       RETURN p
     } AS by_name,
     COLLECT { MATCH (p:Park) WHERE p.id = 'park:' + park_key RETURN p } AS by_park_key,
     COLLECT { MATCH (p:Region) WHERE left(p.name, size(p.name) - 1) = region_text RETURN p } AS by_short_name
WITH region_text IS NULL AS everywhere,
     CASE
       WHEN size(by_id) > 0 THEN by_id
       WHEN size(by_name) > 0 THEN by_name
       WHEN size(by_park_key) > 0 THEN by_park_key
       ELSE by_short_name
     END AS scopes
WHERE everywhere OR size(scopes) = 1
WITH scopes,
     everywhere
     OR any(s IN scopes WHERE s:Region AND s.level = '省' AND NOT EXISTS { (s)-[:PART_OF]->(:Region) }) AS whole
// every Region and Park id in scope: the place itself and everything under it
WITH whole,
     COLLECT {
       UNWIND scopes AS s
       MATCH (p:Region|Park)-[:LOCATED_IN|PART_OF*0..]->(s)
       RETURN DISTINCT p.id
     } AS places
CALL (whole, places) {
  MATCH (e:Enterprise)
  WHERE (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
  // IN_LINK always ends at a Link (graph_schema): no label test on x
  MATCH (e)-[f:IN_LINK]->(x)
  WITH x, collect([e, f.revenue]) AS members
  // x and every link above it, and the top one (the root of its tree: one parent a link)
  WITH x, members, [(x)-[:PART_OF*0..]->(a:Link) | a] AS ups
  WITH x, members, ups, [a IN ups WHERE NOT EXISTS { (a)-[:PART_OF]->(:Link) }][0] AS root
  UNWIND members AS m
  // per firm: its memberships, each [分环节营收, links above, root, link]
  WITH m[0] AS e, collect([m[1], ups, root, x]) AS ms
  WITH e.revenue AS own, any(t IN coalesce(e.tags, []) WHERE t IN $strength_tags) AS strong, ms
  WITH own, strong, ms,
       all(i IN range(1, size(ms) - 1) WHERE none(j IN range(0, i - 1) WHERE ms[i][2] = ms[j][2])) AS apart
  // rows [link, the firm's revenue there, the links it rolls up to]: one a membership when the
  // firm's memberships are in different trees, else one for each link above any of them
  UNWIND CASE WHEN apart THEN [m IN ms | [m[3], coalesce(m[0], own), m[1]]]
         ELSE [a IN reduce(seen = [], a IN reduce(above = [], m IN ms | above + m[1]) |
                           CASE WHEN a IN seen THEN seen ELSE seen + a END) |
               [a,
                CASE WHEN any(m IN ms WHERE a IN m[1] AND m[0] IS NOT NULL)
                     THEN reduce(s = 0.0, m IN ms | CASE WHEN a IN m[1] AND m[0] IS NOT NULL THEN s + m[0] ELSE s END)
                     ELSE own END,
                [a]]]
         END AS row
  // the firms whose revenue in the link is known (and not zero): the concentration rule
  WITH row[0] AS l, row[2] AS ups, strong, CASE WHEN row[1] <> 0.0 THEN row[1] END AS known
  WITH ups, count(*) AS n, count(known) AS n_known, sum(known) AS revenue, max(known) AS top,
       count(CASE WHEN strong THEN 1 END) AS n_tagged
  UNWIND ups AS l
  RETURN l, n, n_known, revenue, top, n_tagged
  UNION ALL
  MATCH (l:Link)
  RETURN l, 0 AS n, 0 AS n_known, 0.0 AS revenue, null AS top, 0 AS n_tagged
}
WITH whole, places, l, sum(n) AS n, sum(n_known) AS n_known, sum(revenue) AS revenue, max(top) AS top,
     sum(n_tagged) AS n_tagged
MATCH (c:Chain)-[:HAS_LINK]->(l)
WITH c, l, n, n_known, revenue, top, n_tagged,
     n > 0 OR EXISTS {
       MATCH (x:Link)-[:PART_OF*0..]->(l)
       MATCH (x)<-[:FILLS]-(pr:Project)
       WHERE pr.stage IN $present_project_stages AND (whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places })
     } AS present,
     COUNT {
       MATCH (q:Problem)-[:AFFECTS]->(l)
       WHERE q.type IN $blocking_problem_types
         AND coalesce(q.status, '待办') IN $open_problem_statuses
         AND (whole
              OR COUNT { (q)-[:AFFECTS]->(:Enterprise) } = 0
              OR EXISTS { MATCH (q)-[:AFFECTS]->(:Enterprise)-[:LOCATED_IN]->(p) WHERE p.id IN places })
     } AS n_problems
WITH c, collect({
       link: l, n: n, n_known: n_known, link_revenue_sum: revenue,
       link_revenue_max: CASE WHEN top > 0.0 THEN top ELSE 0.0 END,
       n_tagged: n_tagged, n_problems: n_problems, present: present
     }) AS rows
WITH c, rows, [r IN rows WHERE r.present | r.link.id] AS present_ids
UNWIND rows AS r
WITH c, r, present_ids, r.link AS l
// present links of this chain directly upstream / downstream (SUPPLIES_TO into / out of L)
WITH c, r, l,
     [(u:Link)-[:SUPPLIES_TO]->(l) WHERE u.id IN present_ids | u.name] AS upstream_present,
     [(l)-[:SUPPLIES_TO]->(d:Link) WHERE d.id IN present_ids | d.name] AS downstream_present,
     // the largest firm's share of the known revenue in the link, judged only when at least
     // two firms' revenue is known and they are $weak_share_min_known of the link's firms
     CASE WHEN r.n >= 2 AND r.n_known >= 2 AND r.n_known >= $weak_share_min_known * r.n
          THEN r.link_revenue_max / r.link_revenue_sum END AS max_share
WITH c, r, l, upstream_present, downstream_present, max_share,
     r.n < $weak_min_enterprises AS few,
     r.n > 0 AND r.n_tagged = 0 AND r.link_revenue_sum < $weak_min_revenue AS small,
     max_share >= $weak_max_share AS concentrated,
     r.n_problems > 0 AS blocked
WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked,
     CASE
       WHEN NOT r.present AND size(upstream_present) > 0 AND size(downstream_present) > 0 THEN 'broken'
       WHEN NOT r.present THEN 'missing'
       WHEN few OR small OR coalesce(concentrated, false) OR blocked THEN 'weak'
       ELSE 'strong'
     END AS status
WITH c, l, status, r.present AS present, NOT EXISTS { MATCH (:Link)-[:PART_OF]->(l) } AS leaf
WITH c,
     count(l) AS links,
     sum(CASE WHEN leaf THEN 1 ELSE 0 END) AS leaf_links,
     sum(CASE WHEN leaf AND present THEN 1 ELSE 0 END) AS present_leaf_links,
     sum(CASE status WHEN 'strong' THEN 1 ELSE 0 END) AS strong,
     sum(CASE status WHEN 'weak' THEN 1 ELSE 0 END) AS weak,
     sum(CASE status WHEN 'missing' THEN 1 ELSE 0 END) AS missing,
     sum(CASE status WHEN 'broken' THEN 1 ELSE 0 END) AS broken
RETURN c.id AS chain_id,
       c.name AS chain,
       c.industry AS industry,
       links,
       leaf_links,
       present_leaf_links,
       CASE WHEN leaf_links > 0 THEN round(toFloat(present_leaf_links) / leaf_links, 4) ELSE 0.0 END AS local_rate,
       strong,
       weak,
       missing,
       broken
ORDER BY local_rate DESC, chain;
