// The Region or Park named by $region, as chainkg resolves it (queries/snapshot.find_place,
// queries/scope.find_scope), first rule that finds something: its id; its name, an alias or
// its full path (江西省/宜春市); a park by its usual abbreviation (宜春经开区 → 宜春经济技术开发区,
// the table of graph_schema.identity); a Region by its name without 市/县/区 (宜春 → 宜春市).
// Binds {{carry}}, scopes (the one place, or none for the whole province) and whole (true for
// the whole province: no $region, or the province itself). No row when nothing or several match.

// the scope: one Region or Park by id, name, alias, full path, park abbreviation or short name
WITH {{carry}}, {{clean text=$region}} AS region_text
WITH {{carry}}, region_text,
     reduce(k = replace(coalesce(region_text, ''), ' ', ''), a IN {{park_abbreviations}} |
       CASE WHEN k ENDS WITH a[0] THEN left(k, size(k) - size(a[0])) + a[1] ELSE k END) AS park_key
WITH {{carry}}, region_text,
     COLLECT { MATCH (p:Region|Park) WHERE p.id = region_text RETURN p } AS by_id,
     COLLECT {
       MATCH (p:Region|Park)
       WHERE p.name = region_text OR region_text IN coalesce(p.aliases, []) OR p.id ENDS WITH ':' + region_text
       RETURN p
     } AS by_name,
     COLLECT { MATCH (p:Park) WHERE p.id = 'park:' + park_key RETURN p } AS by_park_key,
     COLLECT { MATCH (p:Region) WHERE left(p.name, size(p.name) - 1) = region_text RETURN p } AS by_short_name
WITH {{carry}}, region_text IS NULL AS everywhere,
     CASE
       WHEN size(by_id) > 0 THEN by_id
       WHEN size(by_name) > 0 THEN by_name
       WHEN size(by_park_key) > 0 THEN by_park_key
       ELSE by_short_name
     END AS scopes
WHERE everywhere OR size(scopes) = 1
WITH {{carry}}, scopes,
     everywhere
     OR any(s IN scopes WHERE s:Region AND s.level = '省' AND NOT EXISTS { (s)-[:PART_OF]->(:Region) }) AS whole
