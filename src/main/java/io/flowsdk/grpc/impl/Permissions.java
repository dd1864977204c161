package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcPermittedOptions;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.topic.SharedFilter;

import java.util.List;

/**
 * What one caller may do: the permitted lists of its token, or everything when the gateway has no
 * tokens. A denial is {@link FlowError#NOT_AUTHORIZED} ({@code PERMISSION_DENIED}).
 */
public final class Permissions {

  /** The permissions of every caller of a gateway configured without tokens. */
  public static final Permissions ALL = new Permissions("anonymous", null, null);

  private final String holder;
  private final List<GrpcPermittedOptions> inbound;
  private final List<GrpcPermittedOptions> outbound;

  private Permissions(String holder, List<GrpcPermittedOptions> inbound, List<GrpcPermittedOptions> outbound) {
    this.holder = holder;
    this.inbound = inbound;
    this.outbound = outbound;
  }

  static Permissions of(GrpcTokenOptions token) {
    return new Permissions(token.getName().isEmpty() ? "token " + token.getSha256().substring(0, 8) : token.getName(),
      List.copyOf(token.getInboundPermitted()), List.copyOf(token.getOutboundPermitted()));
  }

  /** Who holds these permissions (the token's name), for messages and logs. */
  public String holder() {
    return holder;
  }

  /** Fails unless the caller may publish to, or send a request to, {@code topic}. */
  public void checkInbound(String topic) {
    if (inbound != null && inbound.stream().noneMatch(p -> p.permits(topic))) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, holder + " may not publish or send requests to '" + topic + "'");
    }
  }

  /**
   * Fails unless the caller may subscribe to {@code filter} (matched without a {@code $share/group/}
   * prefix) or serve the address {@code filter}.
   */
  public void checkOutbound(String filter) {
    String target = SharedFilter.matchFilter(filter);
    if (outbound != null && outbound.stream().noneMatch(p -> p.permits(target))) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, holder + " may not subscribe to or serve '" + target + "'");
    }
  }
}
