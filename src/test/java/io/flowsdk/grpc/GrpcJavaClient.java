package io.flowsdk.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.flowsdk.grpc.v1.FlowGrpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** grpc-java (Netty, shaded) as the independent client of the gateway. */
final class GrpcJavaClient implements AutoCloseable {

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> ERROR_TRAILER = Metadata.Key.of("flowsdk-error", Metadata.ASCII_STRING_MARSHALLER);

  final ManagedChannel channel;

  GrpcJavaClient(int port) {
    this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  GrpcJavaClient(ManagedChannel channel) {
    this.channel = channel;
  }

  static Metadata bearer(String token) {
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, "Bearer " + token);
    return md;
  }

  FlowGrpc.FlowBlockingStub blocking(String token) {
    FlowGrpc.FlowBlockingStub stub = FlowGrpc.newBlockingStub(channel);
    return token == null ? stub : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
  }

  FlowGrpc.FlowStub async(String token) {
    FlowGrpc.FlowStub stub = FlowGrpc.newStub(channel);
    return token == null ? stub : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
  }

  static String errorTrailer(StatusRuntimeException e) {
    return e.getTrailers() == null ? null : e.getTrailers().get(ERROR_TRAILER);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /**
   * Records a response stream; {@link #initialRequests} > 0 turns automatic flow control off so the
   * test decides how fast the client reads ({@link #request}).
   */
  static final class Recorder<Req, T> implements ClientResponseObserver<Req, T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final int initialRequests;
    volatile ClientCallStreamObserver<Req> call;

    Recorder() {
      this(0);
    }

    Recorder(int initialRequests) {
      this.initialRequests = initialRequests;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Req> requestStream) {
      this.call = requestStream;
      if (initialRequests > 0) {
        requestStream.disableAutoRequestWithInitial(initialRequests);
      }
    }

    void request(int n) {
      call.request(n);
    }

    @Override
    public void onNext(T value) {
      items.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }
}
