import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tally, split, summary, statusText } from './send-results.js';

const r = (status, extra = {}) => ({ personId: 1, name: '李娜', address: 'a@example.com', status, answer: '', ...extra });

test('tally counts each status and ignores unknown ones', () => {
  assert.deepEqual(tally([r('sent'), r('sent'), r('failed'), r('noAddress'), r('weird')]), { sent: 2, failed: 1, noAddress: 1 });
  assert.deepEqual(tally([]), { sent: 0, failed: 0, noAddress: 0 });
});

test('split keeps the people without an address apart, in their order', () => {
  const people = [{ personId: 1, address: 'a@x.cn' }, { personId: 2, address: null }, { personId: 3, address: '' }, { personId: 4, address: 'd@x.cn' }];
  const { reachable, unreachable } = split(people);
  assert.deepEqual(reachable.map((p) => p.personId), [1, 4]);
  assert.deepEqual(unreachable.map((p) => p.personId), [2, 3]);
});

test('one failure makes the summary say so, whatever was marked', () => {
  const s = summary({ results: [r('sent'), r('failed')], markedSent: false });
  assert.equal(s.key, 'send.ui.some_failed');
  assert.deepEqual(s.params, { sent: 1, failed: 1, missing: 0 });
});

test('a send that reached everyone says whether the record now counts as sent', () => {
  assert.equal(summary({ results: [r('sent'), r('sent')], markedSent: true }).key, 'send.ui.all_sent_marked');
  assert.equal(summary({ results: [r('sent')], markedSent: false }).key, 'send.ui.all_sent');
});

test('people without an address are named in the summary even when all else went out', () => {
  const s = summary({ results: [r('sent'), r('noAddress')], markedSent: true });
  assert.equal(s.key, 'send.ui.sent_some_missing');
  assert.equal(s.params.missing, 1);
});

test('a failed recipient carries the server answer', () => {
  assert.deepEqual(statusText(r('failed', { answer: '550 mailbox unavailable' })), { key: 'send.ui.status.failed', params: { answer: '550 mailbox unavailable' } });
  assert.equal(statusText(r('sent')).key, 'send.ui.status.sent');
  assert.equal(statusText(r('noAddress')).key, 'send.ui.status.no_address');
});
