package io.flowsdk.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.grpc.reflection.v1.ExtensionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server reflection asked the way grpcurl asks it: many questions on ONE {@code ServerReflectionInfo}
 * stream, from grpc-java (no generated reflection stubs: the v1 messages serve both v1 and v1alpha,
 * whose wire format is identical).
 */
class GrpcReflectionInteropTest {

  static GatewayFixture node;
  static GrpcJavaClient client;

  @BeforeAll
  static void start() throws Exception {
    node = new GatewayFixture(new GrpcGatewayOptions());
    client = new GrpcJavaClient(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    node.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc.reflection.v1", "grpc.reflection.v1alpha"})
  void givenOneReflectionStream_whenGrpcurlSequenceAsked_thenEveryQuestionAnsweredAndStreamEndsWithClient(String version)
    throws Exception {
    Conversation stream = new Conversation(version);

    ServerReflectionResponse list = stream.ask(ServerReflectionRequest.newBuilder().setHost("localhost").setListServices("").build());
    assertEquals("localhost", list.getValidHost());
    assertEquals("", list.getOriginalRequest().getListServices());
    List<String> services = list.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    assertEquals(List.of("flowsdk.v1.Flow", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection"), services);

    List<FileDescriptorProto> flow = files(stream.ask(symbol("flowsdk.v1.Flow")));
    assertEquals("flowsdk/v1/flow.proto", flow.get(0).getName());
    assertEquals("flowsdk.v1", flow.get(0).getPackage());
    assertEquals(flow.get(0).getDependencyCount() + 1, flow.size(), "the file and each of its imports once");

    ServerReflectionResponse unknown = stream.ask(symbol("flowsdk.v1.NoSuchThing"));
    assertEquals(5, unknown.getErrorResponse().getErrorCode(), unknown.toString());
    assertEquals("flowsdk.v1.NoSuchThing", unknown.getOriginalRequest().getFileContainingSymbol());

    assertEquals("flowsdk/v1/flow.proto", files(stream.ask(symbol("flowsdk.v1.Flow.Publish"))).get(0).getName());
    assertEquals("flowsdk/v1/flow.proto", files(stream.ask(symbol("flowsdk.v1.PublishRequest"))).get(0).getName());
    assertEquals("health.proto", files(stream.ask(symbol("grpc.health.v1.HealthCheckResponse.ServingStatus"))).get(0).getName());
    List<FileDescriptorProto> self = files(stream.ask(symbol(version + ".ServerReflection")));
    assertEquals(version, self.get(0).getPackage());
    assertEquals(version.endsWith("v1") ? "reflection.proto" : "grpc/reflection/v1alpha/reflection.proto", self.get(0).getName());

    List<FileDescriptorProto> byName = files(stream.ask(ServerReflectionRequest.newBuilder()
      .setFileByFilename("flowsdk/v1/flow.proto").build()));
    assertEquals(flow, byName);
    ServerReflectionResponse missingFile = stream.ask(ServerReflectionRequest.newBuilder().setFileByFilename("nope.proto").build());
    assertEquals(5, missingFile.getErrorResponse().getErrorCode());

    ServerReflectionResponse extension = stream.ask(ServerReflectionRequest.newBuilder()
      .setFileContainingExtension(ExtensionRequest.newBuilder().setContainingType("flowsdk.v1.PublishRequest").setExtensionNumber(100))
      .build());
    assertEquals(5, extension.getErrorResponse().getErrorCode());
    ServerReflectionResponse numbers = stream.ask(ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("flowsdk.v1.PublishRequest").build());
    assertEquals("flowsdk.v1.PublishRequest", numbers.getAllExtensionNumbersResponse().getBaseTypeName());
    assertEquals(0, numbers.getAllExtensionNumbersResponse().getExtensionNumberCount());
    ServerReflectionResponse unknownType = stream.ask(ServerReflectionRequest.newBuilder()
      .setAllExtensionNumbersOfType("flowsdk.v1.Nope").build());
    assertEquals(5, unknownType.getErrorResponse().getErrorCode());

    assertTrue(stream.ask(ServerReflectionRequest.newBuilder().setListServices("*").build()).hasListServicesResponse(),
      "the stream still answers after errors");
    stream.endAndAwaitServerEnd();
  }

  @Test
  void givenClientNotReading_whenManyQuestionsAsked_thenAllAnsweredInOrderOnceItReads() throws Exception {
    GrpcJavaClient.Recorder<ServerReflectionRequest, ServerReflectionResponse> answers = new GrpcJavaClient.Recorder<>(1);
    StreamObserver<ServerReflectionRequest> questions = ClientCalls.asyncBidiStreamingCall(
      client.channel.newCall(method("grpc.reflection.v1", ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance())),
        CallOptions.DEFAULT), answers);
    int asked = 300;
    for (int i = 0; i < asked; i++) {
      questions.onNext(ServerReflectionRequest.newBuilder().setHost("q" + i).setFileContainingSymbol("flowsdk.v1.Flow").build());
    }
    questions.onCompleted();
    await().atMost(Duration.ofSeconds(10)).until(() -> answers.items.size() == 1);
    answers.request(asked);
    answers.done.get(20, TimeUnit.SECONDS);
    assertEquals(asked, answers.items.size());
    for (int i = 0; i < asked; i++) {
      assertEquals("q" + i, answers.items.get(i).getValidHost());
    }
  }

  @Test
  void givenBytesThatAreNoReflectionRequest_whenSent_thenStreamEndsInvalidArgument() throws Exception {
    GrpcJavaClient.Recorder<byte[], ServerReflectionResponse> answers = new GrpcJavaClient.Recorder<>();
    StreamObserver<byte[]> questions = ClientCalls.asyncBidiStreamingCall(
      client.channel.newCall(method("grpc.reflection.v1alpha", new RawBytes()), CallOptions.DEFAULT), answers);
    questions.onNext(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    ExecutionException failed = assertThrows(ExecutionException.class, () -> answers.done.get(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(failed.getCause()).getCode(), failed.getCause().toString());
  }

  private static <Req> MethodDescriptor<Req, ServerReflectionResponse> method(String version, MethodDescriptor.Marshaller<Req> requests) {
    return MethodDescriptor.<Req, ServerReflectionResponse>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName(version + ".ServerReflection/ServerReflectionInfo")
      .setRequestMarshaller(requests)
      .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
      .build();
  }

  /** Sends whatever bytes it is given as the message. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("requests only");
    }
  }

  private static ServerReflectionRequest symbol(String name) {
    return ServerReflectionRequest.newBuilder().setFileContainingSymbol(name).build();
  }

  private static List<FileDescriptorProto> files(ServerReflectionResponse response) throws InvalidProtocolBufferException {
    assertTrue(response.hasFileDescriptorResponse(), response.toString());
    List<FileDescriptorProto> files = new ArrayList<>();
    for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes));
    }
    return files;
  }

  /** One bidi reflection call: ask() sends a question and waits for its answer. */
  private static final class Conversation implements StreamObserver<ServerReflectionResponse> {
    private final LinkedBlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final StreamObserver<ServerReflectionRequest> questions;

    Conversation(String version) {
      questions = ClientCalls.asyncBidiStreamingCall(client.channel.newCall(
        method(version, ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance())), CallOptions.DEFAULT), this);
    }

    ServerReflectionResponse ask(ServerReflectionRequest question) throws Exception {
      questions.onNext(question);
      await().atMost(Duration.ofSeconds(10)).until(() -> !answers.isEmpty() || ended.isDone());
      ServerReflectionResponse answer = answers.poll();
      assertNotNull(answer, () -> "no answer to " + question + " (stream ended: " + ended + ")");
      assertEquals(question, answer.getOriginalRequest());
      return answer;
    }

    void endAndAwaitServerEnd() throws Exception {
      questions.onCompleted();
      ended.get(10, TimeUnit.SECONDS);
      assertTrue(answers.isEmpty(), "no unasked answers: " + answers);
    }

    @Override
    public void onNext(ServerReflectionResponse value) {
      answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
      ended.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }
  }
}
