import type { Diagnostic } from 'vscode-languageserver-types';
import type { ReviewStatus, RunbookSummary } from '../../protocol';
import { ruleById } from '../rules/index';
import type { RuleId } from '../rules/types';
import { DUE_SOON_DAYS } from './summary';

/** One finding as the report lists it (0-based line and character, as LSP). */
export interface HealthReportProblem {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  character: number;
}

/** One runbook of the report. */
export interface HealthReportRunbook {
  /** The path shown and linked: relative to the report's folder (the CLI's working directory, the workspace folder). */
  path: string;
  uri: string;
  summary: RunbookSummary;
  problems: HealthReportProblem[];
}

export interface HealthReportInput {
  runbooks: HealthReportRunbook[];
  /** YYYY-MM-DD: the day the review statuses were computed for. */
  today: string;
  title?: string;
  /** The workspace is still being scanned: the list may grow. */
  indexing?: boolean;
  /** The Content-Security-Policy nonce of the page's style and script; a random one when absent. */
  nonce?: string;
}

const LEVEL = { 1: 'error', 2: 'warning' } as const;

/** Findings as the report lists them: what the workspace index keeps of a runbook's diagnostics. */
export function reportProblems(diagnostics: readonly Diagnostic[]): HealthReportProblem[] {
  return diagnostics.map((d) => ({
    rule: typeof d.code === 'string' ? d.code : String(d.code ?? 'runbook'),
    severity: LEVEL[d.severity as 1 | 2] ?? 'info',
    message: d.message,
    line: d.range.start.line,
    character: d.range.start.character,
  }));
}

/** A runbook's report entry from what a check answered: its summary and its diagnostics. */
export function healthReportRunbook(path: string, uri: string, summary: RunbookSummary, diagnostics: readonly Diagnostic[]): HealthReportRunbook {
  return { path, uri, summary, problems: reportProblems(diagnostics) };
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The review cell: a badge for overdue and due soon, the date, and a sort key (days left; no date sorts last). */
function reviewCell(review: ReviewStatus): { html: string; sort: number } {
  const days = review.days ?? 0;
  switch (review.status) {
    case 'overdue':
      return { html: `<span class="badge overdue">overdue</span> ${escape(review.date ?? '')} <span class="muted">(${plural(-days, 'day')} ago)</span>`, sort: days };
    case 'due-soon':
      return { html: `<span class="badge due-soon">due ${days === 0 ? 'today' : `in ${plural(days, 'day')}`}</span> ${escape(review.date ?? '')}`, sort: days };
    case 'ok':
      return { html: `${escape(review.date ?? '')} <span class="muted">(in ${plural(days, 'day')})</span>`, sort: days };
    default:
      return { html: '<span class="muted">no date</span>', sort: Number.MAX_SAFE_INTEGER };
  }
}

const fileLink = (r: HealthReportRunbook, text: string, line?: number) =>
  `<a href="${escape(r.path.split('\\').join('/'))}" data-uri="${escape(r.uri)}"${line === undefined ? '' : ` data-line="${line}"`}>${text}</a>`;

const sortable = (label: string, type: 'text' | 'number', extra = '') => `<th scope="col" data-type="${type}"${extra}><button type="button">${label}</button></th>`;

function runbookRow(r: HealthReportRunbook): string {
  const s = r.summary;
  const count = (severity: HealthReportProblem['severity']) => r.problems.filter((p) => p.severity === severity).length;
  const { present, expected } = s.sections;
  const ratio = expected ? present / expected : 1;
  const review = reviewCell(s.review);
  const title = `${fileLink(r, escape(s.title))}<div class="path">${escape(r.path)}</div>`;
  // <meter> colours itself from low/high/optimum and needs no inline style, which the page's policy forbids.
  const meter = `<meter min="0" max="${expected}" low="${expected * 0.6}" high="${expected * 0.9}" optimum="${expected}" value="${present}"></meter>`;
  return [
    `<tr data-review="${s.review.status}">`,
    `<td data-value="${escape(s.title.toLowerCase())}">${title}</td>`,
    `<td data-value="${ratio.toFixed(4)}" class="completeness">${meter} <span>${present}/${expected} sections</span></td>`,
    `<td data-value="${s.placeholders}" class="num">${s.placeholders}</td>`,
    `<td data-value="${count('error')}" class="num${count('error') ? ' has-errors' : ''}">${count('error')}</td>`,
    `<td data-value="${count('warning')}" class="num">${count('warning')}</td>`,
    `<td data-value="${review.sort}" class="review">${review.html}</td>`,
    '</tr>',
  ].join('');
}

function ruleRows(runbooks: HealthReportRunbook[]): string[] {
  const byRule = new Map<string, { error: number; warning: number; info: number; runbooks: Set<string> }>();
  for (const r of runbooks) {
    for (const p of r.problems) {
      const entry = byRule.get(p.rule) ?? { error: 0, warning: 0, info: 0, runbooks: new Set<string>() };
      entry[p.severity]++;
      entry.runbooks.add(r.uri);
      byRule.set(p.rule, entry);
    }
  }
  return [...byRule]
    .sort(([a, x], [b, y]) => y.error - x.error || y.warning - x.warning || y.info - x.info || (a < b ? -1 : 1))
    .map(([rule, e]) => {
      const description = ruleById.get(rule as RuleId)?.description ?? (rule === 'suppression' ? 'a suppression comment names an unknown rule' : '');
      return [
        '<tr>',
        `<td data-value="${escape(rule)}"><code>${escape(rule)}</code></td>`,
        `<td>${escape(description)}</td>`,
        `<td data-value="${e.error}" class="num">${e.error}</td>`,
        `<td data-value="${e.warning}" class="num">${e.warning}</td>`,
        `<td data-value="${e.info}" class="num">${e.info}</td>`,
        `<td data-value="${e.runbooks.size}" class="num">${e.runbooks.size}</td>`,
        '</tr>',
      ].join('');
    });
}

function problemList(r: HealthReportRunbook): string {
  if (!r.problems.length) return '';
  const counts = (['error', 'warning', 'info'] as const).map((sev) => [sev, r.problems.filter((p) => p.severity === sev).length] as const).filter(([, n]) => n);
  const items = r.problems.map(
    (p) =>
      `<li class="${p.severity}">${fileLink(r, `${p.line + 1}:${p.character + 1}`, p.line)} <span class="sev">${p.severity}</span> ${escape(p.message)} <code>${escape(p.rule)}</code></li>`,
  );
  return `<details><summary>${escape(r.summary.title)} <span class="muted">${escape(r.path)} · ${counts.map(([sev, n]) => (sev === 'info' ? `${n} info` : plural(n, sev))).join(', ')}</span></summary><ol>${items.join('')}</ol></details>`;
}

const STYLE = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); font-size: var(--vscode-font-size, 14px);
  color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #fff); margin: 0 auto; padding: 1.5em 2em; max-width: 80em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; } h2 { font-size: 1.2em; margin: 1.6em 0 .6em; }
