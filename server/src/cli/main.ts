import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { createRunbookService, type RunbookService } from '../service/runbookService';
import { decodeUtf8 } from '../service/host';
import { defaultSettings, normalizeRules, type RunbookSettings } from '../service/settings';
import { applyEdits } from '../service/edits';
import { LineIndex } from '../service/model/text';
import type { RunbookConfig } from '../service/workspace/config';
import type { Resolution } from '../service/workspace/policy';
import { nodeFileSystem } from '../node/fs';
import { nodeClock } from '../node/clock';
import { isAnalyserWorker, runAnalyserWorker, WorkerAnalyser } from '../node/analyser';
import { ChosenAnalyser, LintError, lintAll, threadsFor } from './lint';
import { cacheKey, cachePath, LintCache } from './cache';
import { VERSION } from './formats';
import { FORMAT_NAMES, FORMATS, isFormatName, type FormatName } from './output';
import { levelOf, type FileReport } from './report';
import { rules } from '../service/rules/index';

const USAGE = `Usage: runbook-lint [options] <files, directories or globs...>

Checks Markdown runbooks against the runbook template. A file named on the command line is always
checked; in a directory or a glob, only the files the editor treats as runbooks are: those matching the
configuration's "files" globs (default **/*runbook*.md, **/runbooks/**/*.md), those whose first heading
starts like the template's title ("System Runbook"), and those whose front matter says "runbook: true".
Walks skip node_modules and dot-folders.

Options:
  --format <format>[=<file>]   output format, repeatable: text (default), json, sarif, junit, github,
                               codequality, markdown, html; with =<file> it is written to that file
                               (one format may go to standard output: --format sarif=lint.sarif --format text)
  --quiet                      report errors only (warnings and information are left out)
  --max-warnings <n>           exit 1 when there are more than n warnings
  --cache                      remember each file's results in .runbooklintcache; a later run checks
                               only the files that changed (and those linking to them)
  --cache-location <path>      the cache file, or a folder to hold .runbooklintcache (implies --cache)
  --shard <i>/<n>              check only the i-th of n parts of the files (CI matrix jobs)
  --only-runbooks              check named files only when they are runbooks, as in directories (hooks)
  --print-config <file>        print the configuration, template and rule severities that apply to
                               the file, as JSON, and check nothing
  --template <path>            template to check against, instead of the configuration's (a runbook's
                               front matter "runbook-template" still chooses its own)
  --config <path>              configuration file (default: the nearest .runbookrc.json above each file)
  --rule <id>=<severity>       set a rule's severity: off, info, warning, error (repeatable)
  --all-markdown               check every Markdown file of directories and globs, runbook or not
  --fix                        apply every safe fix (inserts missing parts, fills date placeholders)
                               and write the files in place; then report what is left
  --help, --version

Exit codes: 0 no error-severity finding, 1 at least one error (or more warnings than --max-warnings),
2 usage or I/O error.
`;

/** A format and where it goes: a file, or standard output when `path` is absent. */
interface Output {
  format: FormatName;
  path?: string;
}

interface Options {
  outputs: Output[];
  quiet: boolean;
  maxWarnings?: number;
  shard?: { index: number; count: number };
  onlyRunbooks: boolean;
  printConfig?: string;
  template: string;
  rules: RunbookSettings['rules'];
  inputs: string[];
  fix: boolean;
  config: string;
  allMarkdown: boolean;
  cache: boolean;
  cacheLocation?: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const options: Options = { outputs: [], quiet: false, onlyRunbooks: false, template: '', rules: {}, inputs: [], fix: false, config: '', allMarkdown: false, cache: false };
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
    if (arg === '--fix') options.fix = true;
    else if (arg === '--all-markdown') options.allMarkdown = true;
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '--only-runbooks') options.onlyRunbooks = true;
    else if (arg === '--cache') options.cache = true;
    else if (arg === '--cache-location' || arg.startsWith('--cache-location=')) {
      options.cacheLocation = value('--cache-location');
      options.cache = true;
    }
    else if (arg === '--format' || arg.startsWith('--format=')) {
      options.outputs.push(parseOutput(value('--format')));
    } else if (arg === '--max-warnings' || arg.startsWith('--max-warnings=')) {
      const n = value('--max-warnings');
      if (!/^\d+$/.test(n)) throw new UsageError(`--max-warnings needs a number of warnings (0 or more), not "${n}".`);
      options.maxWarnings = Number(n);
    } else if (arg === '--shard' || arg.startsWith('--shard=')) {
      const spec = value('--shard');
      const m = /^(\d+)\/(\d+)$/.exec(spec);
      if (!m || +m[1] < 1 || +m[1] > +m[2]) throw new UsageError(`--shard needs <i>/<n> with 1 <= i <= n (for example 2/3), not "${spec}".`);
      options.shard = { index: +m[1], count: +m[2] };
    } else if (arg === '--print-config' || arg.startsWith('--print-config=')) {
      options.printConfig = value('--print-config');
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
  if (!options.outputs.length) options.outputs.push({ format: 'text' });
  const toStdout = options.outputs.filter((o) => !o.path);
  if (toStdout.length > 1) {
    throw new UsageError(`Only one format can go to standard output, not ${toStdout.map((o) => o.format).join(' and ')}; write the others to files (--format ${toStdout[1].format}=<file>).`);
  }
  const paths = options.outputs.flatMap((o) => (o.path ? [resolve(o.path)] : []));
  const twice = paths.find((p, i) => paths.indexOf(p) !== i);
  if (twice) throw new UsageError(`Two formats are written to ${twice}.`);
  if (!options.inputs.length && !options.printConfig) throw new UsageError('No files given.');
  return options;
}

