package io.flowsdk.bench;

import com.google.protobuf.ByteString;
import io.flowsdk.grpc.v1.Delivery;
import io.flowsdk.grpc.v1.FlowGrpc;
import io.flowsdk.grpc.v1.FlowMessage;
import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.RequestResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java (Netty, shaded) with no bus behind it: what a user gets from gRPC itself. Its server relays
 * each {@code PublishStream} message straight to the open {@code Subscribe} stream (acking it, as the
 * gateway does), or streams what the bench hands it; it answers each unary {@code Request} at once.
 * Server and channel run on direct executors, grpc-java's fastest setting.
 */
final class GrpcJavaPeer implements AutoCloseable {

  private final Server server;
  private final ManagedChannel channel;
  private volatile StreamObserver<SubscribeResponse> subscriber;
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

  GrpcJavaPeer() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
      .addService(new RelayService()).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().directExecutor().build();
  }

  private final class RelayService extends FlowGrpc.FlowImplBase {
    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<SubscribeResponse> out) {
      subscriber = out;
      subscribed.complete(null);
    }

    @Override
    public StreamObserver<PublishStreamRequest> publishStream(StreamObserver<PublishStreamResponse> acks) {
      return new StreamObserver<>() {
        @Override
        public void onNext(PublishStreamRequest r) {
          subscriber.onNext(delivery(r.getMessage()));
          acks.onNext(PublishStreamResponse.newBuilder().setAck(PublishAck.newBuilder().setSequence(r.getSequence())).build());
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
          acks.onCompleted();
        }
      };
    }

    @Override
    public void request(RequestRequest request, StreamObserver<RequestResponse> out) {
      out.onNext(RequestResponse.newBuilder().setMessage(FlowMessage.newBuilder().setPayload(request.getMessage().getPayload())).build());
      out.onCompleted();
    }
  }

  private static SubscribeResponse delivery(FlowMessage message) {
    return SubscribeResponse.newBuilder().setDelivery(Delivery.newBuilder().setDeliveryId(1).setFilter("bench/grpc")
      .setMessage(message)).build();
  }

  static FlowMessage message(Buffer payload) {
    return FlowMessage.newBuilder().setTopic("bench/grpc").setPayload(ByteString.copyFrom(payload.getBytes())).build();
  }

  private void openSubscriber(WindowedPipe[] pipe) throws Exception {
    FlowGrpc.newStub(channel).subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
      @Override
      public void onNext(SubscribeResponse r) {
        pipe[0].receivedFromPath(Buffer.buffer(r.getDelivery().getMessage().getPayload().toByteArray()));
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    });
    subscribed.get(10, TimeUnit.SECONDS);
  }

  /** Server streaming, one hop: the bench hands each message to the server's Subscribe stream. */
  WindowedPipe serverStreaming() throws Exception {
    WindowedPipe[] pipe = {new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        subscriber.onNext(delivery(message(payload)));
        return Future.succeededFuture();
      }
    }};
    openSubscriber(pipe);
    return pipe[0];
  }

  /** Bidi in, server streaming out: a PublishStream client relayed by the server to a Subscribe client. */
  WindowedPipe relay() throws Exception {
    WindowedPipe[] pipe = new WindowedPipe[1];
    StreamObserver<PublishStreamRequest> requests = FlowGrpc.newStub(channel).publishStream(new StreamObserver<>() {
      @Override
      public void onNext(PublishStreamResponse ack) {
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    });
    long[] sequence = {0};
    pipe[0] = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        requests.onNext(PublishStreamRequest.newBuilder().setSequence(++sequence[0]).setMessage(message(payload)).build());
        return Future.succeededFuture();
      }
    };
    openSubscriber(pipe);
    return pipe[0];
  }

  /** Unary round trips, as many in flight as the bench's window. */
  WindowedPipe unary() {
    FlowGrpc.FlowStub stub = FlowGrpc.newStub(channel);
    return new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        Promise<Void> answered = Promise.promise();
        stub.request(RequestRequest.newBuilder().setAddress("bench/echo").setMessage(message(payload)).build(), new StreamObserver<>() {
          @Override
          public void onNext(RequestResponse response) {
            receivedFromPath(Buffer.buffer(response.getMessage().getPayload().toByteArray()));
          }

          @Override
          public void onError(Throwable t) {
            answered.tryFail(t);
          }

          @Override
          public void onCompleted() {
            answered.tryComplete();
          }
        });
        return answered.future();
      }
    };
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
