// Generates snippets/runbook.code-snippets from templates/system-runbook.md.
//
//   node scripts/gen-snippets.mjs            writes snippets/runbook.code-snippets
//   node scripts/gen-snippets.mjs <out>      writes the snippets to <out> instead
//   node scripts/gen-snippets.mjs --check    exits 1 when the committed file is not what the template gives
//
// The template is the data: every snippet body is cut from it by its Markdown structure (headings, fenced
// code blocks, tables). The script knows no template text except the names of the parts it cuts (PARTS).
// `[Like This]` placeholders become tab stops (`${1:Like This}`), the same placeholder text (ignoring case
// and spacing) reusing the same tab stop; `[DATE]` becomes today's date; `$`, `}` and `\` are escaped.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = fileURLToPath(new URL('../templates/system-runbook.md', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../snippets/runbook.code-snippets', import.meta.url));

/** Names of the template parts cut into their own snippets: lookups only, their text comes from the template. */
const PARTS = {
  communication: 'Incident Communication Templates', // its code blocks: notification, then resolution
  postmortem: 'Post-Incident Review Template',
  severityLevels: 'Severity Levels',
  alerts: 'Alert Configuration',
  severityColumn: 'Severity',
  contacts: 'Primary Contacts',
  history: 'Document History',
};

const TODAY = '${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE}';

/** `[Like This]` that is not a link (`[a](b)`, `[a][b]`, `[a]: b`), a task box (`[ ]`, `[x]`), a footnote or escaped. */
const PLACEHOLDER = /(?<![\]\\])\[(?![xX]\])([^\s[\]^][^[\]]*)\](?![([:])/g;
const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;

/** Snippet-escapes template text. */
const escape = (text) => text.replace(/[\\$}]/g, '\\$&');
const escapeChoice = (text) => text.replace(/[\\,|]/g, '\\$&');
/** A heading's name without its numbering: `Section 8: `, `7.3 `, `A. `. */
const bare = (title) => title.replace(/^(?:section\s+\d+\s*:|\d+(?:\.\d+)*\.?|[A-Z]\.)\s+/i, '');
const slug = (title) => bare(title).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const cells = (row) => row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());

/** The template's lines, each with its heading depth (outside code) or whether it is code or a fence. */
function scan(text) {
  let fence;
  return text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((line) => {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && !line.trim().slice(f[1].length).trim()) fence = undefined;
      return { line, code: true };
    }
    if (f) {
      fence = f[1];
      return { line, code: true, open: true };
    }
    const h = HEADING.exec(line);
    return h ? { line, depth: h[1].length, title: h[2] } : { line };
  });
}

/** The lines from heading `at` up to the next heading of the same or a higher level. */
function part(lines, at) {
  let end = at + 1;
  while (end < lines.length && !(lines[end].depth <= lines[at].depth)) end++;
  while (end > at + 1 && !lines[end - 1].line.trim()) end--;
  return lines.slice(at, end);
}

function find(lines, name) {
  const at = lines.findIndex((l) => l.depth && bare(l.title).toLowerCase() === name.toLowerCase());
  if (at < 0) throw new Error(`The template has no heading "${name}".`);
  return part(lines, at);
}

/** The fenced code blocks in some lines, fences included. */
function codeBlocks(lines) {
  const blocks = [];
  lines.forEach((l) => {
    if (l.open) blocks.push([l]);
    else if (l.code) blocks.at(-1).push(l);
  });
  return blocks;
}

/** The first table in some lines. */
function table(lines, name) {
  const start = lines.findIndex((l) => !l.code && l.line.trim().startsWith('|'));
  if (start < 0) throw new Error(`"${name}" in the template has no table.`);
  let end = start;
  while (end < lines.length && !lines[end].code && lines[end].line.trim().startsWith('|')) end++;
  const [header, separator, ...rows] = lines.slice(start, end).map((l) => l.line);
  return { header: cells(header), separator, rows: rows.map(cells) };
}

/** Snippet text for template lines; `stops` numbers the placeholders (shared by one snippet). */
function fill(lines, stops = new Map()) {
  return lines.map(({ line }) => {
    let out = '';
    let last = 0;
    for (const m of line.matchAll(PLACEHOLDER)) {
      out += escape(line.slice(last, m.index)) + tabStop(m[1], stops);
      last = m.index + m[0].length;
    }
    return out + escape(line.slice(last));
  });
}

