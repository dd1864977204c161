package io.flowsdk.bench;

import io.flowsdk.grpc.v1.Delivery;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.FlowGrpcService;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.RequestResponse;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.SubscribeResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;

import static io.flowsdk.bench.FlowBusScenario.await;

/**
 * A plain vertx-grpc server with no bus, to a Vert.x gRPC client: its {@code Subscribe} streams what the
 * bench hands it, on the server call's own event loop, and it answers each unary {@code Request} at once.
 * What Vert.x gives before any FlowSDK code.
 */
final class VertxGrpcPeer {

  /** The pipe, and the context it must send on (the server call's). */
  record Streaming(WindowedPipe pipe, Context sender, HttpServer server) {
  }

  static Streaming serverStreaming(Vertx vertx, Context receiver) throws Exception {
    Promise<GrpcServerResponse<SubscribeRequest, SubscribeResponse>> opened = Promise.promise();
    Promise<Context> serverContext = Promise.promise();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(FlowGrpcService.Subscribe, request -> request.handler(subscribe -> {
      serverContext.tryComplete(Vertx.currentContext());
      opened.tryComplete(request.response());
    }));
    HttpServer server = await(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
    // The stream idles while the other rows run; Vert.x's default 60 s HTTP/2 keep-alive would close it.
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setHttp2KeepAliveTimeout(0);
    FlowGrpcClient client = FlowGrpcClient.create(GrpcClient.client(vertx, http),
      SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"));
    WindowedPipe[] pipe = new WindowedPipe[1];
    receiver.runOnContext(v -> client.subscribe(SubscribeRequest.getDefaultInstance())
      .onSuccess(stream -> stream.handler(r -> pipe[0].receivedFromPath(Buffer.buffer(r.getDelivery().getMessage().getPayload().toByteArray())))));
    GrpcServerResponse<SubscribeRequest, SubscribeResponse> response = await(opened.future());
    pipe[0] = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return response.write(SubscribeResponse.newBuilder().setDelivery(Delivery.newBuilder().setDeliveryId(1)
          .setFilter("bench/grpc").setMessage(GrpcJavaPeer.message(payload))).build());
      }
    };
    return new Streaming(pipe[0], await(serverContext.future()), server);
  }

  /** Unary {@code Request} calls from a Vert.x client with {@code clientOptions}, each answered at once with its own message. */
  static WindowedPipe unary(Vertx vertx, HttpClientOptions clientOptions) throws Exception {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(FlowGrpcService.Request, call -> call.handler(request ->
      call.response().end(RequestResponse.newBuilder().setMessage(request.getMessage()).build())));
    HttpServer server = await(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
    FlowGrpcClient client = FlowGrpcClient.create(GrpcClient.client(vertx, clientOptions),
      SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"));
    return new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return client.request(RequestRequest.newBuilder().setAddress("bench/echo").setMessage(GrpcJavaPeer.message(payload)).build())
          .onSuccess(response -> receivedFromPath(Buffer.buffer(response.getMessage().getPayload().toByteArray())));
      }
    };
  }
}
