package io.flowsdk.grpc;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway grants each client connection grpc-java's 1 MiB HTTP/2 connection window, not HTTP/2's
 * 64 KiB: read from the wire, the WINDOW_UPDATE on stream 0 that follows its SETTINGS.
 */
class GrpcGatewayConnectionWindowTest {

  private static final int SETTINGS = 0x4;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int HTTP2_DEFAULT_WINDOW = 65_535;

  @Test
  void givenANewConnection_thenTheGatewayOpensTheConnectionWindowTo1MiB() throws Exception {
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions());
         Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0});
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      long increment = -1;
      for (int frame = 0; frame < 10 && increment < 0; frame++) {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == WINDOW_UPDATE && stream == 0) {
          increment = ((payload[0] & 0x7fL) << 24) | ((payload[1] & 0xffL) << 16) | ((payload[2] & 0xffL) << 8) | (payload[3] & 0xffL);
        }
      }
      assertEquals((1 << 20) - HTTP2_DEFAULT_WINDOW, increment, "connection window = 65,535 + the increment = 1 MiB");
    }
  }
}