/** `sarif` or `sarif=results.sarif`. */
function parseOutput(spec: string): Output {
  const eq = spec.indexOf('=');
  const format = eq < 0 ? spec : spec.slice(0, eq);
  if (!isFormatName(format)) throw new UsageError(`Unknown format "${format}": use ${FORMAT_NAMES.slice(0, -1).join(', ')} or ${FORMAT_NAMES.at(-1)}.`);
  if (eq < 0) return { format };
  const path = spec.slice(eq + 1);
  if (!path) throw new UsageError(`--format ${format}= needs a file name after "=".`);
  return { format, path };
}

/**
 * The files of shard `index` of `count`: the whole list in path order, dealt out in turn. Every
 * machine of a CI matrix sees the same checkout, so each file lands in exactly one shard.
 */
function shardOf(files: string[], index: number, count: number): string[] {
  const key = (f: string) => f.split(sep).join('/');
  return [...files].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).filter((_, i) => i % count === index - 1);
}

/** A path as the person sees it: relative to the working directory when inside it. */
function shown(uri: URI): string {
  const rel = relative(process.cwd(), uri.fsPath);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : uri.fsPath;
}

type Walk = (folder: URI, out: URI[]) => Promise<unknown>;

/**
 * The files to check, in a stable order: paths as given (always checked), and the Markdown files of
 * directories and globs, walked as the editor's index walks a workspace folder.
 */
