import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvalSet, windowLabel } from './eval-set';

function manifest(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-evalset-'));
  writeFileSync(join(dir, 'manifest.tsv'), ['file\tclass\tsource\tevent_span_s\tsplit', ...rows].join('\n') + '\n');
  return dir;
}

describe('readEvalSet', () => {
  it('should read spans in the shared clips notation and keep one split', () => {
    const dir = manifest([
      'fall/a.mp4\tfall\tx\t2.5-3.0 approx (from 2fps frames)\tval',
      'fall/b.mp4\tfall\tx\tfall ~15.5-17.0 approx\tval',
      'fire/c.mp4\tfire\tx\twhole clip\tval',
      'normal/d.mp4\tnormal\tx\tn/a (no event)\tval',
      'fall/e.mp4\tfall\tx\t1-2\ttrain',
    ]);
    const clips = readEvalSet(dir, 'val');
    expect(clips.map((c) => [c.cls, c.onset, c.spanEnd])).toEqual([
      ['fall', 2.5, 3],
      ['fall', 15.5, 17],
      ['fire', 0, undefined],
      ['normal', undefined, undefined],
    ]);
    expect(clips[0].file).toBe(join(dir, 'fall/a.mp4'));
    expect(readEvalSet(join(dir, 'manifest.tsv'))).toHaveLength(5);
  });

  it('should name the problem in a bad manifest', () => {
    expect(() => readEvalSet(manifest(['a.mp4\tflood\tx\t\tval']))).toThrow(/line 2: class "flood" is not fall, fire, smoke or normal/);
    expect(() => readEvalSet(manifest(['a.mp4\tfall\tx\t1-2\ttrain']), 'val')).toThrow(/no clips in split "val"/);
    expect(() => readEvalSet('/nonexistent/clips')).toThrow(/No manifest at \/nonexistent\/clips\/manifest.tsv|No manifest at \/nonexistent\/clips/);
  });
});

describe('windowLabel', () => {
  const fall = { file: 'f', cls: 'fall' as const, source: 's', dataset: 'd', onset: 4, spanEnd: 5 };
  const fire = { file: 'g', cls: 'fire' as const, source: 's', dataset: 'd', onset: 1 };

  it('should mark fall windows that overlap the transition, and the lying afterwards as ambiguous', () => {
    expect(windowLabel(fall, 'fall', 3.9, 2)).toBe(0);
    expect(windowLabel(fall, 'fall', 4.5, 2)).toBe(1);
    expect(windowLabel(fall, 'fall', 6.9, 2)).toBe(1);
    expect(windowLabel(fall, 'fall', 7.5, 2)).toBeNaN();
    expect(windowLabel(fall, 'fire', 4.5, 2)).toBe(0);
  });

  it('should keep fire positive from its onset to the end', () => {
    expect(windowLabel(fire, 'fire', 0.5, 2)).toBe(0);
    expect(windowLabel(fire, 'fire', 30, 2)).toBe(1);
    expect(windowLabel(fire, 'smoke', 30, 2)).toBeNaN();
  });
});
