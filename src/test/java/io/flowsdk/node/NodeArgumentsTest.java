package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeArgumentsTest {

  private static String refused(String... args) {
    FlowException e = assertThrows(FlowException.class, () -> NodeArguments.parse(args));
    assertEquals(FlowError.INVALID, e.error());
    return e.getMessage();
  }

  @Test
  void givenTheSupportedArguments_whenParsed_thenEachIsRead() {
    assertEquals(new NodeArguments("node.json", true, null, true, false), NodeArguments.parse("-conf", "node.json", "-cluster", "-v"));
    assertEquals(new NodeArguments("{\"portOffset\": 1}", false, null, false, false), NodeArguments.parse("--conf={\"portOffset\": 1}"));
    assertEquals(new NodeArguments(null, false, null, false, false), NodeArguments.parse());
  }

  @Test
  void givenAClusterName_whenParsed_thenItIsReadAndImpliesCluster() {
    assertEquals(new NodeArguments(null, true, "team-a", false, false), NodeArguments.parse("-cluster-name", "team-a"));
    assertEquals("-cluster-name needs a cluster name", refused("-cluster", "-cluster-name"));
  }

  @Test
  void givenHelp_whenParsed_thenHelpIsAsked() {
    assertTrue(NodeArguments.parse("-cluster", "--help").help());
    assertTrue(NodeArguments.parse("-h").help());
  }

  @Test
  void givenTheLaunchersInstancesOrAStrayArgument_whenParsed_thenRefused() {
    assertEquals("unknown argument '-instances=2' (the node deploys what its -conf lists; --help shows what it accepts)",
      refused("-instances=2"));
    assertEquals("unknown argument 'io.flowsdk.node.ManagementVerticle' (the node deploys what its -conf lists; --help shows what it accepts)",
      refused("-cluster", "io.flowsdk.node.ManagementVerticle"));
  }

  @Test
  void givenASystemPropertyAfterTheJar_whenParsed_thenRefusedSayingWhereItGoes() {
    assertEquals("'-Dflowsdk.portOffset=1' is a JVM option: put it before -jar (java -Dflowsdk.portOffset=1 -jar flowsdk-vertx.jar ...)",
      refused("-Dflowsdk.portOffset=1"));
  }

  @Test
  void givenConfWithoutValue_whenParsed_thenRefused() {
    assertEquals("-conf needs a file or a JSON object", refused("-conf"));
  }

  @Test
  void givenTheUsage_thenItNamesEveryArgumentAndWhereToConnect() {
    for (String part : new String[] {"-conf FILE|JSON", "-cluster", "-v", "--help", "-cluster-name NAME", "-Dflowsdk.portOffset=N", "/metrics", "8080", "50051"}) {
      assertTrue(NodeArguments.USAGE.contains(part), part);
    }
  }
}
