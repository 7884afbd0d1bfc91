// The comment paragraph that says what "local" and "in scope" mean, for the header of a file
// that takes $region.

// Scope: "local" = Enterprise.local = true and, when $region names a 市/县/park, LOCATED_IN it
// or anything under it ((Region)-[:PART_OF]->(Region), (Park)-[:LOCATED_IN]->(Region)).
// Every project lands in the province; with a region it must be located in scope too.
// $region is resolved as chainkg resolves it (full name, short name such as 宜春, full path,
// abbreviated park name such as 宜春经开区, id); the province itself means the whole province.
// A name that matches no place, or several, gives no rows: use the id.