.muted, .path { color: var(--vscode-descriptionForeground, #656d76); } .path { font-size: .85em; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; margin: 1em 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--vscode-panel-border, #d0d7de); border-radius: 6px; padding: .6em 1em; min-width: 8em; }
.cards strong { display: block; font-size: 1.6em; }
.cards .overdue strong { color: var(--vscode-errorForeground, #cf222e); } .cards .due-soon strong { color: var(--vscode-editorWarning-foreground, #9a6700); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--vscode-panel-border, #d0d7de); vertical-align: top; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.num, th[data-type="number"] { text-align: right; }
td.has-errors { color: var(--vscode-errorForeground, #cf222e); font-weight: 600; }
meter { width: 8em; vertical-align: middle; }
.badge { display: inline-block; border-radius: 1em; padding: 0 .6em; font-size: .85em; font-weight: 600; }
.badge.overdue { background: var(--vscode-inputValidation-errorBackground, #ffebe9); color: var(--vscode-errorForeground, #cf222e); }
.badge.due-soon { background: var(--vscode-inputValidation-warningBackground, #fff8c5); color: var(--vscode-editorWarning-foreground, #9a6700); }
a { color: var(--vscode-textLink-foreground, #0969da); }
details { margin: .3em 0; } summary { cursor: pointer; } ol { margin: .3em 0 .8em; }
li .sev { font-size: .85em; font-weight: 600; } li.error .sev { color: var(--vscode-errorForeground, #cf222e); } li.warning .sev { color: var(--vscode-editorWarning-foreground, #9a6700); }
code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .9em; white-space: nowrap; }
`;

// Sorts a table by a column when its header is clicked. In a VS Code webview, links open the runbook
// in the editor, and the sort order outlives the page being replaced when the workspace changes.
const SCRIPT = `
const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const state = (vscode && vscode.getState()) || {};
function sortBy(table, column, ascending) {
  const heads = Array.from(table.tHead.rows[0].cells);
  const th = heads[column];
  for (const h of heads) h.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const numeric = th.dataset.type === 'number';
  const key = (row) => row.cells[column].dataset.value ?? row.cells[column].textContent;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).sort((a, b) => {
    const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b));
    return ascending ? order : -order;
  });
  body.append(...rows);
}
for (const table of document.querySelectorAll('table.sortable')) {
  Array.from(table.tHead.rows[0].cells).forEach((th, column) => {
    const button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      sortBy(table, column, ascending);
      state[table.id] = { column, ascending };
      if (vscode) vscode.setState(state);
    });
  });
  const saved = state[table.id];
  if (saved && table.tHead.rows[0].cells[saved.column]) sortBy(table, saved.column, saved.ascending);
}
if (vscode) {
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-uri]') : null;
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'open', uri: link.dataset.uri, line: link.dataset.line === undefined ? undefined : Number(link.dataset.line) });
  });
}
`;

/**
 * The workspace health report: one self-contained HTML page (its style and script inline, a
 * policy that lets it load nothing) listing every runbook with its completeness, placeholders,
 * problems and review status, sortable, then the problems by rule and by runbook. The CLI writes it
 * to a file; the language server hands it to the editor's webview. Uses no Node API.
 */
export function renderHealthReport(input: HealthReportInput): string {
  const nonce = escape(input.nonce ?? randomNonce());
  const runbooks = input.runbooks;
  const title = input.title ?? 'Runbook health report';
  const status = (s: ReviewStatus['status']) => runbooks.filter((r) => r.summary.review.status === s).length;
  const withErrors = runbooks.filter((r) => r.problems.some((p) => p.severity === 'error')).length;
  const complete = runbooks.filter((r) => r.summary.sections.present >= r.summary.sections.expected).length;
  const card = (n: number, label: string, cls = '') => `<li${cls ? ` class="${cls}"` : ''}><strong>${n}</strong>${escape(label)}</li>`;
  const rules = ruleRows(runbooks);
  const body = [
    `<header><h1>${escape(title)}</h1><p class="muted">${plural(runbooks.length, 'runbook')} · review dates as of ${escape(input.today)}${input.indexing ? ' · still scanning the workspace' : ''}</p></header>`,
    '<ul class="cards" aria-label="Overview">',
    card(runbooks.length, 'runbooks'),
    card(complete, 'with every section'),
    card(withErrors, 'with errors'),
    card(status('overdue'), 'overdue for review', 'overdue'),
    card(status('due-soon'), `due for review within ${DUE_SOON_DAYS} days`, 'due-soon'),
    '</ul>',
    '<h2 id="runbooks-heading">Runbooks</h2>',
    runbooks.length
      ? [
          '<table id="runbooks" class="sortable" aria-labelledby="runbooks-heading"><thead><tr>',
          sortable('Runbook', 'text', ' aria-sort="ascending"'),
          sortable('Completeness', 'number'),
          sortable('Placeholders', 'number'),
          sortable('Errors', 'number'),
          sortable('Warnings', 'number'),
          sortable('Review', 'number'),
          `</tr></thead><tbody>${[...runbooks].sort((a, b) => a.summary.title.toLowerCase().localeCompare(b.summary.title.toLowerCase())).map(runbookRow).join('')}</tbody></table>`,
        ].join('')
      : '<p class="muted">No runbooks found.</p>',
    '<h2 id="rules-heading">Problems by rule</h2>',
    rules.length
      ? [
          '<table id="rules" class="sortable" aria-labelledby="rules-heading"><thead><tr>',
          sortable('Rule', 'text'),
          '<th scope="col">Checks that</th>',
          sortable('Errors', 'number', ' aria-sort="descending"'),
          sortable('Warnings', 'number'),
          sortable('Info', 'number'),
          sortable('Runbooks', 'number'),
          `</tr></thead><tbody>${rules.join('')}</tbody></table>`,
        ].join('')
      : '<p class="muted">No problems.</p>',
    runbooks.some((r) => r.problems.length) ? `<h2>Problems by runbook</h2>${runbooks.map(problemList).join('')}` : '',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    `<style nonce="${nonce}">${STYLE}</style>`,
    '</head><body>',
    ...body,
    `<script nonce="${nonce}">${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
