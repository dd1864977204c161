package io.flowsdk.node;

/** Where one verticle of a node listens, as the start log shows it. */
record Listener(String name, String protocol, String host, int port, boolean tls) {

  /** {@code host:port}; a port of 0 is chosen by the system when the listener binds. */
  String address() {
    return host + ":" + port;
  }
}
