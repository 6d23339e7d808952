import { URI } from 'vscode-uri';
import { FileType, type FileSystem } from '../host';
import type { GlobMatcher } from '../features/detect';
import { RULE_IDS, type RuleId, type Severity } from '../rules/types';
import { dirnameOf, relativePath, resolvePath } from './paths';

/** The name of a team's configuration file, found by walking up from a document. */
export const CONFIG_NAME = '.runbookrc.json';

/** A problem in a configuration file, with the place it is about (0-based offsets into the file). */
export interface ConfigProblem {
  message: string;
  start: number;
  end: number;
  /** The file cannot be used as it is (the CLI exits with 2). */
  fatal: boolean;
}

export interface Override {
  files: string[];
  draftMarkers?: string[];
  /** URI of the template file. */
  template?: string;
  rules: Partial<Record<RuleId, Severity>>;
}

/** A parsed `.runbookrc.json`; paths in it are relative to its folder. */
export interface RunbookConfig {
  /** URI of the file. */
  uri: string;
  /** URI of its folder: globs and templates are relative to it. */
  dir: string;
  text: string;
  /** URI of the template file. */
  template?: string;
  files?: string[];
  draftMarkers?: string[];
  rules: Partial<Record<RuleId, Severity>>;
  overrides: Override[];
  problems: ConfigProblem[];
}

const SEVERITIES = ['off', 'info', 'warning', 'error'];
const KEYS = ['$schema', 'template', 'files', 'draftMarkers', 'rules', 'overrides'];

/** Where a key sits in the file text, for pointing a problem at it. */
function locate(text: string, key: string, from = 0): { start: number; end: number } {
  const at = text.indexOf(`"${key}"`, from);
  return at >= 0 ? { start: at, end: at + key.length + 2 } : { start: 0, end: 0 };
}

function readRules(raw: unknown, where: string, text: string, problems: ConfigProblem[], from = 0): Partial<Record<RuleId, Severity>> {
  const rules: Partial<Record<RuleId, Severity>> = {};
  if (raw === undefined) return rules;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ message: `${where} must be an object of rule ids and severities.`, ...locate(text, 'rules', from), fatal: true });
    return rules;
  }
  for (const [id, severity] of Object.entries(raw as Record<string, unknown>)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      problems.push({ message: `Unknown rule "${id}" in ${where}; known rules: ${RULE_IDS.join(', ')}.`, ...locate(text, id, from), fatal: false });
      continue;
    }
    if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) {
      problems.push({ message: `Unknown severity ${JSON.stringify(severity)} for "${id}" in ${where}; use off, info, warning or error.`, ...locate(text, id, from), fatal: false });
      continue;
    }
    rules[id as RuleId] = severity as Severity;
  }
  return rules;
}

function readWords(raw: unknown, where: string, text: string, problems: ConfigProblem[], from = 0): string[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.every((w) => typeof w === 'string' && w.trim())) return raw.map((w: string) => w.trim());
  problems.push({ message: `${where} must be a list of words (an empty list turns the draft-marker check off).`, ...locate(text, 'draftMarkers', from), fatal: false });
  return undefined;
}

function readGlobs(raw: unknown, where: string, key: string, text: string, problems: ConfigProblem[], from = 0): string[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.every((g) => typeof g === 'string' && g.trim())) return raw as string[];
  problems.push({ message: `${where} must be a list of glob patterns.`, ...locate(text, key, from), fatal: true });
  return undefined;
}

async function checkTemplate(fs: FileSystem, template: unknown, dir: URI, where: string, text: string, problems: ConfigProblem[], from = 0): Promise<string | undefined> {
  if (template === undefined) return undefined;
  if (typeof template !== 'string' || !template.trim()) {
    problems.push({ message: `${where} must be the path of a Markdown template.`, ...locate(text, 'template', from), fatal: true });
    return undefined;
  }
  const uri = resolvePath(dir, template);
  if ((await fs.stat(uri))?.type !== FileType.File) {
    const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    problems.push({ message: `Template "${template}" does not exist (looked for ${shown}); the built-in template is used instead.`, ...locate(text, template, from), fatal: true });
    return undefined;
  }
  return uri.toString();
}