function tabStop(inner, stops) {
  const key = inner.replace(/\s+/g, ' ').trim().toLowerCase();
  if (key === 'date') return TODAY;
  if (stops.has(key)) return `\${${stops.get(key)}}`;
  stops.set(key, stops.size + 1);
  return `\${${stops.size}:${escape(inner)}}`;
}

const row = (values) => `| ${values.join(' | ')} |`;

/** A new row for a table: a tab stop per column named after its header, today in a Date column, a choice of the template's values in `choiceColumn`. */
function newRow({ header, rows }, choiceColumn) {
  let n = 0;
  return row(header.map((name, i) => {
    if (name.toLowerCase() === 'date') return TODAY;
    n++;
    if (name !== choiceColumn) return `\${${n}:${escape(name)}}`;
    const choices = [...new Set(rows.map((r) => r[i]).filter(Boolean))];
    return `\${${n}|${choices.map(escapeChoice).join(',')}|}`;
  }));
}

/** A table with its rows' values after the first column as tab stops holding the template's values. */
function editableTable({ header, separator, rows }) {
  let n = 0;
  const values = rows.map(([key, ...rest]) => row([escape(key), ...rest.map((v) => `\${${++n}${v ? `:${escape(v)}` : ''}}`)]));
  return [row(header.map(escape)), escape(separator), ...values];
}

/** The snippets file's text for a template's text. */
export function generate(templateText) {
  const lines = scan(templateText);
  const title = lines.find((l) => l.depth === 1)?.title.replace(PLACEHOLDER, '').replace(/[\s:]+$/, '') ?? 'Runbook';
  const snippets = {};
  const add = (name, prefix, description, body) => (snippets[name] = { prefix, description, body });

  const sectionStarts = lines.flatMap((l, i) => (l.depth === 2 ? [i] : []));
  add(`Runbook: whole ${title}`, 'runbook-full', `A whole ${title} from the template (${sectionStarts.length} sections), its placeholders as tab stops`, fill(lines));

  const slugs = new Set();
  sectionStarts.forEach((at, index) => {
    let section = part(lines, at);
    if (index === sectionStarts.length - 1) {
      // The document's closing lines after the last section's final rule belong to no section.
      const lastRule = section.findLastIndex((l) => !l.code && RULE.test(l.line));
      if (lastRule > 0) section = section.slice(0, lastRule + 1);
    }
    let name = slug(section[0].title);
    while (slugs.has(name)) name += '-2';
    slugs.add(name);
    add(`Runbook section: ${bare(section[0].title)}`, `runbook-section-${name}`, `Runbook section "${section[0].title}" from the template`, fill(section));
  });

  const [notification, resolution] = codeBlocks(find(lines, PARTS.communication));
  if (!resolution) throw new Error(`"${PARTS.communication}" in the template needs two code blocks (notification, resolution).`);
  add('Runbook: incident notification', 'runbook-incident-notification', 'Initial incident notification message, from the template', fill(notification));
  add('Runbook: incident resolution', 'runbook-incident-resolution', 'Incident resolution message, from the template', fill(resolution));

  const [postmortem] = codeBlocks(find(lines, PARTS.postmortem));
  if (!postmortem) throw new Error(`"${PARTS.postmortem}" in the template has no code block.`);
  add('Runbook: post-incident review', 'runbook-postmortem', 'Post-incident review (post-mortem), from the template', fill(postmortem));

  add('Runbook: severity table', 'runbook-severity-table', `The "${PARTS.severityLevels}" table from the template, its values as tab stops`, editableTable(table(find(lines, PARTS.severityLevels), PARTS.severityLevels)));
  add('Runbook: alert row', 'runbook-alert-row', `A row for the "${PARTS.alerts}" table`, [newRow(table(find(lines, PARTS.alerts), PARTS.alerts), PARTS.severityColumn)]);
  add('Runbook: contact row', 'runbook-contact-row', `A row for the "${PARTS.contacts}" table`, [newRow(table(find(lines, PARTS.contacts), PARTS.contacts))]);
  add('Runbook: change-log row', 'runbook-changelog-row', `A row for the "${PARTS.history}" table, dated today`, [newRow(table(find(lines, PARTS.history), PARTS.history))]);

  return `${JSON.stringify(snippets, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generate(readFileSync(TEMPLATE, 'utf8'));
  const arg = process.argv[2];
  if (arg === '--check') {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('snippets/runbook.code-snippets is out of date: run node scripts/gen-snippets.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(arg ? resolve(arg) : OUTPUT, text);
    console.log(`wrote ${arg ?? 'snippets/runbook.code-snippets'} (${Object.keys(JSON.parse(text)).length} snippets)`);
  }
}
