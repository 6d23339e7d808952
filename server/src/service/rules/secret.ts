import { lintSource } from '@secretlint/core';
import { creator as recommended, rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import type { SecretLintCoreConfig, SecretLintCoreResultMessage, SecretLintRuleCreator } from '@secretlint/types';
import { secretLintProfiler } from '@secretlint/profiler';
import type { DocumentModel } from '../model/document';
import type { Finding, Fix, Rule } from './types';

// secretlint's always-on profiler keeps every mark the process ever records and scans them all at each new
// one: a long-running server would grow slower and larger with every keystroke. Nothing reads the marks.
secretLintProfiler.mark = () => {};

/*
 * Credentials are found by secretlint's rules: the recommended preset (private keys, AWS, GitHub, Slack,
 * npm, basic auth and database URLs, ...) plus @secretlint/secretlint-rule-pattern, configured here, for
 * what the preset does not look for: `password: ...`-style assignments, passwords in URLs of other schemes,
 * bearer tokens, and PEM keys the private-key rule skips. This module only maps secretlint's reports to
 * findings: it narrows ranges to the secret itself (so that the fix keeps the key, the user and the host),
 * names the kind of credential, and never repeats the secret in a message.
 */

const PRESET = '@secretlint/secretlint-rule-preset-recommend';
const RULE = (name: string) => `@secretlint/secretlint-rule-${name}`;

const REPLACEMENT = '<stored in the secret manager>';
const FIX_TITLE = 'Replace the credential with a reference to the secret manager';

/** Obvious documentation values that the preset's own ignore lists miss (`ghp_xxxx…`, Slack's `T00000000/B00000000/XXXX…`). */
const DOC_EXAMPLES = ['/x{8,}/i', '/EXAMPLE/', '/0{10,}/', '/(?:^|[^a-z])your[-_]/i'];
/** Placeholder passwords in URLs (`mongodb://<user>:<password>@host`, `://user:[password]@`), which the URL rules report. */
// Documentation examples stand in for a password with a placeholder (`<password>`, `[pass]`, `***`) or with
// words that say so (`a-secret-password`).
const URL_PLACEHOLDERS = [String.raw`/:(?:<[^<>\s@]*>|\[[^\]\s@]*\]|\*+)@/`, String.raw`/:(?:[a-z]+-)*(?:password|secret)(?:-[a-z]+)*@/`];

// --- Assignments: `password: hunter2`, `DB_PASSWORD=...`, `"api_key": "..."` ---------------------------------
//
// A match runs from the key to the end of the value; the finding is narrowed to the value (ASSIGNMENT_PREFIX).
// The value must be one token that ends its line (or, for `KEY=value` written without spaces, one followed
// by more of a command line, as in `PGPASSWORD=... psql`), so prose after a colon ("Password: stored in
// Vault") never matches. Patterns start with the key, which lets the regex engine skip ahead quickly; a
// leading lookbehind made them 20-50 times slower.

/**
 * Separator between key and value: optional closing quote/emphasis, `:`, `=` or `=>`, optional opening
 * quote/emphasis. No two `[ \t]*` are adjacent, so it cannot backtrack polynomially on long blank runs.
 */
const SEP = String.raw`["'\x60*_]*[ \t]*(?:=>|[:=])[ \t*_\x60]*["'\x60]?`;
/** A value: one token, not starting like a placeholder or reference (`<...>`, `[...]`, `{{...}}`, `$VAR`, `%VAR%`, `****`, `!vault`, `&anchor`). */
const VALUE = String.raw`(?![<\[{(*$%!&@#])[^\s'"\x60<>()\[\]{}$|,;*\\]{4,200}`;
/**
 * What may follow a value: a closing quote (`-H "X-API-Key: ..." https://...`), or the end of the line
 * after optional emphasis, `,`/`;`, spaces or a `# comment`.
 */
const LINE_END = String.raw`(?=["'\x60]|[*_]{0,2}[,;]?(?:[ \t]*\r?$|[ \t]+#))`;

function assignment(keys: string): string[] {
  return [
    // key: value / key = value / "key": "value", ending the line
    String.raw`/(?:${keys})${SEP}${VALUE}${LINE_END}/gim`,
    // KEY=value followed by more of a command line
    String.raw`/(?:${keys})=${VALUE}(?=[ \t]+\S)/gim`,
  ];
}

/** The key and separator at the start of an assignment match: the key holds no `:` or `=`. */
const ASSIGNMENT_PREFIX = String.raw`^[^:=\s]*?${SEP}`;

/**
 * Values of credential-named keys that are not credentials: placeholders, references, words, masks.
 * Each is a whole value; `allowValues` anchors them after the match's key and separator.
 */
const NOT_A_VALUE = [
  // a word ("Vault", "required", "none", "NONE"), a masked value ("****", "xxxxxxxx", "•••")
  '/[A-Z]?[a-z]{1,15}/',
  '/[A-Z]{1,15}/',
  String.raw`/(.)\1+/`,
  '/[xX*•.#-]+/',
  '/n\\/a/i',
  // an environment variable name, or a lowercase identifier, path or dotted reference (DB_PASSWORD,
  // ledger-db, kv/payments/db, args.password, data.aws_secretsmanager_secret_version.db.secret_string)
  '/[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+/',
  String.raw`/[a-z]+[0-9]*(?:[._\/-][a-z]+[0-9]*)+/`,
  String.raw`/(?:.*[._\/-])?(?:password|passwd|pwd|secret|secrets|token|api_?key|key|creds?|credentials?)(?:[._\/-].*)?/i`,
  String.raw`/(?:process\.env|os\.environ|os\.getenv|env\.|ENV\b|System\.getenv|var\.|local\.|data\.).*/`,
  // a URL or a file path (password_file values, "Forgot password: https://...")
  String.raw`/[a-z][a-z0-9+.-]*:\/\/.*/i`,
  String.raw`/(?:\/|\.\.?\/|~\/).*/`,
  // a small number (a length, a count, a TTL), an ellipsis, a documentation value
  String.raw`/\d{1,6}/`,
  String.raw`/.*(?:\.\.\.|…).*/`,
  '/.*(?:example|sample|dummy|placeholder|changeme|your[_-]).*/i',
  ...DOC_EXAMPLES.map((d) => d.replace(/^\/(.*)\/(\w*)$/, '/.*$1.*/$2')),
];

/** Anchors whole-value allow patterns after `prefix` (the part of the match before the value). */
function allowValues(prefix: string, values: string[]): string[] {
  return values.map((v) => {
    const m = /^\/(.*)\/(\w*)$/.exec(v);
    if (!m) throw new Error(`not a /regexp/: ${v}`);
    return `/${prefix}(?:${m[1]})$/${m[2]}`;
  });
}

/** Keys whose values are credentials; the key must end right before the separator (`password_file:` does not match). */
const KEYS = String.raw`pass(?:word|wd|phrase)|pwd|secret(?:[_-]?(?:access[_-]?)?key)?|token|api[_-]?key`;
const ASSIGNMENT_PATTERNS = [{ name: 'assignment', label: 'password', patterns: assignment(KEYS) }];

/** What the key of an assignment match calls the credential. */
function assignmentLabel(match: string): string {
  const key = match.slice(0, match.search(/[:=]/)).toLowerCase();
  if (/api[_-]?key$/.test(key)) return 'API key';
  if (/token\W*$/.test(key)) return 'token';
  if (/secret(?:[_-]?(?:access[_-]?)?key)?\W*$/.test(key)) return 'secret';
  return 'password';
}

// --- Passwords in URLs the preset's basic-auth and database rules miss --------------------------------------
//
// Basic auth only takes http(s)/ftp URLs with `[-a-zA-Z0-9_]` passwords; the database rule only postgres,
// mysql and mongodb. This covers `scheme://user:password@host` for any scheme (redis, amqp, mysql2, ...);
// where a preset rule reports the same password, its finding wins (see `dedupe`). The match starts at the
// scheme's last letter: a full scheme alternation at its start made the scan several times slower.

const URL_PATTERNS = [
  {
    name: 'url-password',
    label: 'password in a URL',
    patterns: [String.raw`/[A-Za-z0-9+.-]:\/\/[^\s:@\/]{0,100}:(?![<\[{($%*])[^\s:@\/<>\[\]{}$'"\x60]{4,200}(?=@[^\s@\/]*[A-Za-z0-9])/g`],
  },
];

// --- Bearer tokens in Authorization headers -------------------------------------------------------------------

const BEARER_PATTERNS = [
  {
    name: 'bearer',
    label: 'bearer token',
    patterns: [String.raw`/\bBearer[ \t]+(?![<\[{($%*])[A-Za-z0-9._~+\/-]{20,}=*(?=["'\x60\s]|$)/gm`],
  },
];

// --- Private keys the preset's private-key rule misses --------------------------------------------------------

const KEY_PATTERNS = [
  {
    // The private-key rule only accepts a body starting `MI`, so P-256 EC keys (`MHcC...`) and encrypted
    // PKCS#8 keys pass it. Needs at least two full lines of base64, so `...` placeholders do not match.
    name: 'pem',
    label: 'private key',
    patterns: [
      String.raw`/-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----(?:\r?\n[ \t>]*[A-Za-z0-9+\/=]{40,}){2,}(?:\r?\n[ \t>]*[A-Za-z0-9+\/=]+)?\r?\n[ \t>]*-----END (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/g`,
    ],
  },
];

interface PatternEntry {
  name: string;
  label: string;
  patterns: string[];
}

/**
 * Instances of @secretlint/secretlint-rule-pattern. `prefix` matches the part of a match before the
 * secret: the finding is narrowed to what follows it, and the instance's allow-list (NOT_A_VALUE) is
 * anchored after it. Instances without a prefix report the whole match and allow nothing.
 */
const PATTERN_INSTANCES: { id: string; prefix?: string; entries: PatternEntry[] }[] = [
  { id: 'pattern:assignments', prefix: ASSIGNMENT_PREFIX, entries: ASSIGNMENT_PATTERNS },
  { id: 'pattern:urls', prefix: String.raw`^[A-Za-z0-9+.-]:\/\/[^\s:@\/]*:`, entries: URL_PATTERNS },
  { id: 'pattern:bearer', prefix: String.raw`^Bearer[ \t]+`, entries: BEARER_PATTERNS },
  { id: 'pattern:keys', entries: KEY_PATTERNS },
];
const PATTERN_PREFIX = new Map(PATTERN_INSTANCES.map((p) => [p.id, p.prefix ? new RegExp(p.prefix) : undefined]));
const PATTERN_ENTRIES = PATTERN_INSTANCES.flatMap((p) => p.entries);

/** Built once: secretlint only reads it. */
const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: PRESET,
      rule: recommended,
      rules: [
        // Access key IDs are only reported with enableIDScanRule; account IDs are not credentials.
        { id: RULE('aws'), options: { enableIDScanRule: true, allows: DOC_EXAMPLES }, allowMessageIds: ['AWSAccountID'] },
        ...['github', 'slack', 'npm', 'sendgrid', 'shopify', 'privatekey'].map((name) => ({ id: RULE(name), options: { allows: DOC_EXAMPLES } })),
        ...['basicauth', 'database-connection-string'].map((name) => ({ id: RULE(name), options: { allows: [...DOC_EXAMPLES, ...URL_PLACEHOLDERS] } })),
      ],
    },
    ...PATTERN_INSTANCES.map(({ id, prefix, entries }) => ({
      id,
      rule: patternRule as SecretLintRuleCreator,
      options: {
        allows: prefix ? allowValues(prefix, NOT_A_VALUE) : [],
        patterns: entries.map(({ name, patterns }) => ({ name, patterns })),
      },
    })),
  ],
};

