import { jsonOutput, sarifOutput, textOutput } from './formats';
import { codequalityOutput } from './formats/codequality';
import { githubOutput } from './formats/github';
import { htmlOutput } from './formats/html';
import { junitOutput } from './formats/junit';
import { markdownOutput } from './formats/markdown';
import type { FileReport } from './report';

/** What a format may need besides the reports. */
export interface FormatContext {
  /** Colours for a terminal. */
  color: boolean;
  /** Today, YYYY-MM-DD (review dates). */
  today: string;
}

/** Every output format by name: each is a pure function of the reports. */
export const FORMATS = {
  text: (reports, ctx) => textOutput(reports, ctx.color),
  json: (reports) => jsonOutput(reports),
  sarif: (reports) => sarifOutput(reports),
  junit: (reports) => junitOutput(reports),
  github: (reports) => githubOutput(reports),
  codequality: (reports) => codequalityOutput(reports),
  markdown: (reports) => markdownOutput(reports),
  html: (reports, ctx) => htmlOutput(reports, ctx.today),
} satisfies Record<string, (reports: FileReport[], ctx: FormatContext) => string>;

export type FormatName = keyof typeof FORMATS;

export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
