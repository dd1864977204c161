package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterConfigTest {

  @Test
  void givenNoClusterName_whenLoadedForANode_thenTheFilesNameIsKept() {
    assertEquals("flowsdk", ClusterConfig.forNode(new NodeOptions()).getClusterName());
  }

  @Test
  void givenAClusterNameInTheNodeConfiguration_whenLoadedForANode_thenItReplacesTheFilesName() {
    NodeOptions options = new NodeOptions(new JsonObject().put("cluster", new JsonObject().put("name", "team-a")));
    assertEquals("team-a", ClusterConfig.forNode(options).getClusterName());
  }

  @Test
  void givenAnEmptyClusterName_whenParsed_thenInvalid() {
    FlowException e = assertThrows(FlowException.class, () ->
      new NodeOptions(new JsonObject().put("cluster", new JsonObject().put("name", " "))));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("option 'name' of node configuration 'cluster' must not be empty", e.getMessage());
  }
}
