// The chain named by $chain, as chainkg resolves it (queries/scope.find_chain): by id (with or
// without 'chain:'), by name, by an alias of its industry (锂电 → 锂电新能源), else the one
// chain whose name starts with the text. Binds c; no row when nothing (or several) match.

// the chain: by id, name, industry alias or unique prefix (as chainkg resolves it)
WITH {{clean text=$chain}} AS chain_text
WITH COLLECT { MATCH (c:Chain) WHERE c.id IN [chain_text, 'chain:' + chain_text] RETURN c } AS by_id,
     COLLECT { MATCH (c:Chain) WHERE c.name = chain_text RETURN c } AS by_name,
     COLLECT {
       MATCH (c:Chain)
       WHERE chain_text IN coalesce({{industry_aliases}}[c.name], [])
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
