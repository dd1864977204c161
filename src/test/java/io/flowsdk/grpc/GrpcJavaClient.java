package io.flowsdk.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.flowsdk.grpc.v1.FlowGrpc;
import io.flowsdk.grpc.v1.IncomingRequest;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.ServeResponse;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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

  /** A grpc-java Serve responder registered for {@code address}, answering each request with {@code answer}. */
  ServeResponder serve(String token, String address, Function<IncomingRequest, ServeRequest> answer) {
    return new ServeResponder(async(token), address, answer);
  }

  /** One Serve stream: what the gateway sent (registration, requests) and the client's side of the stream. */
  static final class ServeResponder implements AutoCloseable {
    final Recorder<ServeRequest, ServeResponse> incoming = new Recorder<>();
    private StreamObserver<ServeRequest> out;

    private ServeResponder(FlowGrpc.FlowStub stub, String address, Function<IncomingRequest, ServeRequest> answer) {
      StreamObserver<ServeResponse> answering = new StreamObserver<>() {
        @Override
        public void onNext(ServeResponse r) {
          incoming.onNext(r);
          if (r.hasRequest()) {
            send(answer.apply(r.getRequest()));
          }
        }

        @Override
        public void onError(Throwable t) {
          incoming.onError(t);
        }

        @Override
        public void onCompleted() {
          incoming.onCompleted();
        }
      };
      synchronized (this) {
        out = stub.serve(answering);
        out.onNext(ServeRequest.newBuilder().setRegister(ServeRegistration.newBuilder().setAddress(address)).build());
      }
    }

    /** Whether the gateway confirmed the registration (its first message). */
    boolean registered() {
      return !incoming.items.isEmpty() && incoming.items.get(0).hasRegistered();
    }

    private synchronized void send(ServeRequest reply) {
      out.onNext(reply);
    }

    /** Ends the client's side: the gateway stops routing requests here and ends the stream. */
    @Override
    public synchronized void close() {
      out.onCompleted();
    }
  }
}
