import type { DocumentModel } from '../model/document';
import { RULE_IDS, type Finding, type RuleId } from '../rules/types';

const DIRECTIVE = /^\s*runbook-(disable-next-line|disable-file|disable|enable)\b([\s\S]*)$/;

/** Which findings the document's `<!-- runbook-disable... -->` comments silence. */
export interface Suppressions {
  isSuppressed(rule: RuleId, line: number): boolean;
  /** Comments naming rules that do not exist. */
  problems: Finding[];
}

/**
 * Reads `runbook-disable-next-line ids [-- reason]`, `runbook-disable ids` ... `runbook-enable ids`
 * and `runbook-disable-file ids`; ids are separated by spaces or commas; none means every rule.
 */
export function suppressionsOf(model: DocumentModel): Suppressions {
  const problems: Finding[] = [];
  const nextLine: { line: number; rules: Set<string> | 'all' }[] = [];
  const blocks: { from: number; to: number; rules: Set<string> | 'all' }[] = [];
  const file: (Set<string> | 'all')[] = [];
  const open: { from: number; rule: string }[] = [];
  const comments = [...model.comments].sort((a, b) => a.start - b.start);
  for (const comment of comments) {
    const m = DIRECTIVE.exec(comment.value);
    if (!m) continue;
    const kind = m[1];
    const ids = m[2].split(/\s--\s|^--\s|\s--$/)[0].split(/[\s,]+/).filter(Boolean);
    const unknown = ids.filter((id) => !(RULE_IDS as readonly string[]).includes(id));
    for (const id of unknown) {
      const at = comment.start + comment.value.indexOf(id) + 4;
      problems.push({ rule: 'suppression', start: at, end: at + id.length, message: `Unknown rule "${id}" in a runbook suppression comment; known rules: ${RULE_IDS.join(', ')}.` });
    }
    const known = ids.filter((id) => !unknown.includes(id));
    if (ids.length && !known.length) continue;
    const rules: Set<string> | 'all' = known.length ? new Set(known) : 'all';
    const endLine = model.lines.positionAt(comment.end).line;
    const line = model.lines.positionAt(comment.start).line;
    if (kind === 'disable-next-line') nextLine.push({ line: endLine + 1, rules });
    else if (kind === 'disable-file') file.push(rules);
    else if (kind === 'disable') for (const r of rules === 'all' ? ['*'] : rules) open.push({ from: line, rule: r });
    else {
      const closing = rules === 'all' ? null : rules;
      for (let i = open.length - 1; i >= 0; i--) {
        if (closing === null || closing.has(open[i].rule) || open[i].rule === '*') {
          blocks.push({ from: open[i].from, to: line, rules: open[i].rule === '*' ? 'all' : new Set([open[i].rule]) });
          open.splice(i, 1);
        }
      }
    }
  }
  for (const o of open) blocks.push({ from: o.from, to: Infinity, rules: o.rule === '*' ? 'all' : new Set([o.rule]) });
  const has = (rules: Set<string> | 'all', rule: string) => rules === 'all' || rules.has(rule);
  return {
    problems,
    isSuppressed(rule, line) {
      return (
        file.some((r) => has(r, rule)) ||
        nextLine.some((n) => n.line === line && has(n.rules, rule)) ||
        blocks.some((b) => b.from <= line && line <= b.to && has(b.rules, rule))
      );
    },
  };
}
