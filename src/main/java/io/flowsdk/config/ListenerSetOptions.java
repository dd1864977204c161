package io.flowsdk.config;

import java.util.List;

/**
 * Options of a verticle that listens on several ports, found by the same naming rule as
 * {@link ListenerOptions}: its JSON key {@code listeners} is an array whose entries have
 * {@code host} and {@code port}. The node shifts each effective port by its offset, refuses two
 * listeners on one port (within the verticle or across verticles) and logs each one.
 */
public interface ListenerSetOptions {

  /** The effective listeners, defaults included, in the order of the JSON array {@code listeners}. */
  List<? extends ListenerOptions> getListeners();
}
