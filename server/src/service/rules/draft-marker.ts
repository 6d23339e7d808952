import type { Finding, Rule } from './types';
import { emptyFieldFindings } from './empty-field';
import { draftMarkersOf, markerCandidates, markerPattern } from './markers';

/** The run of text around `at` up to spaces, table pipes and brackets: a URL, an address or a word. */
function tokenAround(source: string, at: number, length: number): string {
  const stop = /[\s|<>()[\]"']/;
  let start = at;
  let end = at + length;
  while (start > 0 && !stop.test(source[start - 1])) start--;
  while (end < source.length && !stop.test(source[end])) end++;
  return source.slice(start, end);
}

/** A URL, a bare `www.` address or an e-mail address: a marker in one is part of a name, not a note. */
function isAddress(token: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\//i.test(token) || /^www\./i.test(token) || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(token);
}

/**
 * `??? note "Title"` and `???+ tip` at the start of a line open a collapsible block in MkDocs Material
 * (pymdownx.details), which many runbook sites use: syntax, not a question left open.
 */
function opensCollapsible(text: string, start: number, end: number): boolean {
  if (!/^\?+$/.test(text.slice(start, end))) return false;
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  return /^[ \t>]*$/.test(text.slice(lineStart, start)) && /^(?:\+[ \t]*|[ \t]+)[A-Za-z"]/.test(text.slice(end, end + 3));
}

export const draftMarker: Rule = {
  id: 'draft-marker',
  defaultSeverity: 'warning',
  description: 'A draft marker (TBD, TBC, TODO, FIXME, XXX, ???) is left in the text or a table; code, links and comments are not checked.',
  check(ctx) {
    const { model, match } = ctx;
    const pattern = markerPattern(draftMarkersOf(ctx));
    if (!pattern) return [];
    // Values that are only a marker are empty fields: that rule reports them, unless it is off.
    const taken = ctx.isEnabled?.('empty-field') === false ? [] : emptyFieldFindings(match, pattern);
    const findings: Finding[] = [];
    // Where a marker's text occurs at all, from one pass over the document: a run holding none is skipped.
    const candidates = markerCandidates(model.text, pattern);
    if (!candidates.length) return findings;
    let c = 0;
    let last = 0;
    // Text runs are prose, headings and table cells; code, inline code and HTML (comments too) are not
    // text runs of kind `text`, and link destinations are no text at all.
    for (const run of model.textRuns) {
      if (run.kind !== 'text') continue;
      // Runs are in document order (were one not, the search starts over); candidates too, each as a start and an end.
      if (run.start < last) c = 0;
      last = run.start;
      while (c < candidates.length && candidates[c + 1] <= run.start) c += 2;
      if (c >= candidates.length) continue;
      if (candidates[c] >= run.end) continue;
      const source = model.text.slice(run.start, run.end);
      for (const m of source.matchAll(pattern)) {
        const at = m.index ?? 0;
        // A file name such as TODO.md, not a marker.
        if (/^\.\p{L}/u.test(source.slice(at + m[0].length, at + m[0].length + 2))) continue;
        if (isAddress(tokenAround(source, at, m[0].length))) continue;
        const start = run.start + at;
        const end = start + m[0].length;
        if (opensCollapsible(model.text, start, end)) continue;
        if (taken.some((f) => f.start <= start && end <= f.end)) continue;
        findings.push({ rule: 'draft-marker', start, end, message: `Draft marker "${m[0]}" is still here: write the missing content, then remove the marker.` });
      }
    }
    return findings;
  },
};
