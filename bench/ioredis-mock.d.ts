// ioredis-mock ships no type declarations; the bench only needs this much of it.
declare module 'ioredis-mock' {
  export default class RedisMock {
    constructor(opts?: Record<string, unknown>);
    set(key: string, value: string): Promise<unknown>;
    get(key: string): Promise<string | null>;
    incr(key: string): Promise<number>;
    del(...keys: string[]): Promise<number>;
    lpush(key: string, ...values: string[]): Promise<number>;
    lpop(key: string): Promise<string | null>;
    hset(key: string, field: string, value: string): Promise<number>;
    sadd(key: string, ...members: string[]): Promise<number>;
    zadd(key: string, ...scoreMembers: (string | number)[]): Promise<number>;
    zrange(key: string, start: number, stop: number): Promise<string[]>;
    publish(channel: string, message: string): Promise<number>;
    eval(script: string, numkeys: number, ...args: string[]): Promise<unknown>;
    evalsha(sha: string, numkeys: number, ...args: string[]): Promise<unknown>;
    subscribe(...channels: string[]): Promise<unknown>;
    duplicate(): RedisMock;
    on(event: 'message', listener: (channel: string, message: string) => void): this;
    flushall(): Promise<unknown>;
    disconnect(): void;
  }
}
