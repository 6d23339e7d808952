// A generated workspace of many runbooks of mixed sizes, for the scale benchmark: drafts cut short,
// filled runbooks, and long ones; folders per team with a README each (not runbooks); links between
// runbooks of a team and across teams. Deterministic for a seed.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE, generateRunbook } from './generate.mjs';

/** A small deterministic PRNG (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = 25;

/**
 * Writes `count` runbooks into `dir` (emptied first) and answers their paths relative to it, with the
 * total size (about 25 KB a runbook on average). Half are early drafts (the example cut after one to
 * four sections, 5-20 KB, some placeholders back), a third are half-written (cut after four to seven
 * sections, 20-32 KB), one in ten is the whole example renamed (51 KB) and one in twenty-five is twice
 * as long.
 */
export function generateWorkspace(dir, count = 1000, seed = 1) {
  rmSync(dir, { recursive: true, force: true });
  const base = readFileSync(EXAMPLE, 'utf8');
  const long = generateRunbook(2, base);
  const sections = [...base.matchAll(/^## Section \d+:/gm)].map((m) => m.index);
  const next = random(seed);
  const pick = (from, to) => from + Math.floor(next() * (to - from + 1));
  const paths = [];
  for (let i = 0; i < count; i++) paths.push(`teams/team-${String(i % TEAMS).padStart(2, '0')}/service-${String(i).padStart(4, '0')}-runbook.md`);
  let bytes = 0;
  for (let t = 0; t < TEAMS; t++) {
    const readme = `# Team ${t}\n\nOur runbooks: ${paths.filter((_, i) => i % TEAMS === t).slice(0, 5).map((p) => `[${p.split('/').pop()}](${p.split('/').pop()})`).join(', ')}.\n`;
    mkdirSync(join(dir, `teams/team-${String(t).padStart(2, '0')}`), { recursive: true });
    writeFileSync(join(dir, `teams/team-${String(t).padStart(2, '0')}/README.md`), readme);
  }
  paths.forEach((path, i) => {
    const kind = next();
    let text;
    if (kind < 0.86) {
      // sections[k] is where section k+1 starts: a draft that stops after k sections.
      const cut = sections[kind < 0.5 ? pick(1, 4) : pick(4, 7)];
      text = base.slice(0, cut).replace(/Payments API/g, `Service ${i}`);
      if (next() < 0.5) text = text.replace(/\| \*\*Owner\*\* \| [^|\n]*\|/, '| **Owner** | [Name/Role] |');
    } else if (kind < 0.96) {
      text = base.replace(/Payments API/g, `Service ${i}`);
    } else {
      text = long.replace(/Payments API/g, `Service ${i}`);
    }
    const other = paths[Math.floor(next() * count)];
    const sameTeam = paths[(i + TEAMS) % count];
    text += `\n\nSee also [a neighbour](/${sameTeam}#section-8-rollback-procedures) and [another team](/${other}#section-7-incident-response).\n`;
    writeFileSync(join(dir, path), text);
    bytes += Buffer.byteLength(text);
  });
  return { paths, bytes };
}
