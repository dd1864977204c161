package io.flowsdk.relay.impl;

import io.vertx.core.http.Http2Settings;

/**
 * HTTP/2 flow control and stream limit for many relayed sessions on one connection. Vert.x returns a stream's bytes to
 * the connection window only when the stream's reader takes them, so a paused stream (a slow MQTT
 * client or broker) keeps its unread bytes' credit. With the default connection window of 64 KiB, one
 * paused stream would stall every other stream of the connection. A connection window of one stream
 * window per session means paused streams can never use it up; what they hold stays bounded by their
 * own stream window (64 KiB each).
 */
public final class Http2Windows {

  /** The HTTP/2 default initial stream window. */
  static final int STREAM_WINDOW = 65_535;

  private Http2Windows() {
  }

  public static int connectionWindow(int maxSessions) {
    return (int) Math.min(Integer.MAX_VALUE, (long) STREAM_WINDOW * (maxSessions + 1));
  }

  /**
   * The upstream's HTTP/2 settings: as many concurrent streams per connection as it carries sessions.
   * Vert.x's server default of 100 made the edge's 101st session wait in the HTTP client's queue for a
   * stream until its connect timeout (an edge sends all its sessions over one connection).
   */
  public static Http2Settings settings(int maxSessions) {
    return new Http2Settings().setMaxConcurrentStreams(maxSessions);
  }
}
