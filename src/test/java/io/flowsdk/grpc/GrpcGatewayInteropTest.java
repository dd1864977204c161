package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.Ack;
import io.flowsdk.grpc.v1.FlowGrpc;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.PublishResponse;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.RequestResponse;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.flowsdk.grpc.v1.SubscribeAckedRequest;
import io.flowsdk.grpc.v1.SubscribeAckedResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.flowsdk.grpc.v1.Subscription;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.grpc.GatewayFixture.flowFailure;
import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire contract proven from an independent stack: grpc-java (Netty, shaded) with stubs from
 * protoc-gen-grpc-java calls every method, plus authentication, permissions, malformed input,
 * deadlines, cancellation, health and reflection.
 */
class GrpcGatewayInteropTest {

  static final String ALL = "token-all";
  static final String ORDERS = "token-orders";

  static GatewayFixture node;
  static GrpcJavaClient client;

  @BeforeAll
  static void start() throws Exception {
    node = new GatewayFixture(new GrpcGatewayOptions()
      .setMaxPayloadBytes(1024)
      .setMaxMessageBytes(64 * 1024)
      .setMaxSubscriptionsPerStream(2)
      .addToken(new GrpcTokenOptions().setName("all").setSha256(GrpcTokenOptions.hash(ALL))
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex(".*"))
        .addOutboundPermitted(new GrpcPermittedOptions().setAddressRegex(".*")))
      .addToken(new GrpcTokenOptions().setName("orders").setSha256(GrpcTokenOptions.hash(ORDERS))
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("orders/.*"))
        .addOutboundPermitted(new GrpcPermittedOptions().setAddress("orders/#"))));
    client = new GrpcJavaClient(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    node.close();
  }

  static io.flowsdk.grpc.v1.FlowMessage proto(String topic, String payload, int qos) {
    return io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic(topic).setPayload(ByteString.copyFromUtf8(payload))
      .setQosValue(qos).build();
  }

  static StatusRuntimeException status(Status.Code expected, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(expected, e.getStatus().getCode(), e.getStatus().toString());
    return e;
  }

  @Test
  void givenBusSubscriber_whenGrpcJavaPublishesQos1_thenRoutedAndAcknowledged() throws Exception {
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(node.bus.subscribe("interop/publish", received::add));
    PublishResponse r = client.blocking(ALL).publish(PublishRequest.newBuilder()
      .setMessage(proto("interop/publish", "hi", 1).toBuilder().setContentType("text/plain")).build());
    assertEquals(1, r.getSubscribers());
    assertTrue(r.getAcknowledged());
    assertEquals("hi", received.get(0).payload().toString());
    assertEquals("text/plain", received.get(0).contentType());
  }

  @Test
  void givenGrpcJavaPublishStream_whenMessagesWithinCredit_thenEachAckedBySequence() throws Exception {
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(node.bus.subscribe("interop/stream/#", received::add));
    GrpcJavaClient.Recorder<PublishStreamRequest, PublishStreamResponse> acks = new GrpcJavaClient.Recorder<>();
    StreamObserver<PublishStreamRequest> out = client.async(ALL).publishStream(acks);
    for (int i = 1; i <= 50; i++) {
      out.onNext(PublishStreamRequest.newBuilder().setSequence(i).setMessage(proto("interop/stream/" + i, "m", i % 2)).build());
    }
    out.onCompleted();
    acks.done.get(10, TimeUnit.SECONDS);
    assertTrue(acks.items.get(0).hasCredit());
    assertEquals(50, acks.items.stream().filter(a -> a.hasAck() && a.getAck().hasPublished()).count());
    assertEquals(50, received.size());
  }

  @Test
  void givenGrpcJavaPublishStream_whenClientIgnoresCredit_thenResourceExhausted() throws Exception {
    GrpcJavaClient.Recorder<PublishStreamRequest, PublishStreamResponse> acks = new GrpcJavaClient.Recorder<>();
    join(node.bus.subscribe(new io.flowsdk.bus.SubscriptionOptions().setFilter("interop/stuck"),
      m -> Promise.<Void>promise().future()));
    StreamObserver<PublishStreamRequest> out = client.async(ALL).publishStream(acks);
    for (int i = 0; i <= GrpcGatewayOptions.DEFAULT_PUBLISH_WINDOW; i++) {
      out.onNext(PublishStreamRequest.newBuilder().setSequence(i).setMessage(proto("interop/stuck", "m", 1)).build());
    }
    Throwable e = assertThrows(Exception.class, () -> acks.done.get(10, TimeUnit.SECONDS)).getCause();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(e).getCode());
  }

  @Test
  void givenGrpcJavaSubscriber_whenBusPublishes_thenDeliveredAndCancelReleasesTheSubscription() throws Exception {
    GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> sub = new GrpcJavaClient.Recorder<>();
    client.async(ALL).subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("interop/sub/+").setQosValue(1)).build(), sub);
    await().until(() -> !sub.items.isEmpty());
    assertTrue(sub.items.get(0).hasSubscribed());

    assertEquals(1, join(node.bus.publish(FlowMessage.builder("interop/sub/a").payload("x").qos(QoS.AT_LEAST_ONCE).build())).subscribers());
    await().until(() -> sub.items.size() == 2);
    assertEquals("interop/sub/a", sub.items.get(1).getDelivery().getMessage().getTopic());

    sub.call.cancel("test cancels mid-stream", null);
    await().until(() -> join(node.bus.publish(FlowMessage.builder("interop/sub/b").payload("y").build())).noSubscribers());
    await().until(() -> node.counter("flowsdk_grpc_calls_total", "method", "Subscribe", "status", "CANCELLED") >= 1);
  }

  @Test
  void givenNoLocalSubscription_whenTheSameClientIdPublishes_thenOnlyOtherClientsMessagesArrive() throws Exception {
    io.grpc.Metadata c1 = GrpcJavaClient.bearer(ALL);
    c1.put(io.grpc.Metadata.Key.of("flowsdk-client-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "c1");
    io.grpc.Metadata c2 = GrpcJavaClient.bearer(ALL);
    c2.put(io.grpc.Metadata.Key.of("flowsdk-client-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "c2");
    GrpcJavaClient.Recorder<SubscribeRequest, SubscribeResponse> sub = new GrpcJavaClient.Recorder<>();
    FlowGrpc.newStub(client.channel).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(c1))
      .subscribe(SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter("interop/nolocal")
        .setNoLocal(true)).build(), sub);
    await().until(() -> !sub.items.isEmpty());

    FlowGrpc.newBlockingStub(client.channel).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(c1))
      .publish(PublishRequest.newBuilder().setMessage(proto("interop/nolocal", "mine", 1)).build());
    FlowGrpc.newBlockingStub(client.channel).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(c2))
      .publish(PublishRequest.newBuilder().setMessage(proto("interop/nolocal", "theirs", 1)).build());

    await().until(() -> sub.items.size() == 2);
    assertEquals("theirs", sub.items.get(1).getDelivery().getMessage().getPayload().toStringUtf8());
    assertEquals("c2", sub.items.get(1).getDelivery().getMessage().getOrigin().getClient());
    sub.call.cancel("done", null);
  }

  @Test
  void givenGrpcJavaAckedSubscriber_whenItAcks_thenQos1PublishCompletes() throws Exception {
    GrpcJavaClient.Recorder<SubscribeAckedRequest, SubscribeAckedResponse> sub = new GrpcJavaClient.Recorder<>();
    StreamObserver<SubscribeAckedRequest> out = client.async(ALL).subscribeAcked(sub);
    out.onNext(SubscribeAckedRequest.newBuilder().setSubscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("interop/acked").setQosValue(1))).build());
    await().until(() -> !sub.items.isEmpty());
    Future<?> published = node.bus.publish(FlowMessage.builder("interop/acked").payload("x").qos(QoS.AT_LEAST_ONCE).build());
    await().until(() -> sub.items.size() >= 2);
    long id = sub.items.get(1).getDelivery().getDeliveryId();
    out.onNext(SubscribeAckedRequest.newBuilder().setAck(Ack.newBuilder().addDeliveryIds(id)).build());
    join(published);
    out.onCompleted();
    sub.done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void givenBusResponder_whenGrpcJavaRequests_thenAnswered() throws Exception {
    join(node.bus.serve("interop/echo", req -> Future.succeededFuture(FlowMessage.builder("interop/echo").payload(req.payload()).build())));
    RequestResponse r = client.blocking(ALL).request(RequestRequest.newBuilder().setAddress("interop/echo")
      .setMessage(proto("", "ping", 0)).build());
    assertEquals("ping", r.getMessage().getPayload().toStringUtf8());
  }

  @Test
  void givenSilentResponder_whenRequestWithDeadline_thenTheGatewayUsesTheDeadlineAndReleasesTheCall() throws Exception {
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(node.bus.serve("interop/silent", req -> {
      received.add(req);
      return Promise.<FlowMessage>promise().future();
    }));
    client.blocking(ALL).publish(PublishRequest.newBuilder().setMessage(proto("interop/warm", "", 0)).build()); // connected
    double endedBefore = deadlineEndedRequests();
    long busRequestsBefore = busRequests();
    StatusRuntimeException e = status(Status.Code.DEADLINE_EXCEEDED, () -> client.blocking(ALL)
      .withDeadlineAfter(1000, TimeUnit.MILLISECONDS)
      .request(RequestRequest.newBuilder().setAddress("interop/silent").build()));
    // the client's own deadline may fire first; when the gateway's answer wins it names the bus timeout
    String trailer = GrpcJavaClient.errorTrailer(e);
    assertTrue(trailer == null || trailer.equals("TIMEOUT"), trailer);

    await().until(() -> received.size() == 1); // the request reached the responder
    // the gateway's bus request ends at the call's deadline (the 30 s default would still be waiting),
    // and the call is released: counted as ended (DEADLINE_EXCEEDED, or CANCELLED when the client's reset came first)
    await().atMost(3, TimeUnit.SECONDS).until(() -> busRequests() == busRequestsBefore + 1);
    await().atMost(3, TimeUnit.SECONDS).until(() -> deadlineEndedRequests() == endedBefore + 1);
  }

  private static double deadlineEndedRequests() {
    return node.counter("flowsdk_grpc_calls_total", "method", "Request", "status", "DEADLINE_EXCEEDED")
      + node.counter("flowsdk_grpc_calls_total", "method", "Request", "status", "CANCELLED");
  }

  /** Flow bus requests that ended (answered, failed or timed out) on the gateway's node. */
  private static long busRequests() {
    io.micrometer.core.instrument.Timer timer = io.flowsdk.metrics.FlowMetrics.registry(node.vertx).find("flowsdk.bus.request").timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void givenNoResponder_whenRequest_thenUnavailableWithNoRouteTrailer() {
    StatusRuntimeException e = status(Status.Code.UNAVAILABLE, () -> client.blocking(ALL)
      .request(RequestRequest.newBuilder().setAddress("interop/nobody").build()));
    assertEquals("NO_ROUTE", GrpcJavaClient.errorTrailer(e));
  }

  @Test
  void givenGrpcJavaServe_whenBusRequests_thenItAnswers() throws Exception {
    GrpcJavaClient.ServeResponder responder = client.serve(ALL, "interop/upper", GrpcGatewayVertxClientTest::answer);
    await().until(responder::registered);

    FlowMessage answer = join(node.bus.request("interop/upper", FlowMessage.of("interop/upper", Buffer.buffer("abc")), Duration.ofSeconds(5)));
    assertEquals("ABC", answer.payload().toString());
    FlowException failed = flowFailure(node.bus.request("interop/upper", FlowMessage.of("interop/upper", Buffer.buffer("bad")), Duration.ofSeconds(5)));
    assertEquals(FlowError.INVALID, failed.error());

    responder.close();
    responder.incoming.done.get(10, TimeUnit.SECONDS);
    await().until(() -> flowFailure(node.bus.request("interop/upper", FlowMessage.of("interop/upper", Buffer.buffer("z")),
      Duration.ofSeconds(5))).error() == FlowError.NO_ROUTE);
  }

  @Test
  void givenServeClientThatNeverAnswers_whenRequested_thenRequesterGetsTimeoutAtTheRegisteredTimeout() throws Exception {
    GrpcJavaClient.Recorder<ServeRequest, ServeResponse> incoming = new GrpcJavaClient.Recorder<>();
    StreamObserver<ServeRequest> out = client.async(ALL).serve(incoming);
    out.onNext(ServeRequest.newBuilder().setRegister(ServeRegistration.newBuilder().setAddress("interop/mute")
      .setTimeoutMillis(200)).build());
    await().until(() -> !incoming.items.isEmpty());
    long start = System.nanoTime();
    FlowException e = flowFailure(node.bus.request("interop/mute", FlowMessage.of("interop/mute", Buffer.buffer("?")),
      Duration.ofSeconds(10)));
    assertEquals(FlowError.TIMEOUT, e.error());
    assertEquals("the gRPC responder of 'interop/mute' did not answer in 200 ms", e.getMessage(), "the real deadline");
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertEquals(200, incoming.items.get(1).getRequest().getTimeoutMillis());
    out.onCompleted();
  }

  @Test
  void givenSubscribeAckedStream_whenAckComesBeforeSubscribe_thenFailedPrecondition() throws Exception {
    GrpcJavaClient.Recorder<SubscribeAckedRequest, SubscribeAckedResponse> sub = new GrpcJavaClient.Recorder<>();
    StreamObserver<SubscribeAckedRequest> out = client.async(ALL).subscribeAcked(sub);
    out.onNext(SubscribeAckedRequest.newBuilder().setAck(Ack.newBuilder().addDeliveryIds(1)).build());
    Throwable e = assertThrows(Exception.class, () -> sub.done.get(10, TimeUnit.SECONDS)).getCause();
    assertEquals(Status.Code.FAILED_PRECONDITION, Status.fromThrowable(e).getCode());
  }

  @Test
  void givenNoOrUnknownToken_whenCalling_thenUnauthenticatedAndCounted() {
    double before = node.counter("flowsdk_grpc_unauthenticated_total");
    status(Status.Code.UNAUTHENTICATED, () -> client.blocking(null).publish(PublishRequest.newBuilder()
      .setMessage(proto("orders/1", "x", 0)).build()));
    status(Status.Code.UNAUTHENTICATED, () -> client.blocking("wrong-token").publish(PublishRequest.newBuilder()
      .setMessage(proto("orders/1", "x", 0)).build()));
    assertEquals(before + 2, node.counter("flowsdk_grpc_unauthenticated_total"));
  }

  @Test
  void givenRestrictedToken_whenOutsideItsPermissions_thenPermissionDeniedAndCounted() {
    FlowGrpc.FlowBlockingStub orders = client.blocking(ORDERS);
    orders.publish(PublishRequest.newBuilder().setMessage(proto("orders/1", "x", 0)).build());
    StatusRuntimeException e = status(Status.Code.PERMISSION_DENIED, () -> orders.publish(PublishRequest.newBuilder()
      .setMessage(proto("payments/1", "x", 0)).build()));
    assertTrue(e.getStatus().getDescription().contains("payments/1"), e.getStatus().getDescription());
    status(Status.Code.PERMISSION_DENIED, () -> orders.subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("payments/#")).build()).next());
    status(Status.Code.PERMISSION_DENIED, () -> orders.request(RequestRequest.newBuilder().setAddress("svc/other").build()));
    assertTrue(node.counter("flowsdk_grpc_denied_total", "method", "Publish") >= 1);
    assertTrue(node.counter("flowsdk_grpc_denied_total", "method", "Subscribe") >= 1);
    Iterator<SubscribeResponse> allowed = orders.subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("$share/workers/orders/#")).build());
    assertTrue(allowed.next().hasSubscribed(), "the permission matches the filter without its $share prefix");
  }

  @Test
  void givenMalformedRequests_whenCalling_thenInvalidArgumentSaysWhat() {
    FlowGrpc.FlowBlockingStub stub = client.blocking(ALL);
    String empty = status(Status.Code.INVALID_ARGUMENT, () -> stub.publish(PublishRequest.newBuilder()
      .setMessage(proto("", "x", 0)).build())).getStatus().getDescription();
    assertTrue(empty.contains("topic is empty"), empty);
    String wildcard = status(Status.Code.INVALID_ARGUMENT, () -> stub.publish(PublishRequest.newBuilder()
      .setMessage(proto("a/+/b", "x", 0)).build())).getStatus().getDescription();
    assertTrue(wildcard.contains("wildcard"), wildcard);
    String big = status(Status.Code.INVALID_ARGUMENT, () -> stub.publish(PublishRequest.newBuilder()
      .setMessage(proto("a/b", "x".repeat(1025), 0)).build())).getStatus().getDescription();
    assertTrue(big.contains("maxPayloadBytes"), big);
    String utf8 = status(Status.Code.INVALID_ARGUMENT, () -> stub.publish(PublishRequest.newBuilder()
      .setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic("a/b").setPayloadFormatValue(1)
        .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xC3, 0x28}))).build())).getStatus().getDescription();
    assertTrue(utf8.contains("UTF-8"), utf8);
    String badFilter = status(Status.Code.INVALID_ARGUMENT, () -> stub.subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("a/#/b")).build()).next()).getStatus().getDescription();
    assertTrue(badFilter.contains("subscriptions[0].filter"), badFilter);
  }

  @Test
  void givenTheSameFilterTwiceInOneSubscribe_whenSubscribing_thenInvalidArgumentAndNothingSubscribed() throws Exception {
    String repeated = status(Status.Code.INVALID_ARGUMENT, () -> client.blocking(ALL).subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("dup/x"))
      .addSubscriptions(Subscription.newBuilder().setFilter("dup/x").setQosValue(1)).build()).next())
      .getStatus().getDescription();
    assertEquals("subscriptions[1].filter 'dup/x' repeats subscriptions[0]: give each filter once, with the highest"
      + " qos it needs", repeated);
    assertEquals(java.util.Set.of(), join(node.bus.routeOf("dup/x")), "no subscription was made");
  }

  @Test
  void givenTopicBytesThatAreNotUtf8_whenPublish_thenInvalidArgument() {
    // PublishRequest{message: FlowMessage{topic: 0xC3 0x28}} written by hand: protobuf builders refuse it
    byte[] topic = {0x0A, 0x02, (byte) 0xC3, 0x28};
    byte[] request = new byte[2 + topic.length];
    request[0] = 0x0A;
    request[1] = (byte) topic.length;
    System.arraycopy(topic, 0, request, 2, topic.length);
    assertEquals("the Publish request is not valid protobuf: Protocol message had invalid UTF-8.", rawPublish(request));
  }

  @Test
  void givenAFieldWithAnInvalidWireType_whenPublish_thenInvalidArgumentSaysSoNotUtf8() {
    // tag 0x0E: field 1 with wire type 6, which does not exist
    assertEquals("the Publish request is not valid protobuf: Protocol message tag had invalid wire type.",
      rawPublish(new byte[] {0x0E, 0x00}));
  }

  /** Publishes {@code request} as raw bytes and returns the INVALID_ARGUMENT description. */
  private static String rawPublish(byte[] request) {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(FlowGrpc.getPublishMethod().getFullMethodName())
      .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
    return status(Status.Code.INVALID_ARGUMENT, () -> ClientCalls.blockingUnaryCall(withToken(ALL), raw,
      CallOptions.DEFAULT, request)).getStatus().getDescription();
  }

  @Test
  void givenUnaryCallWithoutRequestMessage_thenInvalidArgument() throws Exception {
    io.grpc.ClientCall<PublishRequest, PublishResponse> call = io.grpc.ClientInterceptors.intercept(client.channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(GrpcJavaClient.bearer(ALL)))
      .newCall(FlowGrpc.getPublishMethod(), CallOptions.DEFAULT);
    java.util.concurrent.CompletableFuture<Status> closed = new java.util.concurrent.CompletableFuture<>();
    call.start(new io.grpc.ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, io.grpc.Metadata trailers) {
        closed.complete(status);
      }
    }, new io.grpc.Metadata());
    call.halfClose();
    Status status = closed.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
  }

  @Test
  void givenLimits_whenExceeded_thenResourceExhausted() {
    FlowGrpc.FlowBlockingStub stub = client.blocking(ALL);
    status(Status.Code.RESOURCE_EXHAUSTED, () -> stub.subscribe(SubscribeRequest.newBuilder()
      .addSubscriptions(Subscription.newBuilder().setFilter("a"))
      .addSubscriptions(Subscription.newBuilder().setFilter("b"))
      .addSubscriptions(Subscription.newBuilder().setFilter("c")).build()).next());
    status(Status.Code.RESOURCE_EXHAUSTED, () -> stub.publish(PublishRequest.newBuilder()
      .setMessage(proto("a/b", "x".repeat(100 * 1024), 0)).build()));
  }

  @Test
  void givenHealthAndReflection_whenAskedByGrpcJava_thenServingAndFlowListed() throws Exception {
    MethodDescriptor<HealthCheckRequest, HealthCheckResponse> check = MethodDescriptor.<HealthCheckRequest, HealthCheckResponse>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("grpc.health.v1.Health/Check")
      .setRequestMarshaller(ProtoUtils.marshaller(HealthCheckRequest.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(HealthCheckResponse.getDefaultInstance())).build();
    HealthCheckResponse health = ClientCalls.blockingUnaryCall(client.channel, check, CallOptions.DEFAULT,
      HealthCheckRequest.newBuilder().setService("flowsdk.v1.Flow").build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    HealthCheckResponse server = ClientCalls.blockingUnaryCall(client.channel, check, CallOptions.DEFAULT,
      HealthCheckRequest.newBuilder().build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, server.getStatus(), "the server as a whole (service \"\")");

    MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> reflect = MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
      .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance())).build();
    ServerReflectionResponse list = reflect(reflect, ServerReflectionRequest.newBuilder().setListServices("*").build());
    List<String> services = list.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList();
    assertTrue(services.contains("flowsdk.v1.Flow"), services.toString());
    assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    ServerReflectionResponse file = reflect(reflect, ServerReflectionRequest.newBuilder()
      .setFileContainingSymbol("flowsdk.v1.Flow").build());
    assertTrue(file.getFileDescriptorResponse().getFileDescriptorProtoCount() > 0, file.toString());
  }

  static io.grpc.Channel withToken(String token) {
    return io.grpc.ClientInterceptors.intercept(client.channel,
      io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(GrpcJavaClient.bearer(token)));
  }

  @Test
  void givenTokensConfigured_whenReflectionWithoutToken_thenUnauthenticatedAndCounted_butHealthAnswers() {
    double before = node.counter("flowsdk_grpc_unauthenticated_total");
    MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> reflect = MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
      .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance())).build();
    GrpcJavaClient.Recorder<ServerReflectionRequest, ServerReflectionResponse> answers = new GrpcJavaClient.Recorder<>();
    StreamObserver<ServerReflectionRequest> ask = ClientCalls.asyncBidiStreamingCall(client.channel.newCall(reflect, CallOptions.DEFAULT), answers);
    ask.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    Throwable refused = assertThrows(Exception.class, () -> answers.done.get(10, TimeUnit.SECONDS)).getCause();
    assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(refused).getCode());
    assertEquals("this gateway needs the metadata 'authorization: Bearer <token>'", Status.fromThrowable(refused).getDescription());
    assertTrue(answers.items.isEmpty());
    assertEquals(before + 1, node.counter("flowsdk_grpc_unauthenticated_total"));
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, GrpcGatewayHealthTest.check(client, "flowsdk.v1.Flow"),
      "authenticateHealth is off by default");
  }

  @Test
  void givenAuthenticateHealth_whenHealthWithoutOrWithToken_thenUnauthenticatedOrServing() throws Exception {
    try (GatewayFixture guarded = new GatewayFixture(new GrpcGatewayOptions().setAuthenticateHealth(true)
      .setAuthenticateReflection(false).addToken(new GrpcTokenOptions().setSha256(GrpcTokenOptions.hash(ALL))));
         GrpcJavaClient other = new GrpcJavaClient(guarded.port())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GrpcGatewayHealthTest.check(other, ""));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      HealthCheckResponse withToken = ClientCalls.blockingUnaryCall(io.grpc.ClientInterceptors.intercept(other.channel,
          io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(GrpcJavaClient.bearer(ALL))), GrpcGatewayHealthTest.CHECK,
        CallOptions.DEFAULT, HealthCheckRequest.getDefaultInstance());
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, withToken.getStatus());
    }
  }

  /** One question on its own reflection stream (GrpcReflectionInteropTest asks many on one). */
  private static ServerReflectionResponse reflect(MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method,
                                                  ServerReflectionRequest question) throws Exception {
    GrpcJavaClient.Recorder<ServerReflectionRequest, ServerReflectionResponse> answers = new GrpcJavaClient.Recorder<>();
    StreamObserver<ServerReflectionRequest> ask = ClientCalls.asyncBidiStreamingCall(withToken(ALL).newCall(method, CallOptions.DEFAULT), answers);
    ask.onNext(question);
    ask.onCompleted();
    answers.done.get(10, TimeUnit.SECONDS);
    return answers.items.get(0);
  }

  static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
