// One line: {{node}} is a local enterprise of the scope (local = true, and in scope).

({{node}}.local = true AND {{in_scope node={{node}}}})
