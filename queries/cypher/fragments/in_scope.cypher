// One line: {{node}} (an Enterprise or a Project) is in scope: the whole province, or located
// in one of `places`.

(whole OR EXISTS { MATCH ({{node}})-[:LOCATED_IN]->(p) WHERE p.id IN places })
