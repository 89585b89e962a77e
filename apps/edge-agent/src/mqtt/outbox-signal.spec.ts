import { OutboxSignal } from './outbox-signal';

describe(OutboxSignal.name, () => {
  it('should forget a waiter whose wait timed out, so an idle agent does not pile them up', async () => {
    const signal = new OutboxSignal();
    for (let i = 0; i < 200; i++) await signal.wait(0);
    expect(signal.waiting).toBe(0);
  });

  it('should wake every waiter on notify and keep none', async () => {
    const signal = new OutboxSignal();
    const woken = Promise.all([signal.wait(60_000), signal.wait(60_000)]);
    expect(signal.waiting).toBe(2);
    signal.notify();
    await woken;
    expect(signal.waiting).toBe(0);
  });
});
