// 项目推进情况：一条产业链在全省或某地区的项目，按阶段汇总（储备→在谈→签约→开工→在建→投产）
//
// Answers, for each project stage: how many projects of the chain are in scope, their total
// investment (亿元), how many are 5020 projects, how many are 达产 (stored as stage 投产 with
// stage_raw 达产), and the projects themselves (largest first) with the investor and the
// links they fill. A project is the chain's when it FILLS a link of the chain or its
// `chain` property names it. Stages 签约/开工/在建 are the pipeline of the diagnosis;
// 投产 (and 达产) count as presence.
//
// @param chain
// @param region

// @include chain
// @include scope carry=c
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
WHERE {{in_scope node=pr}}
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