/** Only the GCP rule, for JSON code blocks: it tells a service account key from any other private key. */
const gcpRule = recommendedRules.find((r) => r.meta.id === RULE('gcp'));
const GCP_CONFIG: SecretLintCoreConfig | undefined = gcpRule ? { rules: [{ id: RULE('gcp'), rule: gcpRule }] } : undefined;

/** The pattern entry a pattern-rule report came from: its name is in the report's data (and message). */
function patternEntry(m: SecretLintCoreResultMessage): PatternEntry | undefined {
  const name = (m.data as { PATTERN_NAME?: unknown } | undefined)?.PATTERN_NAME;
  return PATTERN_ENTRIES.find((p) => p.name === name || m.message.startsWith(`found matching ${p.name}:`));
}

interface Kind {
  label: string;
  /** Show the first characters of the secret (public type prefixes such as `ghp_`, `xoxb`, `AKIA`). */
  hint: boolean;
  /** The reported range is a whole URL: narrow it to the password between `user:` and `@`. */
  url?: boolean;
  /** Higher wins when findings overlap. */
  rank: number;
}

const KINDS: Record<string, Kind> = {
  'aws/AWSAccessKeyID': { label: 'AWS access key ID', hint: true, rank: 3 },
  'aws/AWSSecretAccessKey': { label: 'AWS secret access key', hint: false, rank: 3 },
  'privatekey/PrivateKey': { label: 'private key', hint: false, rank: 4 },
  'npm/NPM_ACCESS_TOKEN': { label: 'npm access token', hint: true, rank: 3 },
  'npm/Npmrc_authToken': { label: 'npm auth token', hint: false, rank: 3 },
  'npm/PackageJSON_xOauthToken': { label: 'GitHub OAuth token', hint: false, rank: 3 },
  'slack/SLACK_TOKEN': { label: 'Slack token', hint: true, rank: 3 },
  'slack/IncomingWebhook': { label: 'Slack webhook URL', hint: false, rank: 3 },
  'basicauth/BasicAuth': { label: 'password in a URL', hint: false, url: true, rank: 2 },
  'database-connection-string/PostgreSQLConnection': { label: 'PostgreSQL connection string with a password', hint: false, url: true, rank: 2 },
  'database-connection-string/MySQLConnection': { label: 'MySQL connection string with a password', hint: false, url: true, rank: 2 },
  'database-connection-string/MongoDBConnection': { label: 'MongoDB connection string with a password', hint: false, url: true, rank: 2 },
  'github/GITHUB_TOKEN': { label: 'GitHub token', hint: true, rank: 3 },
  'openai/OPENAI_TOKEN': { label: 'OpenAI API key', hint: true, rank: 3 },
  'anthropic/ANTHROPIC_API_KEY': { label: 'Anthropic API key', hint: true, rank: 3 },
  'linear/LINEAR_API_TOKEN': { label: 'Linear API key', hint: true, rank: 3 },
  'sendgrid/SENDGRID_KEY': { label: 'SendGrid API key', hint: true, rank: 3 },
  'shopify/SHOPIFY_KEY': { label: 'Shopify access token', hint: true, rank: 3 },
  '1password/OPS_TOKEN': { label: '1Password service account token', hint: true, rank: 3 },
};

