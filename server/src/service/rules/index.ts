import type { Rule, RuleId } from './types';
import { missingSection } from './missing-section';
import { missingSubsection } from './missing-subsection';
import { nearMiss } from './near-miss';
import { unclosedBlock } from './unclosed-block';
import { sectionOrder } from './section-order';
import { duplicateSection } from './duplicate-section';
import { missingField } from './missing-field';
import { emptyField } from './empty-field';
import { placeholder } from './placeholder';
import { draftMarker } from './draft-marker';
import { tableColumns } from './table-columns';
import { tableShape } from './table-shape';
import { brokenLink } from './broken-link';
import { toc } from './toc';
import { invalidDate } from './invalid-date';
import { reviewOverdue } from './review-overdue';
import { dateOrder } from './date-order';
import { invalidValue } from './invalid-value';
import { emptySection } from './empty-section';
import { secret } from './secret';

/** Every rule, in the order of the README. */
export const rules: readonly Rule[] = [
  missingSection,
  missingSubsection,
  nearMiss,
  unclosedBlock,
  sectionOrder,
  duplicateSection,
  missingField,
  emptyField,
  placeholder,
  draftMarker,
  tableColumns,
  tableShape,
  brokenLink,
  toc,
  invalidDate,
  reviewOverdue,
  dateOrder,
  invalidValue,
  secret,
  emptySection,
];

export const ruleById = new Map<RuleId, Rule>(rules.map((r) => [r.id, r]));
