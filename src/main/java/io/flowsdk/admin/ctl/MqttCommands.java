package io.flowsdk.admin.ctl;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ctl pub} and {@code ctl sub}: publish and subscribe against a node's MQTT broker (or any
 * broker) with FlowSDK's own MQTT client, with the options of {@code mosquitto_pub}/{@code mosquitto_sub}.
 */
final class MqttCommands {

  private static final long CONNECT_SECONDS = 10;

  private MqttCommands() {
  }

  /** The broker to connect to, as mosquitto's clients name the options. */
  static final class Broker {
    @Option(names = {"-h", "--host"}, defaultValue = "127.0.0.1", description = "broker host (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = {"-p", "--port"}, defaultValue = "1883", description = "broker port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = {"-V", "--protocol-version"}, defaultValue = "5", description = "MQTT version: 5 or 311 (default ${DEFAULT-VALUE})")
    String version;
    @Option(names = {"-i", "--id"}, description = "client id (default: assigned by the broker)")
    String clientId;
    @Option(names = {"-u", "--username"})
    String username;
    @Option(names = {"-P", "--pw"})
    String password;
    @Option(names = "--cafile", description = "PEM CA file: connect with TLS")
    String caFile;
    @Option(names = {"-q", "--qos"}, defaultValue = "0", description = "QoS 0, 1 or 2 (default ${DEFAULT-VALUE})")
    int qos;

    MqttClientOptions options() {
      MqttVersion v = switch (version) {
        case "5", "mqttv5" -> MqttVersion.V5;
        case "311", "mqttv311" -> MqttVersion.V3_1_1;
        default -> throw new CtlException(2, "-V must be 5 or 311, not '" + version + "'");
      };
      MqttClientOptions options = new MqttClientOptions().setHost(host).setPort(port).setVersion(v).setReconnect(false)
        .setUsername(username).setPassword(password);
      if (clientId != null) {
        options.setClientId(clientId);
      } else if (v == MqttVersion.V3_1_1) {
        options.setClientId("flowsdk-ctl-" + ProcessHandle.current().pid());
      }
      if (caFile != null) {
        options.setSsl(true).setCaCertPath(caFile);
      }
      return options;
    }

    QoS qos() {
      if (qos < 0 || qos > 2) {
        throw new CtlException(2, "-q must be 0, 1 or 2, not " + qos);
      }
      return QoS.of(qos);
    }

    /** A connected client on a Vert.x of its own; fails with {@link CtlException} saying why it could not connect. */
    MqttClient connect(Vertx vertx) {
      MqttClient client = MqttClient.create(vertx, options());
      await(client.connect(), CONNECT_SECONDS, "connect to " + host + ":" + port, CtlException.UNREACHABLE);
      return client;
    }
  }

  static <T> T await(Future<T> future, long seconds, String what, int exitCode) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CtlException(exitCode, "could not " + what + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new CtlException(CtlException.TIMEOUT, "could not " + what + " within " + seconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException(CtlException.TIMEOUT, "interrupted");
    }
  }

  @Command(name = "pub", description = "Publish one message (-m) or each line of stdin (-l).")
  static final class Pub implements Callable<Integer> {
    @Mixin
    Broker broker;
    @Option(names = {"-t", "--topic"}, required = true)
    String topic;
    @Option(names = {"-m", "--message"}, description = "the payload")
    String message;
    @Option(names = {"-l", "--stdin-line"}, description = "publish each line of stdin as a message")
    boolean lines;
    @Option(names = {"-r", "--retain"})
    boolean retain;
    @Option(names = {"-D", "--user-property"}, arity = "2", paramLabel = "NAME VALUE", description = "MQTT 5 user property (repeatable)")
    List<String> userProperties = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if ((message == null) == !lines) {
        throw new CtlException(2, "give either -m MESSAGE or -l (lines from stdin)");
      }
      Vertx vertx = Vertx.vertx();
      try {
        MqttClient client = broker.connect(vertx);
        if (lines) {
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            publish(client, line);
          }
        } else {
          publish(client, message);
        }
        await(client.disconnect(), CONNECT_SECONDS, "disconnect", CtlException.REFUSED);
        return 0;
      } finally {
        vertx.close();
      }
    }

    private void publish(MqttClient client, String payload) {
      PublishRequest.Builder request = PublishRequest.builder(topic).payload(payload).qos(broker.qos()).retain(retain);
      for (int i = 0; i + 1 < userProperties.size(); i += 2) {
        request.userProperty(userProperties.get(i), userProperties.get(i + 1));
      }
      await(client.publish(request.build()), 30, "publish to " + topic, CtlException.REFUSED);
    }
  }

  @Command(name = "sub", description = "Subscribe and print each message's payload (-v: topic and payload).")
  static final class Sub implements Callable<Integer> {
    @Mixin
    Broker broker;
    @Option(names = {"-t", "--topic"}, required = true, description = "topic filter (repeatable)")
    List<String> filters;
    @Option(names = {"-v", "--verbose"}, description = "print the topic before the payload")
    boolean verbose;
    @Option(names = {"-C", "--count"}, defaultValue = "0", description = "exit after this many messages (0: never)")
    int count;
    @Option(names = {"-W", "--timeout"}, defaultValue = "0", description = "exit with code 4 after this many seconds (0: never)")
    long timeoutSeconds;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      CompletableFuture<Void> enough = new CompletableFuture<>();
      AtomicInteger received = new AtomicInteger();
      Vertx vertx = Vertx.vertx();
      try {
        MqttClient client = broker.connect(vertx);
        client.disconnectedHandler(info -> enough.completeExceptionally(new CtlException(CtlException.UNREACHABLE,
          "the broker closed the connection: " + info)));
        client.messageHandler(m -> {
          print(out, m);
          if (count > 0 && received.incrementAndGet() >= count) {
            enough.complete(null);
          }
          return Future.succeededFuture();
        });
        SubscribeRequest.Builder subscribe = SubscribeRequest.builder();
        filters.forEach(f -> subscribe.add(f, broker.qos()));
        await(client.subscribe(subscribe.build()), CONNECT_SECONDS, "subscribe to " + filters, CtlException.REFUSED);
        try {
          if (timeoutSeconds > 0) {
            enough.get(timeoutSeconds, TimeUnit.SECONDS);
          } else {
            enough.get();
          }
        } catch (TimeoutException e) {
          throw new CtlException(CtlException.TIMEOUT, "timed out after " + timeoutSeconds + " s with " + received.get()
            + " message(s)");
        } catch (ExecutionException e) {
          throw e.getCause() instanceof CtlException ? (CtlException) e.getCause() : e;
        }
        client.disconnect();
        return 0;
      } finally {
        vertx.close();
      }
    }

    private void print(PrintWriter out, InboundMessage m) {
      String payload = m.payload().toString(StandardCharsets.UTF_8);
      synchronized (out) {
        out.println(verbose ? m.topic() + " " + payload : payload);
        out.flush();
      }
    }
  }
}
