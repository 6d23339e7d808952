import text from '../../../../templates/system-runbook.md';
import { compileTemplate } from './compile';
import type { TemplateSchema } from './schema';

/** Text of the built-in System Runbook template, shipped in the bundle. */
export const builtinTemplateText: string = text;

let cached: TemplateSchema | undefined;

/** The compiled built-in template (compiled once). */
export function builtinTemplate(): TemplateSchema {
  return (cached ??= compileTemplate(builtinTemplateText, 'built-in'));
}
