import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'gen-snippets.mjs');
const templateText = readFileSync(join(root, 'templates', 'system-runbook.md'), 'utf8');
const committedText = readFileSync(join(root, 'snippets', 'runbook.code-snippets'), 'utf8');

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}
const snippets = JSON.parse(committedText) as Record<string, Snippet>;
const all = Object.values(snippets);
const byPrefix = (prefix: string): Snippet => {
  const found = all.find((s) => s.prefix === prefix);
  assert.ok(found, `no snippet ${prefix}`);
  return found;
};

async function generate(text: string): Promise<string> {
  const mod = (await import(pathToFileURL(script).href)) as { generate: (templateText: string) => string };
  return mod.generate(text);
}

/** Variables VS Code resolves in snippets; any other `$NAME` would be inserted as its name. */
const VARIABLES = new Set(
  'CURRENT_YEAR CURRENT_YEAR_SHORT CURRENT_MONTH CURRENT_MONTH_NAME CURRENT_MONTH_NAME_SHORT CURRENT_DATE CURRENT_DAY_NAME CURRENT_DAY_NAME_SHORT CURRENT_HOUR CURRENT_MINUTE CURRENT_SECOND CURRENT_SECONDS_UNIX CURRENT_TIMEZONE_OFFSET TM_SELECTED_TEXT TM_CURRENT_LINE TM_CURRENT_WORD TM_LINE_INDEX TM_LINE_NUMBER TM_FILENAME TM_FILENAME_BASE TM_DIRECTORY TM_FILEPATH RELATIVE_FILEPATH CLIPBOARD WORKSPACE_NAME WORKSPACE_FOLDER CURSOR_INDEX CURSOR_NUMBER RANDOM RANDOM_HEX UUID BLOCK_COMMENT_START BLOCK_COMMENT_END LINE_COMMENT'.split(' '),
);

/**
 * Checks a snippet body against VS Code's snippet syntax: `$1`, `${1}`, `${1:default}`, `${1|a,b|}`, `$VAR`,
 * `${VAR}`, `${VAR:default}`; `\` escapes `$`, `}` and `\` (and `,` `|` in choices). Stricter than VS Code:
 * a `}` or `$` meant as text must be escaped, a tab stop gets its default once, tab stops are numbered 1..n.
 */
function checkSnippet(text: string): string[] {
  const problems: string[] = [];
  const defaults = new Map<number, number>();
  let i = 0;
  const where = () => `at ${i} near ${JSON.stringify(text.slice(Math.max(0, i - 12), i + 12))}`;
  const use = (n: number, withDefault: boolean) => defaults.set(n, (defaults.get(n) ?? 0) + (withDefault ? 1 : 0));

  function sequence(nested: boolean): void {
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += /[$}\\]/.test(text[i + 1] ?? '') ? 2 : 1;
      else if (c === '}' && nested) return;
      else if (c === '}') {
        problems.push(`unescaped } ${where()}`);
        i++;
      } else if (c === '$') element();
      else i++;
    }
    if (nested) problems.push('unclosed ${ at the end');
  }

  function close(): void {
    if (text[i] === '}') i++;
    else problems.push(`expected } ${where()}`);
  }

  function element(): void {
    i++;
    let m = /^(\d+)|^([A-Za-z_]\w*)/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      if (m[1]) use(Number(m[1]), false);
      else if (!VARIABLES.has(m[2])) problems.push(`unknown variable $${m[2]} ${where()}`);
      return;
    }
    if (text[i] !== '{') {
      problems.push(`unescaped $ ${where()}`);
      return;
    }
    i++;
    m = /^(\d+)|^([A-Za-z_]\w*)/.exec(text.slice(i));
    if (!m) {
      problems.push(`\${ without a tab stop or variable ${where()}`);
      return;
    }
    i += m[0].length;
    if (m[2] && !VARIABLES.has(m[2])) problems.push(`unknown variable ${m[2]} ${where()}`);
    if (m[1]) use(Number(m[1]), text[i] === ':' || text[i] === '|');
    if (text[i] === ':') {
      i++;
      sequence(true);
      close();
    } else if (text[i] === '|' && m[1]) {
      i++;
      choice();
    } else close();
  }

  function choice(): void {
    let options = 1;
    while (i < text.length) {
      if (text[i] === '\\' && /[,|\\]/.test(text[i + 1] ?? '')) i += 2;
      else if (text[i] === ',') {
        options++;
        i++;
      } else if (text[i] === '|' && text[i + 1] === '}') {
        i += 2;
        if (options < 2) problems.push(`choice with one option ${where()}`);
        return;
      } else if (text[i] === '|') {
        problems.push(`unescaped | in a choice ${where()}`);
        i++;
      } else i++;
    }
    problems.push('unclosed choice at the end');
  }

  sequence(false);
  for (const [n, count] of defaults) if (count > 1) problems.push(`tab stop ${n} has ${count} defaults`);
  const numbers = [...defaults.keys()].filter((n) => n > 0).sort((a, b) => a - b);
  numbers.forEach((n, index) => {
    if (n !== index + 1) problems.push(`tab stops are not numbered 1..${numbers.length}: ${numbers.join(',')}`);
  });
  return [...new Set(problems)];
}

