import type { Range } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';
import type { Match } from '../match';
import type { TemplateSchema } from '../template/schema';
import type { OutlineHeading } from '../features/workspaceSymbols';

export type Severity = 'off' | 'info' | 'warning' | 'error';

/** Rule ids, exactly as users see them in diagnostics, settings and suppressions. */
export const RULE_IDS = [
  'missing-section',
  'missing-subsection',
  'near-miss',
  'unclosed-block',
  'section-order',
  'duplicate-section',
  'missing-field',
  'empty-field',
  'placeholder',
  'draft-marker',
  'table-columns',
  'table-shape',
  'broken-link',
  'toc',
  'invalid-date',
  'review-overdue',
  'date-order',
  'invalid-value',
  'secret',
  'empty-section',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** Findings also come from suppression comments that name a rule that does not exist. */
export type FindingRule = RuleId | 'suppression';

/** A text edit in document offsets; quick fixes are lists of these. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
  /** Among insertions at one offset, lower goes first (a subsection before the next section). */
  order?: number;
}

/** How a finding can be fixed: a titled set of edits; `safe` fixes run in fix-all. */
export interface Fix {
  title: string;
  edits: OffsetEdit[];
  safe: boolean;
}

/** Another place of the document that explains a finding (the first of two duplicates, the block that swallowed a heading). */
export interface Related {
  start: number;
  end: number;
  message: string;
}

/** What a rule found, in domain terms; turned into an LSP diagnostic in exactly one place. */
export interface Finding {
  rule: FindingRule;
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
  /** Places that belong to the finding, shown with it (LSP `relatedInformation`). */
  related?: Related[];
}

/** Another Markdown document that a link points at. */
export interface LinkTarget {
  uri: string;
  /** Its anchors, as `DocumentModel.anchors`. */
  anchors: ReadonlySet<string>;
  /** Its headings' anchors and places, for go to definition. */
  headings: readonly OutlineHeading[];
}

/**
 * Finds the documents that links point at. The host reads files; the service stays free of I/O.
 * `path` is a link's path as written (decoded), relative to the linking document.
 */
export interface LinkResolver {
  /** The target document, `'missing'` when there is no such file, undefined when it cannot tell. */
  resolve(path: string): LinkTarget | 'missing' | undefined;
}

/** What one document's checks share: state a rule keeps between checks, and the host's checkpoint. */
export interface RuleSession {
  /** Per rule id; owned by the service and dropped when the document closes. */
  state: Map<string, unknown>;
  /** Long rules call it between their steps; the host decides whether its event loop runs there. */
  checkpoint: () => Promise<void> | void;
}

export interface RuleContext {
  model: DocumentModel;
  schema: TemplateSchema;
  match: Match;
  /** Today's date as YYYY-MM-DD, passed in so tests and CI runs are repeatable. */
  today: string;
  /** Resolves links to other files; without it only links inside the document are checked. */
  links?: LinkResolver;
  /** Absent when a rule runs outside a check (commands, tests): no state is kept and nothing pauses. */
  session?: RuleSession;
  /** Words that mark unfinished text (settings `draftMarkers`); the default list when absent. */
  draftMarkers?: readonly string[];
  /**
   * Whether a rule runs on this document. A rule that leaves a case to another rule (one finding for
   * one problem) asks it, so the case is still reported when that rule is off. Absent: every rule runs.
   */
  isEnabled?: (rule: RuleId) => boolean;
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Exclude<Severity, 'off'>;
  /** One line for the README and the rule's diagnostics link. */
  description: string;
  /** Findings of this rule; `findingsOf` gives each the rule's id, so a rule need not write it again. */
  check(ctx: RuleContext): RuleFinding[] | Promise<RuleFinding[]>;
}

/** A finding as a rule returns it: its rule is the rule that returned it. */
export type RuleFinding = Omit<Finding, 'rule'> & { rule?: FindingRule };
