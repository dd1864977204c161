package io.flowsdk.relay.impl;

/** One client connection of an edge listener, whatever carries it on: a relay stream or a proxied broker connection. */
interface EdgeConnection {

  /** Ends the session because its listener stops, telling the client and the far side as the session's protocol says. */
  void stop();
}
