import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinTemplate } from '../../server/src/service/template/builtin';
test('template compiles', () => {
  assert.equal(builtinTemplate().sections.length, 14);
});
