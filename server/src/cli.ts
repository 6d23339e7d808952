import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { RunbookLanguageService } from './service/languageService';
import { findingsOf, DOCS_URL } from './service/features/diagnostics';
import { rules } from './service/rules/index';
import type { Finding, Severity } from './service/rules/types';
import { defaultSettings, type RunbookSettings } from './service/settings';
import type { DocumentModel } from './service/model/document';
import { normalizeRules } from './settings';
import { TemplateStore } from './templates';
import { ConfigStore, effectiveSettings } from './config';
import { LineIndex } from './service/model/text';
import { buildModel } from './service/model/document';
import { ChunkParser } from './service/model/parse';
import type { LinkResolver, LinkTarget } from './service/rules/types';
import { today } from './today';
import { applyEdits } from './service/edits';
import { lintFiles } from './cli-worker';

const VERSION = '0.1.0';

const USAGE = `Usage: runbook-lint [options] <files, directories or globs...>

Checks Markdown runbooks against the runbook template.

Options:
  --format <text|json|sarif>   output format (default: text)
  --template <path>            template to check against (default: from .runbookrc.json, else
                               the built-in System Runbook)
  --config <path>              configuration file (default: the nearest .runbookrc.json above each file)
  --rule <id>=<severity>       set a rule's severity: off, info, warning, error (repeatable)
  --fix                        apply every safe fix (inserts missing parts, fills date placeholders)
                               and write the files in place; then report what is left
  --help, --version

Exit codes: 0 no error-severity finding, 1 at least one error, 2 usage or I/O error.
`;

interface Options {
  format: 'text' | 'json' | 'sarif';
  template: string;
  rules: RunbookSettings['rules'];
  inputs: string[];
  fix: boolean;
  config: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const options: Options = { format: 'text', template: '', rules: {}, inputs: [], fix: false, config: '' };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => {
      const eq = arg.indexOf('=');
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${name} needs a value.`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
    if (arg === '--fix') {
      options.fix = true;
      continue;
    }
    if (arg === '--format' || arg.startsWith('--format=')) {
      const format = value('--format');
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`Unknown format "${format}": use text, json or sarif.`);
      options.format = format;
    } else if (arg === '--config' || arg.startsWith('--config=')) {
      options.config = value('--config');
    } else if (arg === '--template' || arg.startsWith('--template=')) {
      options.template = value('--template');
    } else if (arg === '--rule' || arg.startsWith('--rule=')) {
      const spec = arg === '--rule' ? value('--rule') : arg.slice('--rule='.length);
      const [id, severity] = spec.split('=');
      Object.assign(options.rules, normalizeRules({ [id]: severity }, '--rule', problems));
    } else if (arg === '--') {
      options.inputs.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`Unknown option "${arg}".`);
    } else {
      options.inputs.push(arg);
    }
  }
  if (problems.length) throw new UsageError(problems.join('\n'));
  if (!options.inputs.length) throw new UsageError('No files given.');
  return options;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out);
    } else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
}

/** Files to check, in a stable order: plain paths as given, directories and globs expanded. */
function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (picomatch.scan(input).isGlob) {
      const base = picomatch.scan(input).base || '.';
      const all: string[] = [];
      try {
        walk(base, all);
      } catch {
        throw new UsageError(`No files match "${input}".`);
      }
      const isMatch = picomatch(input.replace(/^\.\//, ''), { dot: true });
      const matched = all.map((f) => relative('.', f).split('\\').join('/')).filter((f) => isMatch(f)).sort();
      if (!matched.length) throw new UsageError(`No files match "${input}".`);
      files.push(...matched);
      continue;
    }
    let stat;
    try {
      stat = statSync(input);
    } catch {
      throw new UsageError(`File not found: ${input}`);
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(input, found);
      if (!found.length) throw new UsageError(`No Markdown files (*.md, *.markdown) in ${input}`);
      files.push(...found.sort());
    } else {
      files.push(input);
    }
  }
  return [...new Set(files)];
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text.`);
  }
}

interface FileResult {
  file: string;
  model: DocumentModel;
  findings: { finding: Finding; severity: Exclude<Severity, 'off'> }[];
}

function jsonOutput(results: FileResult[]): string {
  return JSON.stringify(
    results.map((r) => ({
      file: r.file,
      diagnostics: r.findings.map(({ finding, severity }) => ({
        rule: finding.rule,
        severity,
        message: finding.message,
        range: r.model.lines.range(finding.start, finding.end),
      })),
    })),
    null,
    2,
  );
}

function textOutput(results: FileResult[], color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of results) {
    if (!r.findings.length) continue;
    lines.push(paint(4, r.file));
    for (const { finding, severity } of r.findings) {
      counts[severity]++;
      const p = r.model.lines.positionAt(finding.start);
      const label = severity === 'error' ? paint(31, 'error  ') : severity === 'warning' ? paint(33, 'warning') : paint(36, 'info   ');
      lines.push(`  ${`${p.line + 1}:${p.character + 1}`.padEnd(8)} ${label}  ${finding.message}  ${paint(2, finding.rule)}`);
    }
    lines.push('');
  }
  const total = counts.error + counts.warning + counts.info;
  lines.push(
    total
      ? `${results.length} file${results.length === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info.`
      : `${results.length} file${results.length === 1 ? '' : 's'} checked: no problems.`,
  );
  return lines.join('\n');
}