const headings = (depth: number) => {
  let fenced = false;
  return templateText.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    return !fenced && line.startsWith(`${'#'.repeat(depth)} `);
  });
};

test('the snippet checker accepts snippet syntax and rejects broken bodies', () => {
  for (const ok of ['plain', '$1 ${2} ${3:a ${4:b}} $0', '${1|a,b\\,c|}', '${CURRENT_YEAR}-$CURRENT_MONTH', 'cost \\$5 \\} \\\\', '${1:x} ${1}']) {
    assert.deepEqual(checkSnippet(ok), [], ok);
  }
  for (const bad of ['${1:open', 'a } b', 'cost $ 5', '${}', '$NOPE', '${1|only|}', '${1:a} ${1:b}', '${2:skips 1}']) {
    assert.notDeepEqual(checkSnippet(bad), [], bad);
  }
});

test('the committed snippets file is what gen-snippets.mjs generates from the template', async () => {
  assert.equal(committedText, await generate(templateText), 'stale: run node scripts/gen-snippets.mjs');
  const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('every snippet has a runbook- prefix of its own, a description and a body', () => {
  assert.equal(all.length, 8 + headings(2).length, 'whole runbook, one per section, 7 parts');
  for (const [name, s] of Object.entries(snippets)) {
    assert.match(s.prefix, /^runbook-[a-z0-9-]+$/, name);
    assert.ok(typeof s.description === 'string' && s.description.length > 10, `${name}: description`);
    assert.ok(Array.isArray(s.body) && s.body.length > 0 && s.body.every((l) => typeof l === 'string'), `${name}: body`);
  }
  assert.equal(new Set(all.map((s) => s.prefix)).size, all.length, 'prefixes are unique');
  for (const prefix of ['runbook-full', 'runbook-incident-notification', 'runbook-incident-resolution', 'runbook-postmortem', 'runbook-severity-table', 'runbook-alert-row', 'runbook-contact-row', 'runbook-changelog-row']) {
    byPrefix(prefix);
  }
});

test('every body is valid VS Code snippet syntax', () => {
  for (const [name, s] of Object.entries(snippets)) assert.deepEqual(checkSnippet(s.body.join('\n')), [], name);
});

test('the full runbook holds every heading of the template, placeholders as tab stops and today for [DATE]', () => {
  const full = byPrefix('runbook-full').body;
  assert.equal(full.length, templateText.trimEnd().split('\n').length);
  for (const heading of headings(2)) assert.ok(full.includes(heading), heading);
  const text = full.join('\n');
  assert.equal(full[0], '# System Runbook: ${1:SYSTEM NAME}');
  assert.ok(full.includes('| **System Name** | ${1} |'), 'the same placeholder (ignoring case) reuses its tab stop');
  assert.ok(full.includes('| **Last Updated** | ${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE} |'));
  assert.ok(!text.includes('[DATE]'));
  assert.ok(full.includes('- [ ] All tests passing'), 'task boxes stay');
  assert.ok(full.includes('8. [Rollback Procedures](#section-8-rollback-procedures)'), 'links stay');
  assert.ok(full.includes('ssh -i ~/.ssh/${24:key-name}.pem ${25:user}@${26:host}'), 'placeholders in code become tab stops');
});

test('every top-level section has its snippet, cut from its heading to the next one', () => {
  for (const heading of headings(2)) {
    const slug = heading.slice(3).replace(/^Section \d+:\s*/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const section = byPrefix(`runbook-section-${slug}`);
    assert.equal(section.body[0], heading);
    assert.ok(!section.body.slice(1).some((l) => l.startsWith('## ')), `${slug} stops at the next section`);
    assert.equal(section.body.at(-1), '---', `${slug} ends with its rule`);
  }
  const rollback = byPrefix('runbook-section-rollback-procedures').body;
  assert.ok(rollback.includes('### 8.5 Rollback Verification'));
  assert.ok(rollback.includes('git revert ${1:commit-hash}'), 'tab stops are numbered per snippet');
  assert.ok(!byPrefix('runbook-section-appendix').body.some((l) => l.includes('Approved By')), 'the document footer is no section');
});

test('the message, review, table and row snippets come from their parts of the template', () => {
  const notification = byPrefix('runbook-incident-notification').body;
  assert.deepEqual([notification[0], notification[1], notification.at(-1)], ['```', '[STATUS UPDATE - ${1:SYSTEM NAME}]', '```']);
  assert.ok(notification.includes('Next Update: ${3}'));
  assert.equal(byPrefix('runbook-incident-resolution').body[1], '[RESOLVED - ${1:SYSTEM NAME}]');
  const postmortem = byPrefix('runbook-postmortem').body;
  assert.equal(postmortem[1], 'INCIDENT POST-MORTEM');
  assert.ok(postmortem.includes('Date: ${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE}'));
  const severity = byPrefix('runbook-severity-table').body;
  assert.equal(severity.length, 6);
  assert.equal(severity[2], '| **SEV-1** | ${1:Complete outage} | ${2:15 minutes} | ${3:Site down, data breach} |');
  assert.deepEqual(byPrefix('runbook-alert-row').body, ['| ${1:Alert Name} | ${2:Condition} | ${3|Critical,Warning|} | ${4:Notification} |']);
  assert.deepEqual(byPrefix('runbook-contact-row').body, ['| ${1:Role} | ${2:Name} | ${3:Phone} | ${4:Email} | ${5:Availability} |']);
  assert.deepEqual(byPrefix('runbook-changelog-row').body, ['| ${1:Version} | ${CURRENT_YEAR}-${CURRENT_MONTH}-${CURRENT_DATE} | ${2:Author} | ${3:Changes} |']);
});

test('template text with $, } and \\ is escaped for snippet syntax', async () => {
  const text = templateText.replace('### 1.1 Purpose', '### 1.1 Purpose\n\nCosts $5 per {month} in C:\\data, see [cost $ note}].\n\n```bash\necho "${HOME}" $PATH\n```');
  const generated = JSON.parse(await generate(text)) as Record<string, Snippet>;
  const overview = Object.values(generated).find((s) => s.prefix === 'runbook-section-system-overview');
  assert.ok(overview);
  assert.ok(overview.body.includes('Costs \\$5 per {month\\} in C:\\\\data, see ${1:cost \\$ note\\}}.'));
  assert.ok(overview.body.includes('echo "\\${HOME\\}" \\$PATH'));
  for (const s of Object.values(generated)) assert.deepEqual(checkSnippet(s.body.join('\n')), [], s.prefix);
});
