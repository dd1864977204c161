package io.flowsdk.mqtt.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toolkit ships only in its own jars: never in the node's jar, and the node's code never refers to it. */
class ToolkitPackagingIT {

  private static final String TOOLKIT = "io/flowsdk/mqtt/testing/";
  private static final Path NODE_JAR = Path.of(System.getProperty("flowsdk.jar", "target/flowsdk-vertx.jar"));
  private static final Path TARGET = NODE_JAR.toAbsolutePath().getParent();

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).collect(Collectors.toList());
    }
  }

  @Test
  void givenThePackagedBuild_whenTheNodeJarIsListed_thenItHoldsTheNodeAndNoToolkitClass() throws IOException {
    List<String> node = entries(NODE_JAR);

    assertTrue(node.contains("io/flowsdk/node/FlowNode.class"));
    assertEquals(List.of(), node.stream().filter(e -> e.startsWith(TOOLKIT)).collect(Collectors.toList()));
    assertEquals(List.of(), entries(TARGET.resolve("flowsdk-vertx.jar")).stream()
      .filter(e -> e.startsWith(TOOLKIT)).collect(Collectors.toList()));
  }

  @Test
  void givenThePackagedBuild_whenTheClassifiedJarIsListed_thenItHoldsOnlyTheToolkit() throws IOException {
    List<String> classes = entries(TARGET.resolve("flowsdk-vertx-mqtt-testing.jar")).stream()
      .filter(e -> e.endsWith(".class")).collect(Collectors.toList());

    assertTrue(classes.contains(TOOLKIT + "RawPacket.class"));
    assertEquals(List.of(), classes.stream().filter(e -> !e.startsWith(TOOLKIT)).collect(Collectors.toList()));
  }

  @Test
  void givenThePackagedBuild_whenTheRunnableJarIsRead_thenItRunsTheConformanceReportWithNoOtherFlowSdkClass() throws IOException {
    Path runnable = TARGET.resolve("flowsdk-mqtt-testing.jar");
    try (JarFile f = new JarFile(runnable.toFile())) {
      assertEquals(ConformanceMain.class.getName(), f.getManifest().getMainAttributes().getValue("Main-Class"));
      assertNotNull(f.getEntry("io/vertx/core/Vertx.class"));
      assertNotNull(f.getEntry("io/netty/handler/codec/mqtt/MqttDecoder.class"));
    }
    assertEquals(List.of(), entries(runnable).stream()
      .filter(e -> e.startsWith("io/flowsdk/") && !e.startsWith(TOOLKIT) && e.endsWith(".class")).collect(Collectors.toList()));
  }

  /** One compilation holds both, so only this check keeps node code from depending on the toolkit and the toolkit standalone. */
  @Test
  void givenTheCompiledClasses_whenTheirConstantPoolsAreRead_thenNodeAndToolkitDoNotReferToEachOther() throws IOException {
    Path classes = TARGET.resolve("classes");
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        String name = classes.relativize(file).toString();
        String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (name.startsWith(TOOLKIT)) {
          assertFalse(constants.replace(TOOLKIT, "").contains("io/flowsdk/"), () -> name + " refers to node code");
        } else {
          assertFalse(constants.contains(TOOLKIT), () -> name + " refers to the protocol-testing toolkit");
        }
      }
    }
  }
}
