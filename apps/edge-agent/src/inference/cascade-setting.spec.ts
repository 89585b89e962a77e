import { SiteConfigSchema } from '../config/site-config.schema';
import { confirmSetting } from './cascade-setting';

const model = (m: Record<string, unknown>) => SiteConfigSchema.parse({ site: { id: 's' }, cameras: [{ id: 'a', url: 'rtsp://127.0.0.1/a' }], model: m }).model;

describe('confirmSetting', () => {
  it('should confirm the shipped window model with builtin-tiles by default, at the card gate', () => {
    expect(confirmSetting(model({}))).toEqual({ card: 'builtin-tiles' });
    expect(confirmSetting(model({ views: 'whole' }))).toEqual({ card: 'builtin-tiles' });
  });

  it('should leave other models, tiles and an explicit false without a cascade', () => {
    expect(confirmSetting(model({ card: 'builtin-stream' }))).toBeUndefined();
    expect(confirmSetting(model({ card: 'builtin-tiles' }))).toBeUndefined();
    expect(confirmSetting(model({ card: 'my.card.json' }))).toBeUndefined();
    expect(confirmSetting(model({ views: 'tiles' }))).toBeUndefined();
    expect(confirmSetting(model({ confirm: false }))).toBeUndefined();
  });

  it('should take a written setting as it is, for any model', () => {
    expect(confirmSetting(model({ card: 'my.card.json', confirm: { gate: 0.8 } }))).toEqual({ card: 'builtin-tiles', gate: 0.8 });
    expect(() => model({ confirm: { gate: 1.2 } })).toThrow();
    expect(() => model({ confirm: true })).toThrow();
  });
});
