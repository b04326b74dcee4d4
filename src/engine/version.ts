/** The Redis version this engine answers as (HELLO, INFO, COMMAND DOCS). */
export const REDIS_VERSION = '7.0.15';
