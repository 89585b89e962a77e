/** Nest injection token for the validated SiteConfig. */
export const SITE_CONFIG = Symbol('SITE_CONFIG');
