// 提及某节点的文档：哪些政策文件、简报提到了某家企业、某个环节、园区或地区，附原句
//
// 生成文件：由 templates/08_documents_mentioning.cypher
// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。
//
// Answers, for the node named $name (its id, name or an alias; any label): each Document
// with a MENTIONS relationship to it — title, 文号, issuing body, date, how many times it
// names the node and the sentences that do (`evidence`, as loaded from the document).
// The Python twin is `chainkg show NAME` (its "documents").
//
// @param name                       节点：标识、名称或别名，如 '宜春市'、'ent:赣锋锂业'、'赣锋锂业'

MATCH (n:Industry|Chain|Link|Enterprise|Project|Cluster|Park|Region|Policy|Problem|Technology|Application)
WHERE n.id = $name OR n.name = $name OR $name IN coalesce(n.aliases, [])
MATCH (d:Document)-[m:MENTIONS]->(n)
RETURN labels(n)[0] AS label,
       n.id AS node_id,
       n.name AS node,
       d.id AS document_id,
       d.title AS title,
       d.doc_number AS doc_number,
       d.issuer AS issuer,
       d.date AS date,
       coalesce(m.count, 1) AS mentions,
       coalesce(m.evidence, []) AS evidence
ORDER BY node_id, mentions DESC, date DESC, document_id;
