// Finds the line of a validation problem in YAML text. The API names a problem by its path
// (`spec.task[3].runAfter[0]`, `documents[1].metadata.name` when several documents were sent) or,
// for a syntax error, by `line N, column M`. This scanner reads block-style YAML by indentation
// (mappings, sequences, block scalars) and records the line where each path starts; a path inside
// flow style (`[a, b]`) is found at its nearest enclosing key.

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:][^#]*?|-[^\s#][^#]*?)\s*:(?:\s+(.*))?$/;

function unquote(key) {
  if (key.startsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

function isBlockScalar(value) {
  return value !== undefined && /^[|>][0-9+-]*\s*(#.*)?$/.test(value.trim());
}

/** The path → line (0-based) of every key and sequence item, one map per YAML document. */
export function scan(text) {
  const lines = text.split('\n');
  const docs = [new Map()];
  let stack = [];
  let blockCol = -1;
  let sawContent = false;
  lines.forEach((raw, lineNo) => {
    const line = raw.replace(/\r$/, '');
    const col = line.length - line.trimStart().length;
    const content = line.trim();
    if (blockCol >= 0) {
      if (content === '' || col > blockCol) return;
      blockCol = -1;
    }
    if (content === '' || content.startsWith('#')) return;
    if (/^---(\s|$)/.test(line) || /^\.\.\.(\s|$)/.test(line)) {
      if (sawContent || line.startsWith('---')) {
        if (sawContent) docs.push(new Map());
        sawContent = false;
      }
      stack = [];
      return;
    }
    sawContent = true;
    const doc = docs[docs.length - 1];
    let c = col;
    let rest = content;
    // A sequence item, possibly holding a mapping on the same line: "- name: a".
    while (rest.startsWith('- ') || rest === '-') {
      while (stack.length && (stack[stack.length - 1].col > c ||
        (stack[stack.length - 1].col === c && stack[stack.length - 1].item))) stack.pop();
      const parent = stack[stack.length - 1];
      const index = parent ? parent.count++ : 0;
      const path = `${parent ? parent.path : ''}[${index}]`;
      if (!doc.has(path)) doc.set(path, lineNo);
      stack.push({ col: c, path, item: true, count: 0 });
      const after = rest.slice(1);
      const pad = after.length - after.trimStart().length;
      c += 1 + pad;
      rest = after.trim();
      if (rest === '') return;
    }
    const m = KEY.exec(rest);
    if (!m) return;
    while (stack.length && stack[stack.length - 1].col >= c) stack.pop();
    const parent = stack[stack.length - 1];
    const name = unquote(m[1].trim());
    const path = parent ? `${parent.path}.${name}` : name;
    if (!doc.has(path)) doc.set(path, lineNo);
    stack.push({ col: c, path, item: false, count: 0 });
    if (isBlockScalar(m[2])) blockCol = c;
  });
  // A sequence item of a key at the same column: "task:\n- name: a" gives task[0].
  return docs;
}

function parentOf(path) {
  const m = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(path);
  return m && m[1] ? m[1] : null;
}

/** The line (0-based) of a problem in `docs` (from scan), or null when it has no place. */
export function lineOf(docs, problem) {
  const where = problem.path || '';
  const syntax = /^line (\d+)(?:, column (\d+))?/.exec(where) || /line (\d+), column (\d+)/.exec(problem.message || '');
  if (syntax) return Math.max(0, Number(syntax[1]) - 1);
  if (!where) return null;
  let doc = docs[0];
  let path = where;
  const prefixed = /^documents\[(\d+)\](?:\.(.*))?$/.exec(where);
  if (prefixed) {
    doc = docs[Number(prefixed[1])];
    path = prefixed[2] || '';
    if (!doc) return null;
    if (!path) return firstLine(doc);
  }
  for (let p = path; p; p = parentOf(p)) {
    if (doc.has(p)) return doc.get(p);
  }
  return firstLine(doc);
}

function firstLine(doc) {
  let min = null;
  for (const line of doc.values()) if (min === null || line < min) min = line;
  return min;
}