function sarifOutput(results: FileResult[]): string {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;
  const ruleIndex = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'runbook-lint',
              version: VERSION,
              informationUri: DOCS_URL,
              rules: rules.map((r) => ({
                id: r.id,
                shortDescription: { text: r.description },
                helpUri: `${DOCS_URL}#${r.id}`,
                defaultConfiguration: { level: level[r.defaultSeverity] },
              })),
            },
          },
          columnKind: 'utf16CodeUnits',
          results: results.flatMap((r) =>
            r.findings.map(({ finding, severity }) => {
              const range = r.model.lines.range(finding.start, finding.end);
              return {
                ruleId: finding.rule,
                ruleIndex: ruleIndex.get(finding.rule),
                level: level[severity],
                message: { text: finding.message },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: r.file.split('\\').join('/') },
                      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
                    },
                  },
                ],
              };
            }),
          ),
        },
      ],
    },
    null,
    2,
  );
}

/** Resolves links to other Markdown files from disk, relative to the linking file (each target read once). */
const targets = new Map<string, LinkTarget | 'missing'>();
function linksFrom(file: string): LinkResolver {
  return {
    resolve(link) {
      // A path from `/` is from the top of the repository, as on GitHub: the working directory here.
      const path = link.startsWith('/') ? resolve('.' + link) : resolve(dirname(resolve(file)), link);
      let target = targets.get(path);
      if (!target) {
        try {
          const text = readFileSync(path, 'utf8');
          const model = buildModel(pathToFileURL(path).href, 0, text, new ChunkParser(), true);
          target = { uri: model.uri, anchors: model.anchors, headings: model.headings.map((h) => ({ slug: h.slug, range: model.lines.range(h.start, h.end) })) };
        } catch {
          target = 'missing';
        }
        targets.set(path, target);
      }
      return target;
    },
  };
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help' | 'version';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`runbook-lint: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options === 'version') {
    process.stdout.write(`runbook-lint ${VERSION}\n`);
    return 0;
  }
  try {
    const templateProblems: string[] = [];
    const templates = new TemplateStore((m) => templateProblems.push(m));
    const configs = new ConfigStore();
    const reported = new Set<string>();
    if (options.config && !existsSync(options.config)) throw new UsageError(`Configuration file not found: ${options.config}`);
    /** Settings and template of one file: its config file, then --template and --rule on top. */
    const resolveFile = (file: string, frontMatterTemplate: string | undefined) => {
      const path = resolve(file);
      const configPath = options.config ? resolve(options.config) : configs.find(path);
      const config = configPath ? configs.load(configPath) : undefined;
      if (config && !reported.has(config.path)) {
        reported.add(config.path);
        const lines = new LineIndex(config.text);
        for (const p of config.problems) {
          const at = lines.positionAt(p.start);
          process.stderr.write(`runbook-lint: ${config.path}:${at.line + 1}:${at.character + 1}: ${p.message}\n`);
        }
        if (config.problems.some((p) => p.fatal)) throw new UsageError(`${config.path} cannot be used; fix it or pass --config with another file.`);
      }
      const base: RunbookSettings = { ...defaultSettings, template: options.template ? resolve(options.template) : '' };
      const effective = effectiveSettings(base, config, path, frontMatterTemplate);
      if (options.template) effective.template = resolve(options.template);
      Object.assign(effective.settings.rules, options.rules);
      const schema = templates.get(effective.template, process.cwd());
      if (templateProblems.length) throw new UsageError(templateProblems.join('\n') + '.');
      return { settings: effective.settings, schema };
    };
    const service = new RunbookLanguageService();
    const date = today();
    const lintFile = async (file: string): Promise<FileResult> => {
      let text = readText(file);
      const uri = pathToFileURL(resolve(file)).href;
      let model = service.getModel({ uri, version: 1, getText: () => text });
      const { settings, schema } = resolveFile(file, model.frontMatter?.['runbook-template']);
      if (options.fix) {
        const edits = await service.fixAll(model, schema, settings, date);
        if (edits.length) {
          text = applyEdits(text, edits);
          try {
            writeFileSync(file, text);
          } catch (error) {
            throw new UsageError(`Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          }
          model = service.getModel({ uri, version: 2, getText: () => text });
        }
      }
      const findings = (await findingsOf(model, schema, settings, date, undefined, undefined, linksFrom(file))) ?? [];
      service.close(model.uri);
      return { file, model, findings };
    };
    // Many files are linted on several cores, in worker threads running this same script.
    const results = await lintFiles(expandInputs(options.inputs), lintFile, { isUsageError: (e) => e instanceof UsageError, usageError: (m) => new UsageError(m) });
    if (!results) return 0; // a worker thread: the main thread prints
    const output = options.format === 'json' ? jsonOutput(results) : options.format === 'sarif' ? sarifOutput(results) : textOutput(results, !!process.stdout.isTTY && !process.env.NO_COLOR);
    process.stdout.write(output + '\n');
    return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`runbook-lint: ${error.message}\n`);
    return 2;
  }
}

// `runbook-lint ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`runbook-lint: internal error: ${error.stack ?? error.message}\n`);
    process.exitCode = 2;
  },
);