async function expandInputs(inputs: string[], walk: Walk): Promise<{ files: string[]; named: Set<string> }> {
  const files: string[] = [];
  const named = new Set<string>();
  for (const input of inputs) {
    const scan = picomatch.scan(input);
    if (scan.isGlob) {
      const found: URI[] = [];
      await walk(URI.file(resolve(scan.base || '.')), found);
      const isMatch = picomatch(input.replace(/^\.\//, ''), { dot: true });
      const matched = found.map(shown).filter((f) => isMatch(f.split(sep).join('/'))).sort();
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
      const found: URI[] = [];
      await walk(URI.file(resolve(input)), found);
      if (!found.length) throw new UsageError(`No Markdown files (*.md, *.markdown) in ${input}`);
      files.push(...found.map(shown).sort());
    } else {
      files.push(input);
      named.add(resolve(input));
    }
  }
  return { files: [...new Set(files)], named };
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new UsageError(`${file} is not UTF-8 text.`);
  return text;
}

/** What --print-config shows: what the policy decided for the file, paths as the person sees them. */
function printedConfig(file: string, resolution: Resolution) {
  const severities = Object.fromEntries(rules.map((r) => [r.id, { severity: resolution.settings.rules[r.id] ?? r.defaultSeverity, default: r.defaultSeverity }]));
  return {
    file,
    runbook: resolution.isRunbook,
    config: resolution.config ? shown(URI.parse(resolution.config.uri)) : null,
    template: resolution.template ? shown(URI.parse(resolution.template)) : 'built-in',
    templateTitle: resolution.schema.title ?? null,
    sections: resolution.schema.sections.map((section) => (section.optional ? `${section.title} (optional)` : section.title)),
    files: resolution.settings.files,
    rules: severities,
  };
}

/** Prints a configuration file's problems once; a fatal one stops the run. */
function configReporter(): { report(config: RunbookConfig): void; fatal(): string | undefined } {
  const reported = new Set<string>();
  let fatal: string | undefined;
  return {
    report(config) {
      if (reported.has(config.uri)) return;
      reported.add(config.uri);
      const path = URI.parse(config.uri).fsPath;
      const lines = new LineIndex(config.text);
      for (const p of config.problems) {
        const at = lines.positionAt(p.start);
        process.stderr.write(`runbook-lint: ${path}:${at.line + 1}:${at.character + 1}: ${p.message}\n`);
      }
      if (config.problems.some((p) => p.fatal)) fatal ??= `${path} cannot be used; fix it or pass --config with another file.`;
    },
    fatal: () => fatal,
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
    if (options.config && !statSync(options.config, { throwIfNoEntry: false })) throw new UsageError(`Configuration file not found: ${options.config}`);
    const templateProblems: string[] = [];
    const configs = configReporter();
    const cliSettings: RunbookSettings = { ...defaultSettings, maxFileSize: Infinity };
    const layers = {
      config: options.config ? URI.file(resolve(options.config)).toString() : undefined,
      template: options.template ? URI.file(resolve(options.template)).toString() : undefined,
      rules: options.rules,
    };
    const analyser = new ChosenAnalyser();
    const service = createRunbookService({
      fs: nodeFileSystem,
      clock: nodeClock,
      analyser,
      // The size limit is the editor's, to keep typing fast; CI checks every file whole.
      settings: () => cliSettings,
      layers,
    });
    service.on({ problem: (m) => templateProblems.push(m), config: (c) => configs.report(c) });
    // The working directory is the CLI's workspace folder: `/` links start there, globs match below it.
    await service.setWorkspaceFolders([URI.file(process.cwd()).toString()], false);
    if (options.printConfig) {
      const file = options.printConfig;
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`File not found: ${file}`);
      const text = readText(file);
      const uri = URI.file(resolve(file)).toString();
      const resolution = await service.policy.resolve(uri, service.engine.parseDetached({ uri, version: 0, getText: () => text }), cliSettings);
      const stop = configs.fatal() ?? (templateProblems.length ? templateProblems.join('\n') + '.' : undefined);
      if (stop) throw new UsageError(stop);
      process.stdout.write(JSON.stringify(printedConfig(file, resolution), null, 2) + '\n');
      return 0;
    }
    const expanded = await expandInputs(options.inputs, (folder, out) => service.policy.walk(folder, out));
    const named = options.onlyRunbooks ? new Set<string>() : expanded.named;
    const files = options.shard ? shardOf(expanded.files, options.shard.index, options.shard.count) : expanded.files;

    // Many files are checked on several cores, in analyser threads running this same script.
    const threads = threadsFor(files);
    const pool = threads ? new WorkerAnalyser({ size: threads, layers, events: { problem: (m) => service.relayProblem(m), config: (c) => service.reportConfig(c) } }) : undefined;
    analyser.choose(pool ?? { concurrency: 1, analyse: (uri, text, editor, opts, links) => service.analyseFile(uri, text, editor, opts, links) });
    let all: FileReport[];
    try {
      const cache = options.cache
        ? new LintCache(cachePath(options.cacheLocation), cacheKey(VERSION, service.today(), { layers, fix: options.fix }), (m) => process.stderr.write(`runbook-lint: ${m}\n`))
        : undefined;
      const linted = await lintAll(service, files, (file) => named.has(resolve(file)) || options.allMarkdown, options.fix, cache);
      all = linted.reports;
      if (cache) {
        cache.save();
        process.stderr.write(`runbook-lint: ${files.length - linted.fromCache} of ${files.length} file${files.length === 1 ? '' : 's'} checked, ${linted.fromCache} from the cache.\n`);
      }
    } catch (error) {
      throw error instanceof LintError ? new UsageError(error.message) : error;
    } finally {
      await pool?.close();
    }
    const stop = configs.fatal() ?? (templateProblems.length ? templateProblems.join('\n') + '.' : undefined);
    if (stop) throw new UsageError(stop);
    const reports = all.filter((r) => r.isRunbook);
    if (!reports.length && all.length) {
      const which = all.length === 1 ? 'the Markdown file found is not a runbook' : `none of the ${all.length} Markdown files found is a runbook`;
      process.stderr.write(`runbook-lint: ${which} (a runbook matches the "files" globs, starts with the template's title or says "runbook: true" in its front matter); --all-markdown checks every file.\n`);
    }
    // --quiet leaves out what is not an error everywhere, counts included, as ESLint's does.
    const visible = options.quiet ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => levelOf(d) === 'error') })) : reports;
    for (const output of options.outputs) {
      const text = FORMATS[output.format](visible, { color: !output.path && !!process.stdout.isTTY && !process.env.NO_COLOR, today: service.today() });
      if (!output.path) {
        if (text) process.stdout.write(text + '\n');
        continue;
      }
      try {
        mkdirSync(dirname(resolve(output.path)), { recursive: true });
        writeFileSync(output.path, text + '\n');
      } catch (error) {
        throw new UsageError(`Cannot write ${output.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    const errors = visible.some((r) => r.diagnostics.some((d) => levelOf(d) === 'error'));
    const warnings = visible.reduce((n, r) => n + r.diagnostics.filter((d) => levelOf(d) === 'warning').length, 0);
    if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
      process.stderr.write(`runbook-lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${options.maxWarnings} allows.\n`);
      return 1;
    }
    return errors ? 1 : 0;
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

// The same script runs the analyser threads that check many files on several cores.
if (isAnalyserWorker()) runAnalyserWorker();
else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`runbook-lint: internal error: ${error.stack ?? error.message}\n`);
      process.exitCode = 2;
    },
  );
}