/** Parses a configuration text; every problem is collected, none is thrown. Template paths are checked on `fs`. */
export async function parseConfig(fs: FileSystem, uri: URI, text: string): Promise<RunbookConfig> {
  const dir = dirnameOf(uri);
  const problems: ConfigProblem[] = [];
  const config: RunbookConfig = { uri: uri.toString(), dir: dir.toString(), text, rules: {}, overrides: [], problems };
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const m = /position (\d+)/.exec((error as Error).message);
    const at = m ? Number(m[1]) : 0;
    problems.push({ message: `${CONFIG_NAME} is not valid JSON: ${(error as Error).message}`, start: at, end: at + 1, fatal: true });
    return config;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ message: `${CONFIG_NAME} must hold an object.`, start: 0, end: 1, fatal: true });
    return config;
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!KEYS.includes(key)) problems.push({ message: `Unknown key "${key}" in ${CONFIG_NAME}; expected template, files, draftMarkers, rules or overrides.`, ...locate(text, key), fatal: false });
  }
  config.template = await checkTemplate(fs, r.template, dir, '"template"', text, problems);
  config.files = readGlobs(r.files, '"files"', 'files', text, problems);
  config.draftMarkers = readWords(r.draftMarkers, '"draftMarkers"', text, problems);
  config.rules = readRules(r.rules, '"rules"', text, problems);
  if (r.overrides === undefined) return config;
  if (!Array.isArray(r.overrides)) {
    problems.push({ message: '"overrides" must be a list of { files, template, rules }.', ...locate(text, 'overrides'), fatal: true });
    return config;
  }
  const from = locate(text, 'overrides').start;
  for (const [i, o] of r.overrides.entries()) {
    const where = `overrides[${i}]`;
    if (o === null || typeof o !== 'object') {
      problems.push({ message: `${where} must be an object.`, ...locate(text, 'overrides'), fatal: true });
      continue;
    }
    const entry = o as Record<string, unknown>;
    const files = readGlobs(entry.files, `${where}.files`, 'files', text, problems, from);
    if (!files) {
      if (entry.files === undefined) problems.push({ message: `${where} needs "files", the globs it applies to.`, ...locate(text, 'overrides'), fatal: true });
      continue;
    }
    const template = await checkTemplate(fs, entry.template, dir, `${where}.template`, text, problems, from);
    const draftMarkers = readWords(entry.draftMarkers, `${where}.draftMarkers`, text, problems, from);
    config.overrides.push({ files, template, draftMarkers, rules: readRules(entry.rules, `${where}.rules`, text, problems, from) });
  }
  return config;
}

/** A configuration file that cannot be read, as a config with one fatal problem. */
export function unreadableConfig(uri: URI, reason: string): RunbookConfig {
  const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  return { uri: uri.toString(), dir: dirnameOf(uri).toString(), text: '', rules: {}, overrides: [], problems: [{ message: `Cannot read ${shown}: ${reason}`, start: 0, end: 0, fatal: true }] };
}

/** What a configuration says about one file: its globs, rules and template, overrides applied. */
export interface ConfigLayer {
  files?: string[];
  draftMarkers?: string[];
  rules: Partial<Record<RuleId, Severity>>;
  /** URI of the template file. */
  template?: string;
  /** The path `files` globs are matched against: relative to the config's folder. */
  matchPath?: string;
}

/** The configuration's settings for a document: the file's top level, then every override whose globs match. */
export function configLayer(config: RunbookConfig, uri: URI, globs: GlobMatcher): ConfigLayer {
  const matchPath = relativePath(URI.parse(config.dir), uri);
  const layer: ConfigLayer = { files: config.files, draftMarkers: config.draftMarkers, rules: { ...config.rules }, template: config.template, matchPath };
  if (matchPath === undefined) return layer;
  for (const o of config.overrides) {
    if (!globs.matches(matchPath, o.files)) continue;
    if (o.template) layer.template = o.template;
    if (o.draftMarkers) layer.draftMarkers = o.draftMarkers;
    Object.assign(layer.rules, o.rules);
  }
  return layer;
}
