import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from '../../server/src/scheduler';

// When the server checks an open document: after the person's last keystroke (debounced), and again
// when something the check reads changes (a link target's headings arrive from the workspace index).
// The clock is node:test's, so the 150 ms debounce is exact.

const URI = 'file:///w/runbook.md';

/** A scheduler whose checks record when they start and finish only when `finish` is called. */
function harness(t: import('node:test').TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let now = 0;
  const started: { at: number; cancelled: () => boolean }[] = [];
  const pending: (() => void)[] = [];
  const scheduler = new Scheduler(
    (_uri, token) => {
      started.push({ at: now, cancelled: () => token.isCancellationRequested });
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    () => Promise.resolve(),
    (_uri, error) => assert.fail(error),
  );
  const tick = async (ms: number) => {
    now += ms;
    t.mock.timers.tick(ms);
    // The check's promise chain (finally) runs on microtasks.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const finish = async () => {
    pending.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { scheduler, started, tick, finish };
}

test('a check starts 150 ms after the last keystroke', async (t) => {
  const { scheduler, started, tick } = harness(t);
  scheduler.schedule(URI);
  await tick(100);
  scheduler.schedule(URI);
  await tick(149);
  assert.equal(started.length, 0);
  await tick(1);
  assert.deepEqual(
    started.map((s) => s.at),
    [250],
  );
});

test('a link target arriving while a keystroke waits does not put off its check', async (t) => {
  const { scheduler, started, tick } = harness(t);
  scheduler.schedule(URI);
  await tick(100);
  // The index finished a link target's analysis: the open runbook is to be checked again.
  scheduler.recheck(URI);
  await tick(50);
  assert.deepEqual(
    started.map((s) => s.at),
    [150],
    'the check of the keystroke started 150 ms after it, not 150 ms after the recheck',
  );
  await tick(500);
  assert.equal(started.length, 1, 'the check that was waiting read the new state: no second check');
});

test('a recheck while a check runs lets it finish and checks once more after it', async (t) => {
  const { scheduler, started, tick, finish } = harness(t);
  scheduler.schedule(URI);
  await tick(150);
  assert.equal(started.length, 1);
  scheduler.recheck(URI);
  scheduler.recheck(URI);
  await tick(300);
  assert.equal(started.length, 1, 'nothing more starts while the check runs');
  assert.equal(started[0].cancelled(), false, 'a recheck does not cancel the running check');
  await finish();
  await tick(150);
  assert.deepEqual(
    started.map((s) => s.at),
    [150, 600],
    'one more check, 150 ms after the first ended',
  );
});

test('a recheck of an idle document checks it after the debounce', async (t) => {
  const { scheduler, started, tick } = harness(t);
  scheduler.recheck(URI);
  await tick(149);
  assert.equal(started.length, 0);
  await tick(1);
  assert.equal(started.length, 1);
});

test('a keystroke cancels the running check and drops a recheck it was waiting to run', async (t) => {
  const { scheduler, started, tick, finish } = harness(t);
  scheduler.schedule(URI);
  await tick(150);
  scheduler.recheck(URI);
  scheduler.schedule(URI);
  assert.equal(started[0].cancelled(), true);
  await finish();
  await tick(150);
  await finish();
  await tick(1000);
  assert.deepEqual(
    started.map((s) => s.at),
    [150, 300],
    'the check of the new version only',
  );
});

test('a closed document is not checked again', async (t) => {
  const { scheduler, started, tick, finish } = harness(t);
  scheduler.schedule(URI);
  await tick(150);
  scheduler.recheck(URI);
  scheduler.cancel(URI);
  await finish();
  await tick(1000);
  assert.equal(started.length, 1);
});
