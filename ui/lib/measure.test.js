// Unit tests of the text width estimate that sizes lists (run by `node --test ui/`).

import test from 'node:test';
import assert from 'node:assert/strict';
import { textEm, longestEm } from './measure.js';

test('Chinese characters are one em each, Latin letters narrower', () => {
  assert.equal(textEm('周一'), 2);
  assert.equal(textEm('Monday'), 3.6);
  assert.equal(textEm('未关闭'), 3);
  assert.equal(textEm(''), 0);
});

test('the longest choice decides', () => {
  assert.equal(longestEm(['周一', '周二', '最后一天']), 4);
  assert.equal(longestEm(['Low', 'Medium', 'High']), 3.6);
  assert.equal(longestEm([]), 0);
});