interface Found {
  start: number;
  end: number;
  label: string;
  hint: boolean;
  rank: number;
}

export const secret: Rule = {
  id: 'secret',
  defaultSeverity: 'error',
  description:
    'A credential is in the runbook (private key, cloud access key, API token, password in a URL or a `password:` line): store it in a secret manager and reference it by name.',
  async check({ model, session }) {
    const text = model.text;
    if (!text) return [];
    const found: Found[] = [];
    const previous = session?.state.get('secret') as Map<string, Found[]> | undefined;
    const current = new Map<string, Found[]>();
    for (const [from, to] of pieces(text)) {
      const content = from === 0 && to === text.length ? text : text.slice(from, to);
      const key = fingerprint(text, from, to);
      let inPiece = previous?.get(key) ?? current.get(key);
      if (!inPiece) {
        await session?.checkpoint();
        inPiece = await scan(content);
      }
      current.set(key, inPiece);
      for (const f of inPiece) found.push({ ...f, start: f.start + from, end: f.end + from });
    }
    // What secretlint found in each piece of this version (by the piece's fingerprint, offsets within the
    // piece): the next check re-scans only the pieces an edit changed. Fingerprints, not text, are kept.
    session?.state.set('secret', current);
    await labelServiceAccountKeys(model, found);
    return dedupe(found).map((f) => finding(f, text));
  },
};

