// The facts of every link of chain c from its chain_links (after diagnosis_links.cypher): the
// roll-up of the local enterprises and the projects in scope over the link and its sub-links,
// each firm's revenue in the link, and the open blocking problems. Binds c and rows (one map
// per link: link, ents, n, revenue_sum, revenue_max, figures, known, link_revenue_sum,
// link_revenue_max, tagged, problems, projects, built, pipeline, present, and the counts
// n_known, n_tagged and n_problems that diagnosis_rules.cypher judges by).

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
       // @include open_problems
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
