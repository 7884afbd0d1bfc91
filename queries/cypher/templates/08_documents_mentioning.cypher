// 提及某节点的文档：哪些政策文件、简报提到了某家企业、某个环节、园区或地区，附原句
//
// Answers, for the node named $name (its id, name or an alias; any label): each Document
// with a MENTIONS relationship to it — title, 文号, issuing body, date, how many times it
// names the node and the sentences that do (`evidence`, as loaded from the document).
// The Python twin is `chainkg show NAME` (its "documents").
//
// @param name

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