/**
 * Length and two independent 32-bit hashes (FNV-1a and a multiplicative one) of text[from, to): a piece
 * is found again only when its text is the same, short of a 64-bit collision.
 */
function fingerprint(text: string, from: number, to: number): string {
  let a = 0x811c9dc5;
  let b = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = (Math.imul(b, 31) + c) | 0;
  }
  return `${to - from}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}

/** secretlint over one piece of text; offsets in the result are within the piece. */
async function scan(content: string): Promise<Found[]> {
  const result = await lintSource({
    source: { content, filePath: 'runbook.md', ext: '.md', contentType: 'text' },
    // secretlint's own messages contain the secret: they are read for the pattern name only, never passed on.
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  // secretlint drops a leading BOM and reports offsets into the rest.
  const offset = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  const found: Found[] = [];
  for (const m of result.messages) {
    const f = toFound(m, content, offset);
    if (f) found.push(f);
  }
  return found;
}

/** Most lines in one secretlint run; see `pieces`. */
const PIECE_LINES = 1000;
/** Fewest lines before a heading starts a new piece: each secretlint run has a fixed cost. */
const PIECE_MIN_LINES = 250;
/** Most lines a key block may hold before its BEGIN is taken for one that never ends. */
const KEY_LINES = 200;
/** Below this size a document is one piece. */
const PIECE_MIN_TEXT = 20_000;

/**
 * Splits the text into pieces that secretlint checks one by one: before a `#` or `##` heading line once
 * a piece has PIECE_MIN_LINES lines, and after PIECE_LINES lines without one, never inside a
 * `-----BEGIN ...` / `-----END ...` block. Cutting at headings keeps pieces where they were when an edit
 * changes a few lines, so the edit re-scans one piece and the others keep their results.
 * Short pieces also bound secretlint's cost: its core removes duplicate reports in time quadratic in their
 * number (in one run 3,000 reports take half a second, 9,000 about thirteen). A document that uses
 * `secretlint-disable` comments, whose ranges may span pieces, is checked in one run.
 */
