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

/** The per-connection call limit: a call beyond it is answered at once, not queued in the client. */
class GrpcGatewayLimitsTest {

  @Test
  void givenTwoStreamsPerConnection_whenBothBusy_thenAThirdCallIsResourceExhaustedAndCountedUntilOneEnds() throws Exception {
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

      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () ->
        client.blocking(null).withDeadlineAfter(10, TimeUnit.SECONDS).publish(publish));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
      assertEquals("this connection already has 2 calls in progress, the gateway's maxConcurrentStreams;"
        + " wait for one to end or open another connection", refused.getStatus().getDescription());
      assertEquals("OVERLOADED", GrpcJavaClient.errorTrailer(refused));
      assertEquals(1.0, node.counter("flowsdk_grpc_refused_total", "limit", "maxConcurrentStreams"));

      first.call.cancel("make room", null);
      await().until(() -> node.counter("flowsdk_grpc_calls_total", "method", "Subscribe", "status", "CANCELLED") == 1);
      await().atMost(10, TimeUnit.SECONDS).until(() -> {
        try {
          return client.blocking(null).withDeadlineAfter(10, TimeUnit.SECONDS).publish(publish).getSubscribers() == 1;
        } catch (StatusRuntimeException stillFull) {
          return false; // the gateway learns of the cancel a moment after the call counter moved
        }
      });
      await().until(() -> second.items.size() >= 2);
      assertEquals("limits/x", second.items.get(1).getDelivery().getMessage().getTopic(), "the remaining call still delivers");
    }
  }
}
