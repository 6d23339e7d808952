/** The schema compiled from a template's Markdown: what a runbook following it must contain. */
export interface TemplateSchema {
  /** Where the template came from (a path, or `built-in`). */
  source: string;
  /** The template's own text, from which skeletons are cut. */
  text: string;
  /** Text of the first heading, for example `System Runbook: [SYSTEM NAME]`. */
  title: string | undefined;
  /** The title without its placeholder, for example `System Runbook`: documents starting so are runbooks. */
  titlePrefix: string | undefined;
  /** Heading depth of the top-level sections (2 for `##`). */
  sectionDepth: number;
  /** Top-level sections in template order. */
  sections: SectionSpec[];
  /** Every table of the template. */
  tables: TableSpec[];
  /** Keys (see placeholderKey) of every `[...]` placeholder in the template. */
  placeholders: Set<string>;
  /** Vocabularies shown in the template outside tables, by field name key (for example `severity`). */
  vocabularies: Map<string, string[]>;
  /** Fields with a meaning for review dates, found by their names. */
  roles: { lastUpdated?: FieldSpec; nextReview?: FieldSpec; reviewFrequency?: FieldSpec };
}

export interface SectionSpec {
  key: string;
  /** Heading text without numbering, for example `Rollback Procedures`. */
  title: string;
  /** Heading text as the template writes it, for example `Section 8: Rollback Procedures`. */
  heading: string;
  depth: number;
  parent: SectionSpec | undefined;
  /** Sub-headings that a document must have (examples and optional ones excluded). */
  children: SectionSpec[];
  /** Position among its siblings in the template, counting every heading. */
  index: number;
  /** Marked `<!-- optional -->` in the template: not required. */
  optional: boolean;
  /** Guidance paragraphs of the section, placeholders unwrapped (for hover). */
  guidance: string[];
  /** Tables of the section and of its example or deeper headings. */
  tables: TableSpec[];
  /** Template text of the whole section, heading included, for inserting it. */
  skeleton: string;
  /** Line of the heading in the template (0-based). */
  line: number;
}

export interface ColumnSpec {
  name: string;
  key: string;
  /** Allowed values when the template shows a closed list (`High/Medium/Low`, Yes/No). */
  vocabulary: string[] | undefined;
  /** Values the template shows in this column, offered as completions. */
  samples: string[];
  date: boolean;
}

export interface TableSpec {
  section: SectionSpec | undefined;
  /** Text of the nearest heading above the table in the template. */
  context: string;
  columns: ColumnSpec[];
  /** A two-column table whose first column holds bold keys: each key row is a required field. */
  keyed: boolean;
  fields: FieldSpec[];
  /** First-column values of the template's rows, offered for new rows. */
  rowKeys: string[];
  /** Under an example heading or marked optional: its fields are not required. */
  optional: boolean;
  /** Header, delimiter and one empty row, for inserting the table. */
  skeleton: string;
  /** The template's full table source. */
  source: string;
}

export interface FieldSpec {
  name: string;
  key: string;
  table: TableSpec;
  /** The template's value, for example `Quarterly` or `[DATE]`. */
  example: string;
  vocabulary: string[] | undefined;
  date: boolean;
}
