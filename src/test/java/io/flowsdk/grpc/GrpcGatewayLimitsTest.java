package io.flowsdk.grpc;

import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-connection stream limit is HTTP/2's: a compliant client queues calls beyond it. */
class GrpcGatewayLimitsTest {

  @Test
  void givenTwoStreamsPerConnection_whenBothBusy_thenAThirdCallWaitsUntilOneEnds() throws Exception {
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setMaxConcurrentStreams(2));
         GrpcJavaClient client = new GrpcJavaClient(node.port())) {
      SubscribeRequest any = SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter("#")).build();
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> first = new GrpcJavaClient.Recorder<>();
      GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> second = new GrpcJavaClient.Recorder<>();
      client.async(null).subscribe(any, first);
      client.async(null).subscribe(any, second);
      await().until(() -> first.items.size() == 1 && second.items.size() == 1);
      PublishRequest publish = PublishRequest.newBuilder().setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder()
        .setTopic("limits/x")).build();

      StatusRuntimeException queued = assertThrows(StatusRuntimeException.class, () ->
        client.blocking(null).withDeadlineAfter(500, TimeUnit.MILLISECONDS).publish(publish));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, queued.getStatus().getCode());

      first.call.cancel("make room", null);
      await().until(() -> node.counter("flowsdk_grpc_calls_total", "method", "Subscribe", "status", "CANCELLED") == 1);
      assertEquals(1, client.blocking(null).withDeadlineAfter(10, TimeUnit.SECONDS).publish(publish).getSubscribers());
      assertTrue(second.items.size() >= 1);
    }
  }
}