function pieces(text: string): [number, number][] {
  if (text.length < PIECE_MIN_TEXT || text.includes('secretlint-disable')) return [[0, text.length]];
  const out: [number, number][] = [];
  let from = 0;
  let lines = 0;
  // Lines since a `-----BEGIN` line without its END yet; a key block is a few dozen lines, so after
  // KEY_LINES the BEGIN is taken for one that never ends.
  let inKey = 0;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    // A cut goes before a line, so it depends on whether a key block is open after the previous one.
    const heading = text.charCodeAt(start) === 35 /* # */ && /^##?[ \t]/.test(text.slice(start, start + 3));
    if (inKey && ++inKey > KEY_LINES) inKey = 0;
    if (start > from && !inKey && ((heading && lines >= PIECE_MIN_LINES) || lines >= PIECE_LINES)) {
      out.push([from, start]);
      from = start;
      lines = 0;
    }
    lines++;
    const line = text.slice(start, end);
    if (line.includes('-----')) {
      // Key blocks may be indented, quoted or in a string (`"-----BEGIN ...\n`): any marker on the line counts.
      const begin = line.lastIndexOf('-----BEGIN');
      if (begin >= 0) inKey = line.includes('-----END', begin) ? 0 : 1;
      else if (line.includes('-----END')) inKey = 0;
    }
    start = end;
  }
  if (from < text.length) out.push([from, text.length]);
  return out;
}

function toFound(m: SecretLintCoreResultMessage, text: string, offset: number): Found | undefined {
  let start = m.range[0] + offset;
  let end = m.range[1] + offset;
  if (!(start >= 0 && end > start && end <= text.length)) return undefined;
  if (PATTERN_PREFIX.has(m.ruleId)) {
    const p = patternEntry(m);
    if (!p) return undefined;
    const match = text.slice(start, end);
    start += PATTERN_PREFIX.get(m.ruleId)?.exec(match)?.[0].length ?? 0;
    if (start >= end) return undefined;
    const label = p.name === 'pem' ? privateKeyLabel(text, start) : p.name === 'assignment' ? assignmentLabel(match) : p.label;
    return { start, end, label, hint: false, rank: 1 };
  }
  const key = `${m.ruleId.replace('@secretlint/secretlint-rule-', '')}/${m.messageId}`;
  const kind = KINDS[key];
  if (!kind) return { start, end, label: 'credential', hint: false, rank: 0 };
  if (key === 'aws/AWSSecretAccessKey') [start, end] = awsSecretRange(text, start, end);
  if (kind.url) [start, end] = urlPasswordRange(text, start, end);
  const label = key === 'privatekey/PrivateKey' ? privateKeyLabel(text, start) : kind.label;
  return { start, end, label, hint: kind.hint, rank: kind.rank };
}

/**
 * secretlint 11's AWS rule reports `[matchIndex, matchIndex + 40]`, where the match starts at the key
 * name (`aws_secret_access_key = ...`), not at the 40-character secret. Move the range onto the secret.
 */
