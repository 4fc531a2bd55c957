// What a send did, counted and put in words: the pure part of the send dialog (tested with
// node --test; no DOM). A result is {personId, name, address, status: 'sent'|'failed'|'noAddress',
// answer, messageId}, as the backend sends it.

/** How many recipients were sent to, failed, or had no address. */
export function tally(results) {
  const n = { sent: 0, failed: 0, noAddress: 0 };
  for (const r of results) {
    if (r.status in n) n[r.status] += 1;
  }
  return n;
}

/** The recipients a send would reach and those it cannot (no address in their contact). */
export function split(recipients) {
  return {
    reachable: recipients.filter((r) => r.address),
    unreachable: recipients.filter((r) => !r.address),
  };
}

/**
 * The summary of an outcome as a catalog key and its parameters: every addressed recipient took
 * it (and whether the record now counts as sent), or how many failed and that nothing was marked.
 */
export function summary(outcome) {
  const n = tally(outcome.results);
  const params = { sent: n.sent, failed: n.failed, missing: n.noAddress };
  if (n.failed > 0) return { key: 'send.ui.some_failed', params };
  if (n.noAddress > 0) return { key: 'send.ui.sent_some_missing', params };
  return { key: outcome.markedSent ? 'send.ui.all_sent_marked' : 'send.ui.all_sent', params };
}

/** One recipient's status in words: a catalog key and the server's answer when it failed. */
export function statusText(result) {
  switch (result.status) {
    case 'sent': return { key: 'send.ui.status.sent', params: {} };
    case 'failed': return { key: 'send.ui.status.failed', params: { answer: result.answer || '' } };
    default: return { key: 'send.ui.status.no_address', params: {} };
  }
}
