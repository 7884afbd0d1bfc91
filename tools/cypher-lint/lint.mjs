#!/usr/bin/env node
// Lints Cypher statements against chainkg's graph schema with Neo4j's own language
// support library (the parser and semantic analysis behind Neo4j's editors). Runs offline.
//
// stdin:  {"schema": DbSchema,                      // python -m graph_schema.lint_schema
//          "statements": [{"name": str, "text": str,
//                          "parameters": [str]?}],  // declared: any other $param is an error
//          "cypherVersions": ["CYPHER 5", ...]?}    // default: [schema.defaultLanguage]
// stdout: {"statements": [{"name", "diagnostics": [{"severity", "message", "line",
//          "column", "excerpt", "cypherVersion"}]}], "errors": n, "warnings": n}
// exit:   0 no error-severity diagnostic, 1 at least one, 2 unusable input.
//
// A statement without "parameters" has its "Parameter $x is not defined" errors dropped:
// parameters are supplied at run time, and only a declared list can be checked.
// Functions and procedures: the schema may list them (as the DbSchema type does); when it
// does not, they come from the package's bundled dump of a Neo4j server's registry
// (testData.mockSchema), narrowed to what our compose service has: the built-in functions,
// db.* / dbms.* / tx.* procedures and APOC Core. GDS and CDC are not installed, so calling
// them is reported as an error.
//
// The semantic analysis takes some 50 ms a statement, so long inputs are shared among
// worker threads, one per CPU (at most 4).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  isNotParamError,
  lintCypherQuery,
  testData,
} from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const PER_WORKER = 25; // fewer statements than this are not worth a thread

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

function installed(registry, keep) {
  const out = {};
  for (const [version, entries] of Object.entries(registry ?? {})) {
    out[version] = Object.fromEntries(
      Object.entries(entries).filter(([name, entry]) => keep(name, entry)),
    );
  }
  return out;
}

function withRegistries(schema) {
  const bundled = testData?.mockSchema ?? {};
  return {
    ...schema,
    functions:
      schema.functions ??
      installed(
        bundled.functions,
        (name, fn) => fn.isBuiltIn || name.startsWith('apoc.'),
      ),
    procedures:
      schema.procedures ??
      installed(bundled.procedures, (name) =>
        /^(db|dbms|tx|apoc)\./.test(name),
      ),
  };
}

function lintOne(statement, schema, versions) {
  const declared = Array.isArray(statement.parameters);
  const parameters = Object.fromEntries(
    (statement.parameters ?? []).map((p) => [p, null]),
  );
  const seen = new Set();
  const diagnostics = [];
  for (const version of versions) {
    const dbSchema = { ...schema, parameters, defaultLanguage: version };
    let found = lintCypherQuery(statement.text, dbSchema).diagnostics;
    if (!declared) found = found.filter(isNotParamError);
    for (const d of found) {
      const key = `${d.severity}|${d.offsets.start}|${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({
        severity: SEVERITY[d.severity] ?? String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        excerpt: statement.text.slice(d.offsets.start, d.offsets.end),
        cypherVersion: version,
      });
    }
  }
  return { name: statement.name ?? '', diagnostics };
}

function lintAll({ statements, schema, versions }) {
  const full = withRegistries(schema);
  return statements.map((s) => lintOne(s, full, versions));
}

function inWorkers(job, count) {
  const size = Math.ceil(job.statements.length / count);
  const parts = [];
  for (let i = 0; i < job.statements.length; i += size) {
    const part = { ...job, statements: job.statements.slice(i, i + size) };
    parts.push(
      new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: part });
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
    );
  }
  return Promise.all(parts).then((results) => results.flat());
}

async function main() {
  let input;
  try {
    input = JSON.parse(readFileSync(0, 'utf8'));
  } catch (err) {
    fail(`stdin is not JSON: ${err.message}`);
  }
  if (
    !input ||
    typeof input.schema !== 'object' ||
    input.schema === null ||
    !Array.isArray(input.statements)
  ) {
    fail('expected {"schema": {...}, "statements": [{"name", "text"}]}');
  }
  for (const s of input.statements) {
    if (typeof s?.text !== 'string' || s.text.trim() === '') {
      fail(`statement ${JSON.stringify(s?.name)} has no text`);
    }
  }
  const job = {
    statements: input.statements,
    schema: input.schema,
    versions: input.cypherVersions ?? [input.schema.defaultLanguage ?? 'CYPHER 5'],
  };
  const count = Math.min(
    availableParallelism(),
    4,
    Math.floor(job.statements.length / PER_WORKER),
  );
  const results = count > 1 ? await inWorkers(job, count) : lintAll(job);
  const all = results.flatMap((r) => r.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  // exitCode, not exit(): a piped stdout must be flushed before the process ends.
  process.stdout.write(
    JSON.stringify({ statements: results, errors, warnings }, null, 2) + '\n',
  );
  process.exitCode = errors > 0 ? 1 : 0;
}

if (isMainThread) {
  await main();
} else {
  parentPort.postMessage(lintAll(workerData));
}
