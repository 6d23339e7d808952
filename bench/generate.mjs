// Builds large but plausible runbooks from the example: the numbered sections appended again
// for more clusters, with distinct headings, so anchors, tables and code stay realistic.
import { readFileSync } from 'node:fs';

export const EXAMPLE = new URL('../examples/payments-api-runbook.md', import.meta.url);

/** The example runbook with its numbered sections repeated until it is `times` as long. */
export function generateRunbook(times, base = readFileSync(EXAMPLE, 'utf8')) {
  if (times <= 1) return base;
  const lines = base.split('\n');
  const first = lines.findIndex((l) => /^## Section 1:/.test(l));
  const appendix = lines.findIndex((l) => /^## Appendix/.test(l));
  const head = lines.slice(0, first);
  const body = lines.slice(first, appendix);
  const tail = lines.slice(appendix);
  const out = [...head, ...body];
  // Every copy adds the body; the rest (head and appendix) is about one copy's worth in total.
  for (let k = 2; k <= times; k++) out.push(...renamed(body, k));
  out.push(...tail);
  return out.join('\n');
}

function renamed(body, k) {
  let fence;
  return body.map((line) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1];
      else if (f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      return line;
    }
    if (fence) return line;
    const h = /^(#{2,6} )(.*?)\s*$/.exec(line);
    if (!h) return line;
    return `${h[1]}${h[2]} (cluster ${k})`;
  });
}
