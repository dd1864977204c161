package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.PublishStreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway cuts request bodies at message boundaries before vertx-grpc deframes them; a client that
 * packs many gRPC messages into one DATA frame, or cuts one across frames (even inside its 5-byte
 * prefix), gets every message handled once, in order, exactly as sent.
 */
class GrpcMessageFramingTest {

  private static Buffer framed(PublishStreamRequest request) {
    byte[] bytes = request.toByteArray();
    return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  private static List<PublishStreamResponse> responses(Buffer body) throws Exception {
    List<PublishStreamResponse> out = new ArrayList<>();
    for (int at = 0; at < body.length(); ) {
      int length = body.getInt(at + 1);
      out.add(PublishStreamResponse.parseFrom(body.getBytes(at + 5, at + 5 + length)));
      at += 5 + length;
    }
    return out;
  }

  @Test
  void givenAPublishStreamBodyOf300MessagesInOddChunks_thenEachIsPublishedOnceInOrderAndAcked() throws Exception {
    int count = 300;
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions().setPublishWindow(count))) {
      List<String> received = new CopyOnWriteArrayList<>();
      join(node.bus.subscribe("framing/#", m -> received.add(m.topic() + "="
        + m.payload().getString(0, Math.min(4, m.payload().length())).trim() + "/" + m.payload().length())));
      Buffer body = Buffer.buffer();
      List<Integer> ends = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        body.appendBuffer(framed(PublishStreamRequest.newBuilder().setSequence(i)
          .setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic("framing/" + i % 3)
            .setPayload(ByteString.copyFromUtf8("m" + i).concat(ByteString.copyFrom(new byte[i % 5 == 0 ? 3000 : 0]))))
          .build()));
        ends.add(body.length());
      }
      // cuts: 100 whole messages in one write, then 2 bytes into message 102's prefix, then 1 byte into
      // its body, then pieces of 777 bytes (inside large messages and across small ones), then the rest
      List<Integer> cuts = new ArrayList<>(List.of(ends.get(99), ends.get(100) + 2, ends.get(100) + 6));
      for (int at = cuts.get(2) + 777; at < ends.get(199); at += 777) {
        cuts.add(at);
      }
      cuts.add(body.length());

      var client = node.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
      HttpClientResponse[] response = new HttpClientResponse[1];
      Buffer answer = join(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(node.port()).setURI("/flowsdk.v1.Flow/PublishStream"))
        .compose(request -> {
          request.setChunked(true).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
          int from = 0;
          for (int cut : cuts) {
            request.write(body.getBuffer(from, cut));
            from = cut;
          }
          request.end();
          return request.response();
        })
        .compose(r -> {
          response[0] = r;
          return r.body();
        }));

      assertEquals("0", response[0].getTrailer("grpc-status"), "the stream ends OK");
      List<PublishStreamResponse> got = responses(answer);
      assertEquals(count, got.get(0).getCredit().getMessages());
      assertEquals(IntStream.rangeClosed(1, count).mapToObj(Long::valueOf).collect(Collectors.toList()),
        got.stream().skip(1).map(r -> r.getAck().getSequence()).sorted().collect(Collectors.toList()),
        "one ack per message");
      assertEquals(List.of(), got.stream().skip(1).filter(r -> !r.getAck().hasPublished()).collect(Collectors.toList()),
        "every message was published");
      await().until(() -> received.size() == count);
      assertEquals(IntStream.rangeClosed(1, count).mapToObj(i -> "framing/" + i % 3 + "=" + ("m" + i).substring(0, Math.min(4, ("m" + i).length()))
          + "/" + (("m" + i).length() + (i % 5 == 0 ? 3000 : 0)))
        .collect(Collectors.toList()), received, "each message once, in order, as sent");
    }
  }
}
