// 环节诊断：一条产业链在全省或某地区的每个环节，判定强链/弱链/缺链/断链，并列出每条规则的输入
//
// 生成文件：由 templates/01_link_diagnosis.cypher 与 fragments/ 中的片段（scope_note、chain、clean、scope、region、places、diagnosis、diagnosis_links、local、link_roll_up、in_scope、diagnosis_facts、open_problems、diagnosis_rules、diagnosis_reasons）
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, per link of the chain (sub-links included, each rolling up its own sub-links):
// the local enterprises (count, revenue sum and max, largest share, strength-tag presence),
// the open 卡脖子/断点 problems, the present projects and the pipeline, the present links
// directly upstream and downstream, and the resulting status with the rules that fired.
// Definitions: docs/analyses.md; the Python twin is queries/diagnosis.py.
//
// @param chain                      产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'
// @param region                     地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、'宜春经开区'、'park:…'）；null 或本省 = 全省
// @param weak_min_enterprises       弱链：本地企业少于该数（默认 3）
// @param weak_min_revenue           弱链：无强势企业且本地营收合计低于该值（亿元；默认 10.0）
// @param weak_max_share             弱链：最大企业营收占比达到该值（两家及以上企业时；默认 0.8）
// @param weak_share_min_known       集中度判断：本环节本地企业中已知营收的比例至少为该值（否则注明营收未知 k/n 家；默认 0.5）
// @param strength_tags              强势企业标签（默认 ['链主', '领航企业', '上市', '专精特新小巨人', '单项冠军', '世界500强', '中国500强', '民营500强']）
// @param blocking_problem_types     使环节为弱链的问题类型（默认 ['卡脖子', '断点']）
// @param open_problem_statuses      未销号的问题状态（默认 ['待办', '办理中']）
// @param present_project_stages     计为本地配套的项目阶段（达产记为投产；默认 ['投产']）
// @param pipeline_project_stages    在手项目（pipeline）阶段（默认 ['签约', '开工', '在建']）
//
// Scope: "local" = Enterprise.local = true and, when $region names a 市/县/park, LOCATED_IN it
// or anything under it ((Region)-[:PART_OF]->(Region), (Park)-[:LOCATED_IN]->(Region)).
// Every project lands in the province; with a region it must be located in scope too.
// $region is resolved as chainkg resolves it (full name, short name such as 宜春, full path,
// abbreviated park name such as 宜春经开区, id); the province itself means the whole province.
// A name that matches no place, or several, gives no rows: use the id.

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
MATCH (c)-[:HAS_LINK]->(l:Link)
// each link of the chain once: its sub-links and itself (the roll-up), its own local
// enterprises, each with its 分环节营收 there, and its own projects in scope
WITH c, whole, places, l,
     COLLECT {
       MATCH (l)<-[f:IN_LINK]-(e:Enterprise)
       WHERE (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) WHERE p.id IN places }))
       RETURN {e: e, id: e.id, name: e.name, own: e.revenue, tags: e.tags, part: f.revenue}
     } AS direct,
     COLLECT { MATCH (x:Link)-[:PART_OF*0..]->(l) RETURN x.id } AS subtree,
     COLLECT {
       MATCH (l)<-[:FILLS]-(pr:Project)
       WHERE (whole OR EXISTS { MATCH (pr)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN {pr: pr, stage: pr.stage}
     } AS direct_projects
WITH c, whole, places,
     collect({link: l, id: l.id, subtree: subtree, direct: direct, projects: direct_projects}) AS chain_links
UNWIND chain_links AS this
WITH c, whole, places, this.link AS l, [x IN chain_links WHERE x.id IN this.subtree] AS rolled
WITH c, whole, places, l,
     // local enterprises in the link or any sub-link, each with its revenue in the link: the
     // sum of its 分环节营收 over the link and its sub-links when it gave any there, else its
     // whole revenue (queries/snapshot.link_revenue)
     COLLECT {
       UNWIND rolled AS x
       UNWIND x.direct AS m
       WITH m.e AS e, m.id AS id, m.name AS name, m.own AS own, m.tags AS tags,
            collect(m.part) AS parts
       RETURN {e: e, id: id, name: name, own: own, tags: tags,
               revenue: CASE WHEN size(parts) > 0 THEN reduce(s = 0.0, v IN parts | s + v) ELSE own END}
     } AS firms,
     // projects in scope that fill the link or any sub-link, each with its stage
     COLLECT {
       UNWIND rolled AS x
       UNWIND x.projects AS m
       RETURN DISTINCT m
     } AS staged,
     // open blocking problems on the link itself
     COLLECT {
       MATCH (q:Problem)-[:AFFECTS]->(l)
       WHERE q.type IN $blocking_problem_types
         AND coalesce(q.status, '待办') IN $open_problem_statuses
         AND (whole
              OR COUNT { (q)-[:AFFECTS]->(:Enterprise) } = 0
              OR EXISTS { MATCH (q)-[:AFFECTS]->(:Enterprise)-[:LOCATED_IN]->(p) WHERE p.id IN places })
       RETURN q
     } AS problems
WITH c, l, problems, firms,
     [x IN firms | x.e] AS ents,
     [x IN firms | {id: x.id, name: x.name, revenue: x.revenue}] AS figures,
     [x IN staged | x.pr] AS projects,
     [x IN staged WHERE x.stage IN $present_project_stages | x.pr] AS built,
     [x IN staged WHERE x.stage IN $pipeline_project_stages AND NOT x.stage IN $present_project_stages | x.pr] AS pipeline
WITH c, l, ents, figures, problems, projects, built, pipeline,
     // the firms whose revenue in the link is known (and not zero): the concentration rule
     [x IN figures WHERE x.revenue IS NOT NULL AND x.revenue <> 0.0] AS known,
     size(ents) AS n,
     reduce(s = 0.0, x IN firms | s + coalesce(x.own, 0.0)) AS revenue_sum,
     reduce(m = 0.0, x IN firms | CASE WHEN coalesce(x.own, 0.0) > m THEN x.own ELSE m END) AS revenue_max,
     [x IN firms WHERE any(t IN coalesce(x.tags, []) WHERE t IN $strength_tags) | x.e] AS tagged
WITH c, collect({
       link: l, ents: ents, n: n, revenue_sum: revenue_sum, revenue_max: revenue_max,
       figures: figures, known: known,
       link_revenue_sum: reduce(s = 0.0, x IN known | s + x.revenue),
       link_revenue_max: reduce(m = 0.0, x IN known | CASE WHEN x.revenue > m THEN x.revenue ELSE m END),
       tagged: tagged, problems: problems, projects: projects, built: built, pipeline: pipeline,
       n_known: size(known), n_tagged: size(tagged), n_problems: size(problems),
       present: n > 0 OR size(built) > 0
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
WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked, status,
     // which weak rules fired (reported for present links only)
     [rule IN [
       CASE WHEN few THEN '本地企业' + toString(r.n) + '家，少于' + toString($weak_min_enterprises) + '家' END,
       CASE WHEN small THEN '无强势企业，且本地营收合计' + toString(r.link_revenue_sum) + '亿元，低于' + toString($weak_min_revenue) + '亿元' END,
       CASE WHEN concentrated THEN '最大企业占本地营收' + toString(round(max_share * 100, 1)) + '%' END,
       CASE WHEN blocked THEN '未销号问题' + toString(r.n_problems) + '个' END
     ] WHERE rule IS NOT NULL AND r.present] AS weak_rules
RETURN l.id AS link_id,
       l.name AS link,
       coalesce(l.stage, COLLECT {
         MATCH path = (l)-[:PART_OF*1..]->(a:Link) WHERE a.stage IS NOT NULL
         RETURN a.stage ORDER BY length(path) LIMIT 1
       }[0]) AS stage,
       l.level AS level,
       coalesce(l.key, false) AS key,
       NOT EXISTS { MATCH (:Link)-[:PART_OF]->(l) } AS leaf,
       r.present AS present,
       r.n AS local_enterprises,
       [e IN r.ents | e {.id, .name, .revenue, .tags}] AS enterprises,
       r.revenue_sum AS revenue_sum,
       r.revenue_max AS revenue_max,
       max_share,
       [e IN r.tagged | e.name] AS strength_tagged,
       [q IN r.problems | q.type + '：' + q.name] AS open_problems,
       [pr IN r.built | pr {.id, .name, .stage, .stage_raw, .amount}] AS present_projects,
       [pr IN r.pipeline | pr {.id, .name, .stage, .amount}] AS pipeline,
       upstream_present,
       downstream_present,
       status,
       weak_rules
ORDER BY CASE stage WHEN '上游' THEN 0 WHEN '中游' THEN 1 WHEN '下游' THEN 2 ELSE 3 END, link_id;
