/** Injection token of the validated console configuration (the one place the apps' config tokens live: config/). */
export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
