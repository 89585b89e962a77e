import { REPO, start } from '../support/processes';

/**
 * The training recipe's own tests (libs/model/training/tests, Python with python3-torch): the pose teacher's
 * targets follow the frames through the augmentation, and its loss reaches the window model's encoder.
 */
describe('training recipe (npm run model:test)', () => {
  jest.setTimeout(120_000);

  it('should pass the recipe unit tests', async () => {
    const run = start('npm', ['run', '--silent', 'model:test'], { cwd: REPO });
    const code = await run.exited;
    if (code !== 0) throw new Error(`the recipe tests failed (exit ${code}); needs python3-torch (apt):\n${run.output()}`);
  });
});
