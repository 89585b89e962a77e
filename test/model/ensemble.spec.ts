import { loadModelCard, OnnxVideoModel, shippedModelCard, windowLength } from '@vigil/model';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parityRamp } from '../support/parity';
import { REPO, start } from '../support/processes';

const ENSEMBLE = join(REPO, 'libs', 'model', 'training', 'ensemble.py');

/** libs/model/training/ensemble.py joins window models into one mean-logit graph the agent loads like any other. */
describe('window model ensemble (ensemble.py)', () => {
  jest.setTimeout(60_000);
  const out = mkdtempSync(join(tmpdir(), 'vigil-ensemble-'));

  it('should join members into one graph whose logits are their mean, with the members recorded in its card', async () => {
    const member = shippedModelCard('window');
    const run = start('/usr/bin/python3', [ENSEMBLE, member, member, '--name', 'joined', '--out', out]);
    expect(await run.exited).toBe(0);

    const { card } = loadModelCard(join(out, 'joined.card.json'));
    const memberCard = loadModelCard(member).card;
    expect(card.input).toEqual(memberCard.input);
    expect(card.parity!.logits).toEqual(memberCard.parity!.logits);
    const training = JSON.parse(readFileSync(join(out, 'joined.card.json'), 'utf8')).training;
    expect(training.members).toHaveLength(2);
    const memberFile = join(dirname(member), loadModelCard(member).card.file);
    expect(training.members[0].sha256).toBe(createHash('sha256').update(readFileSync(memberFile)).digest('hex'));

    // a sum without the 1/N, or a member cut off from the input, would not give the member's own logits
    const model = await OnnxVideoModel.load(join(out, 'joined.card.json'));
    try {
      const logits = await model.logits(parityRamp(windowLength(card) * card.parity!.batch), card.parity!.batch);
      const expected = memberCard.parity!.logits.flat();
      expect(Math.max(...expected.map((v, i) => Math.abs(v - logits[i])))).toBeLessThanOrEqual(card.parity!.tolerance);
    } finally {
      await model.release();
    }
  });

  it('should refuse members that take different windows, naming the card and the field', async () => {
    const run = start('/usr/bin/python3', [ENSEMBLE, shippedModelCard('window'), shippedModelCard('streaming'), '--name', 'bad', '--out', out]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/vigil-stream-tiny\.card\.json: its input differs/);
  });

  it('should refuse a member card that does not exist', async () => {
    const run = start('/usr/bin/python3', [ENSEMBLE, shippedModelCard('window'), join(out, 'none.card.json'), '--name', 'bad', '--out', out]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/none\.card\.json: no such card/);
  });
});
