import type { Client } from './client';
import type { Engine } from './server';

/**
 * Pub/Sub (Redis's pubsub.c): channels, patterns and shard channels, across every client.
 * A placeholder so that the engine's hooks compile; the implementation follows.
 */
export class PubSub {
  private readonly server: Engine;

  constructor(server: Engine) {
    this.server = server;
  }

  /** PUBLISH: deliver message to channel's subscribers and matching patterns; returns receivers. */
  publish(_channel: string, _message: string): number {
    void this.server;
    return 0;
  }

  /** Drop every subscription of c (RESET, disconnect); notify=true sends the unsubscribe replies. */
  unsubscribeAll(_c: Client, _notify: boolean): void {}
}
