import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { matchesGlobs } from './service/features/detect';
import { RULE_IDS, type RuleId, type Severity } from './service/rules/types';
import type { RunbookSettings } from './service/settings';

/** The name of a team's configuration file, found by walking up from a document. */
export const CONFIG_NAME = '.runbookrc.json';

/** A problem in a configuration file, with the place it is about (0-based offsets into the file). */
export interface ConfigProblem {
  message: string;
  start: number;
  end: number;
  /** The file cannot be used at all (the CLI exits with 2). */
  fatal: boolean;
}

interface Override {
  files: string[];
  template?: string;
  rules: Partial<Record<RuleId, Severity>>;
}

/** A parsed `.runbookrc.json`; paths in it are relative to its folder. */
export interface RunbookConfig {
  path: string;
  dir: string;
  text: string;
  template?: string;
  files?: string[];
  rules: Partial<Record<RuleId, Severity>>;
  overrides: Override[];
  problems: ConfigProblem[];
}

/** The settings that apply to one file, and the template to check it against. */
export interface Effective {
  settings: RunbookSettings;
  /** Absolute template path, or '' for the built-in template. */
  template: string;
  /** The path to match `files` globs against (relative to the config file when there is one). */
  matchPath: string;
  config: RunbookConfig | undefined;
}

const SEVERITIES = ['off', 'info', 'warning', 'error'];

/** Where a JSON value of a key sits in the file text, for pointing a problem at it. */
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

function readGlobs(raw: unknown, where: string, key: string, text: string, problems: ConfigProblem[], from = 0): string[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.every((g) => typeof g === 'string' && g.trim())) return raw as string[];
  problems.push({ message: `${where} must be a list of glob patterns.`, ...locate(text, key, from), fatal: true });
  return undefined;
}

function checkTemplate(template: unknown, dir: string, where: string, text: string, problems: ConfigProblem[], from = 0): string | undefined {
  if (template === undefined) return undefined;
  if (typeof template !== 'string' || !template.trim()) {
    problems.push({ message: `${where} must be the path of a Markdown template.`, ...locate(text, 'template', from), fatal: true });
    return undefined;
  }
  const path = resolve(dir, template);
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    problems.push({ message: `Template "${template}" does not exist (looked for ${path}); the built-in template is used instead.`, ...locate(text, template, from), fatal: true });
    return undefined;
  }
  return path;
}

/** Parses a configuration text; every problem is collected, none is thrown. */
export function parseConfig(path: string, text: string): RunbookConfig {
  const dir = dirname(path);
  const problems: ConfigProblem[] = [];
  const config: RunbookConfig = { path, dir, text, rules: {}, overrides: [], problems };
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
    if (!['$schema', 'template', 'files', 'rules', 'overrides'].includes(key)) {
      problems.push({ message: `Unknown key "${key}" in ${CONFIG_NAME}; expected template, files, rules or overrides.`, ...locate(text, key), fatal: false });
    }
  }
  config.template = checkTemplate(r.template, dir, '"template"', text, problems);
  config.files = readGlobs(r.files, '"files"', 'files', text, problems);
  config.rules = readRules(r.rules, '"rules"', text, problems);
  if (r.overrides !== undefined) {
    if (!Array.isArray(r.overrides)) {
      problems.push({ message: '"overrides" must be a list of { files, template, rules }.', ...locate(text, 'overrides'), fatal: true });
    } else {
      const from = locate(text, 'overrides').start;
      r.overrides.forEach((o, i) => {
        const where = `overrides[${i}]`;
        if (o === null || typeof o !== 'object') {
          problems.push({ message: `${where} must be an object.`, ...locate(text, 'overrides'), fatal: true });
          return;
        }
        const entry = o as Record<string, unknown>;
        const files = readGlobs(entry.files, `${where}.files`, 'files', text, problems, from);
        if (!files) {
          if (entry.files === undefined) problems.push({ message: `${where} needs "files", the globs it applies to.`, ...locate(text, 'overrides'), fatal: true });
          return;
        }
        config.overrides.push({ files, template: checkTemplate(entry.template, dir, `${where}.template`, text, problems, from), rules: readRules(entry.rules, `${where}.rules`, text, problems, from) });
      });
    }
  }
  return config;
}

/** Reads config files, once per path and modification time. */
export class ConfigStore {
  private cache = new Map<string, { mtime: number; config: RunbookConfig }>();

  /** The nearest `.runbookrc.json` above a file, stopping at `root` when given. */
  find(filePath: string, root?: string): string | undefined {
    let dir = dirname(filePath);
    for (;;) {
      const candidate = join(dir, CONFIG_NAME);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // keep walking up
      }
      const parent = dirname(dir);
      if (parent === dir || (root && !(dir + sep).startsWith(root.endsWith(sep) ? root : root + sep))) return undefined;
      dir = parent;
    }
  }

  load(path: string): RunbookConfig {
    let mtime = -1;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      // reported below as unreadable
    }
    const hit = this.cache.get(path);
    if (hit && hit.mtime === mtime) return hit.config;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const config: RunbookConfig = { path, dir: dirname(path), text: '', rules: {}, overrides: [], problems: [{ message: `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, start: 0, end: 0, fatal: true }] };
      return config;
    }
    const config = parseConfig(path, text);
    this.cache.set(path, { mtime, config });
    return config;
  }

  clear(): void {
    this.cache.clear();
  }
}

/**
 * The settings for one file: the editor's settings, then the config file's, then every override whose
 * globs match the file, then a `runbook-template` in the document's front matter.
 */
export function effectiveSettings(base: RunbookSettings, config: RunbookConfig | undefined, filePath: string, frontMatterTemplate?: string): Effective {
  const settings: RunbookSettings = { ...base, rules: { ...base.rules } };
  let template = base.template;
  let matchPath = filePath.split(sep).join('/');
  if (config) {
    matchPath = relative(config.dir, filePath).split(sep).join('/');
    if (config.files) settings.files = config.files;
    if (config.template) template = config.template;
    Object.assign(settings.rules, config.rules);
    for (const o of config.overrides) {
      if (!matchesGlobs(matchPath, o.files)) continue;
      if (o.template) template = o.template;
      Object.assign(settings.rules, o.rules);
    }
  }
  if (frontMatterTemplate) template = isAbsolute(frontMatterTemplate) ? frontMatterTemplate : resolve(dirname(filePath), frontMatterTemplate);
  settings.template = template;
  return { settings, template, matchPath, config };
}