function awsSecretRange(text: string, start: number, end: number): [number, number] {
  if (/^[A-Za-z0-9/+=]{40}$/.test(text.slice(start, end)) && /(?::|=>|=)\s*["']?$/.test(text.slice(Math.max(0, start - 20), start))) {
    return [start, end];
  }
  const m = /^["']?(?:AWS|aws|Aws)?_?(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)["']?\s*(?::|=>|=)\s*["']?([A-Za-z0-9/+=]{40})/.exec(text.slice(start, start + 200));
  if (!m) return [start, end];
  const s = start + m[0].length - 40;
  return [s, s + 40];
}

/** Narrows a URL with credentials (`scheme://user:password@host...`) to its password. */
function urlPasswordRange(text: string, start: number, end: number): [number, number] {
  const url = text.slice(start, end);
  const scheme = url.indexOf('://');
  if (scheme < 0) return [start, end];
  const colon = url.indexOf(':', scheme + 3);
  const at = colon < 0 ? -1 : url.indexOf('@', colon + 1);
  if (colon < 0 || at < 0 || at === colon + 1 || /[\s/]/.test(url.slice(colon + 1, at))) return [start, end];
  return [start + colon + 1, start + at];
}

/** "RSA private key", "OpenSSH private key", ... from the BEGIN line (which is not secret). */
function privateKeyLabel(text: string, start: number): string {
  const m = /^-----BEGIN ([A-Z]+ )?PRIVATE KEY/.exec(text.slice(start, start + 60));
  const type = m?.[1]?.trim();
  const names: Record<string, string> = { RSA: 'RSA', DSA: 'DSA', EC: 'EC', OPENSSH: 'OpenSSH', PGP: 'PGP', ENCRYPTED: 'encrypted' };
  return type && names[type] ? `${names[type]} private key` : 'private key';
}

/**
 * A private key inside a JSON code block that secretlint's GCP rule recognises as a service account key
 * file is named as such (the GCP rule only looks at `.json` files, so the blocks are checked one by one).
 */
async function labelServiceAccountKeys(model: DocumentModel, found: Found[]): Promise<void> {
  if (!GCP_CONFIG) return;
  const keys = found.filter((f) => f.label.endsWith('private key'));
  if (!keys.length) return;
  for (const block of model.codeBlocks) {
    const inside = keys.filter((k) => block.start <= k.start && k.end <= block.end);
    if (!inside.length) continue;
    const source = model.text.slice(block.start, block.end);
    const open = source.indexOf('{');
    const close = source.lastIndexOf('}');
    if (open < 0 || close < open) continue;
    const result = await lintSource({
      source: { content: source.slice(open, close + 1), filePath: 'service-account.json', ext: '.json', contentType: 'text' },
      options: { config: GCP_CONFIG, noPhysicFilePath: true },
    });
    if (result.messages.length) for (const k of inside) k.label = 'GCP service account key';
  }
}

/**
 * One finding per place: within each group of overlapping reports the more specific rule wins, then the
 * longer range. Overlaps are rare, so groups are found by a sweep and only they are compared pairwise.
 */
function dedupe(found: Found[]): Found[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Found[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    let groupEnd = sorted[i].end;
    while (j < sorted.length && sorted[j].start < groupEnd) groupEnd = Math.max(groupEnd, sorted[j++].end);
    if (j === i + 1) {
      kept.push(sorted[i]);
    } else {
      const group = sorted.slice(i, j).sort((a, b) => b.rank - a.rank || b.end - b.start - (a.end - a.start) || a.start - b.start);
      const chosen: Found[] = [];
      for (const f of group) if (!chosen.some((k) => k.start < f.end && f.start < k.end)) chosen.push(f);
      kept.push(...chosen.sort((a, b) => a.start - b.start));
    }
    i = j;
  }
  return kept;
}

function finding(f: Found, text: string): Finding {
  const secretText = text.slice(f.start, f.end);
  const hint = f.hint && secretText.length > 8 ? ` ${secretText.slice(0, 4)}…` : '';
  const fix: Fix = { title: FIX_TITLE, edits: [{ start: f.start, end: f.end, newText: REPLACEMENT }], safe: false };
  return {
    rule: 'secret',
    start: f.start,
    end: f.end,
    message: `Credential in the document (${f.label}${hint}): remove it and store it in a secret manager; reference it by name, and rotate it if this document was shared.`,
    fixes: [fix],
  };
}
