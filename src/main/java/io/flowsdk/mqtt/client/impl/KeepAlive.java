package io.flowsdk.mqtt.client.impl;

/**
 * Keep-alive of one connection: a PINGREQ when nothing was sent or received for half the keep-alive,
 * and the connection declared dead when a PINGREQ goes unanswered for the ping timeout or nothing at
 * all arrives for 1.5x the keep-alive. The check runs every quarter keep-alive, so a dead connection
 * is found within 1.5x the keep-alive.
 */
final class KeepAlive {

  private final Timers timers;
  private final Runnable ping;
  private final Runnable dead;
  private long keepAliveMillis;
  private long pingTimeoutMillis;
  private long lastInbound;
  private long lastOutbound;
  private long pingSentAt = -1;
  private long timer = -1;

  KeepAlive(Timers timers, Runnable ping, Runnable dead) {
    this.timers = timers;
    this.ping = ping;
    this.dead = dead;
  }

  /** Starts for a connection; 0 seconds disables keep-alive. */
  void start(int keepAliveSeconds, long pingTimeoutMillis) {
    stop();
    if (keepAliveSeconds == 0) {
      return;
    }
    this.keepAliveMillis = keepAliveSeconds * 1000L;
    this.pingTimeoutMillis = Math.min(pingTimeoutMillis, keepAliveMillis / 2);
    lastInbound = lastOutbound = timers.nowMillis();
    pingSentAt = -1;
    schedule();
  }

  void stop() {
    if (timer >= 0) {
      timers.cancel(timer);
      timer = -1;
    }
  }

  void inbound() {
    lastInbound = timers.nowMillis();
  }

  void outbound() {
    lastOutbound = timers.nowMillis();
  }

  void pingResponse() {
    pingSentAt = -1;
  }

  private void schedule() {
    timer = timers.schedule(Math.max(1, keepAliveMillis / 4), this::check);
  }

  private void check() {
    timer = -1;
    long now = timers.nowMillis();
    if ((pingSentAt >= 0 && now - pingSentAt >= pingTimeoutMillis) || now - lastInbound >= keepAliveMillis * 3 / 2) {
      dead.run();
      return;
    }
    if (pingSentAt < 0 && (now - lastOutbound >= keepAliveMillis / 2 || now - lastInbound >= keepAliveMillis / 2)) {
      pingSentAt = now;
      ping.run();
    }
    schedule();
  }
}
