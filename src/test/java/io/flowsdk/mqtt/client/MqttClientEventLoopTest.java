package io.flowsdk.mqtt.client;

import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.mqtt.client.MqttTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which event loop a client runs on, seen from its connected handler, against a real Mosquitto. */
class MqttClientEventLoopTest {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create();

  private Vertx vertx;
  private final List<MqttClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
  }

  @AfterEach
  void tearDown() {
    for (MqttClient c : clients) {
      await(c.disconnect());
    }
    await(vertx.close());
  }

  private MqttClient create(String clientId) {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setHost(broker.host()).setPort(broker.port())
      .setClientId(clientId).setTimeoutPreset(TimeoutPreset.LOCAL));
    clients.add(c);
    return c;
  }

  /** Connects {@code client} and answers the thread its connected handler ran on. */
  private static Thread connectedThread(MqttClient client) {
    Promise<Thread> thread = Promise.promise();
    client.connectedHandler(ack -> thread.tryComplete(Thread.currentThread()));
    await(client.connect());
    return await(thread.future());
  }

  @Test
  void givenAPlainThread_whenTwoClientsAreCreated_thenTheyRunOnDifferentEventLoops() {
    MqttClient publisher = create("loops-publisher");
    MqttClient subscriber = create("loops-subscriber");

    Thread publisherLoop = connectedThread(publisher);
    Thread subscriberLoop = connectedThread(subscriber);

    assertTrue(publisherLoop.getName().startsWith("vert.x-eventloop-thread-"), publisherLoop.getName());
    assertTrue(subscriberLoop.getName().startsWith("vert.x-eventloop-thread-"), subscriberLoop.getName());
    assertNotEquals(publisherLoop, subscriberLoop);
  }

  @Test
  void givenAVertxContext_whenClientsAreCreatedOnIt_thenTheyStayOnThatContextsEventLoop() {
    Context context = vertx.getOrCreateContext();
    Promise<Thread> contextThread = Promise.promise();
    Promise<List<MqttClient>> created = Promise.promise();
    context.runOnContext(v -> {
      contextThread.complete(Thread.currentThread());
      created.complete(List.of(create("loops-verticle-a"), create("loops-verticle-b")));
    });
    List<MqttClient> onContext = await(created.future());

    assertEquals(await(contextThread.future()), connectedThread(onContext.get(0)));
    assertEquals(await(contextThread.future()), connectedThread(onContext.get(1)));
  }
}
