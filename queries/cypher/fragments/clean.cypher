// One line: {{text}} as chainkg cleans what a person typed (graph_schema.identity.clean_text):
// NFKC (full-width letters, digits and spaces to half-width), trimmed, inner white space
// folded to one space; null for null or blank text.

CASE WHEN trim(coalesce({{text}}, '')) = '' THEN null ELSE reduce(s = '', w IN split(replace(replace(replace(normalize({{text}}, NFKC), '\t', ' '), '\n', ' '), '\r', ' '), ' ') | CASE WHEN w = '' THEN s WHEN s = '' THEN w ELSE s + ' ' + w END) END
