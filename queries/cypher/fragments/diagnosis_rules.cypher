// The diagnosis of every link of chain c from its chain_links (the second half of
// diagnosis.cypher, after diagnosis_links.cypher or links_by_local.cypher): the roll-up, the
// problems, the present links up- and downstream, the weak rules and the status. Binds what
// diagnosis.cypher binds.

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
     // open blocking problems on the link itself; with a region, one that names enterprises
     // counts when one of them is in scope. A problem without status counts as 待办.
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
     CASE WHEN r.n >= 2 AND size(r.known) >= 2 AND size(r.known) >= $weak_share_min_known * r.n
          THEN r.link_revenue_max / r.link_revenue_sum END AS max_share
WITH c, r, l, upstream_present, downstream_present, max_share,
     r.n < $weak_min_enterprises AS few,
     r.n > 0 AND size(r.tagged) = 0 AND r.link_revenue_sum < $weak_min_revenue AS small,
     max_share >= $weak_max_share AS concentrated,
     size(r.problems) > 0 AS blocked
WITH c, r, l, upstream_present, downstream_present, max_share, few, small, concentrated, blocked,
     CASE
       WHEN NOT r.present AND size(upstream_present) > 0 AND size(downstream_present) > 0 THEN 'broken'
       WHEN NOT r.present THEN 'missing'
       WHEN few OR small OR coalesce(concentrated, false) OR blocked THEN 'weak'
       ELSE 'strong'
     END AS status,
     // which weak rules fired (reported for present links only)
     [rule IN [
       CASE WHEN few THEN '本地企业' + toString(r.n) + '家，少于' + toString($weak_min_enterprises) + '家' END,
       CASE WHEN small THEN '无强势企业，且本地营收合计' + toString(r.link_revenue_sum) + '亿元，低于' + toString($weak_min_revenue) + '亿元' END,
       CASE WHEN concentrated THEN '最大企业占本地营收' + toString(round(max_share * 100, 1)) + '%' END,
       CASE WHEN blocked THEN '未销号问题' + toString(size(r.problems)) + '个' END
     ] WHERE rule IS NOT NULL AND r.present] AS weak_rules
