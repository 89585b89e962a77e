import type { SiteConfig } from '../config/site-config.schema';

export type ConfirmSetting = Exclude<SiteConfig['model']['confirm'], false | undefined>;

/**
 * The fire and smoke cascade this site runs: `model.confirm` as written, or when it is left out, `builtin-tiles`
 * confirming the shipped window model (the default) and no cascade for any other model or for `views: tiles`,
 * which a cascade could not share its decode with.
 */
export function confirmSetting(model: SiteConfig['model']): ConfirmSetting | undefined {
  if (model.confirm === false) return undefined;
  if (model.confirm) return model.confirm;
  return model.card === 'builtin' && model.views !== 'tiles' ? { card: 'builtin-tiles' } : undefined;
}
