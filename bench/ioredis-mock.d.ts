// ioredis-mock ships no type declarations; the bench only needs this much of it.
declare module 'ioredis-mock' {
  export default class RedisMock {
    constructor(opts?: Record<string, unknown>);
    set(key: string, value: string): Promise<unknown>;
    get(key: string): Promise<string | null>;
    incr(key: string): Promise<number>;
    flushall(): Promise<unknown>;
    disconnect(): void;
  }
}
