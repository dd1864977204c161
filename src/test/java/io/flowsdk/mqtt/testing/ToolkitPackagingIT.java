package io.flowsdk.mqtt.testing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toolkit ships only in its own jars, never in the node's jar, and the node's code never refers to it. Its jars
 * hold the toolkit and, of the node's classes, exactly those the toolkit refers to, directly or through each other.
 */
class ToolkitPackagingIT {

  private static final String TOOLKIT = "io/flowsdk/mqtt/testing/";
  private static final Pattern FLOWSDK_CLASS = Pattern.compile("io/flowsdk/[\\w/$-]+"); // package-info too
  private static final Path NODE_JAR = Path.of(System.getProperty("flowsdk.jar", "target/flowsdk-vertx.jar"));
  private static final Path TARGET = NODE_JAR.toAbsolutePath().getParent();
  private static final Path CLASSES = TARGET.resolve("classes");

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).collect(Collectors.toList());
    }
  }

  /** The jar's io.flowsdk class files by class name ({@code io/flowsdk/x/Y}). */
  private static Map<String, byte[]> flowSdkClasses(Path jar) throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      for (JarEntry e : f.stream().collect(Collectors.toList())) {
        if (e.getName().startsWith("io/flowsdk/") && e.getName().endsWith(".class")) {
          classes.put(e.getName().substring(0, e.getName().length() - ".class".length()), f.getInputStream(e).readAllBytes());
        }
      }
    }
    return classes;
  }

  /**
   * The io.flowsdk classes a class file names in its constant pool: every string constant is searched, so class
   * references and field and method descriptors alike (and a string that merely looks like a class name).
   */
  private static Set<String> flowSdkReferences(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8); // magic, minor and major version
    int count = in.readUnsignedShort();
    Set<String> names = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> {
          Matcher m = FLOWSDK_CLASS.matcher(in.readUTF());
          while (m.find()) {
            names.add(m.group());
          }
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // a long or a double takes two entries
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    return names;
  }

  private static Set<String> toolkitClassesCompiled() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES.resolve(TOOLKIT))) {
      return files.map(p -> CLASSES.relativize(p).toString()).filter(name -> name.endsWith(".class"))
        .map(name -> name.substring(0, name.length() - ".class".length())).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * Holds the toolkit as compiled, every io.flowsdk class that a class in it refers to, and no io.flowsdk class that
   * the toolkit does not reach through those references.
   */
  private static void assertToolkitAndWhatItNeeds(Path jar) throws IOException {
    Map<String, byte[]> classes = flowSdkClasses(jar);
    Set<String> toolkit = classes.keySet().stream().filter(name -> name.startsWith(TOOLKIT))
      .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(toolkitClassesCompiled(), toolkit, jar + ": the toolkit's classes");

    Set<String> reached = new TreeSet<>(toolkit);
    Set<String> missing = new TreeSet<>();
    Deque<String> toRead = new ArrayDeque<>(toolkit);
    while (!toRead.isEmpty()) {
      byte[] classFile = classes.get(toRead.pop());
      for (String referred : flowSdkReferences(classFile)) {
        if (!classes.containsKey(referred)) {
          missing.add(referred);
        } else if (reached.add(referred)) {
          toRead.push(referred);
        }
      }
    }
    assertEquals(Set.of(), missing, jar + ": referred to, but not in the jar");
    Set<String> unreached = new TreeSet<>(classes.keySet());
    unreached.removeAll(reached);
    assertEquals(Set.of(), unreached, jar + ": in the jar, but the toolkit never refers to them");
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
  void givenThePackagedBuild_whenTheClassifiedJarIsRead_thenItHoldsTheToolkitAndTheFlowSdkClassesItNeedsOnly()
    throws IOException {
    Path jar = TARGET.resolve("flowsdk-vertx-mqtt-testing.jar");

    assertEquals(List.of(), entries(jar).stream()
      .filter(e -> e.endsWith(".class") && !e.startsWith("io/flowsdk/")).collect(Collectors.toList()));
    assertTrue(flowSdkClasses(jar).containsKey("io/flowsdk/mqtt/protocol/PacketFramer"));
    assertToolkitAndWhatItNeeds(jar);
  }

  @Test
  void givenThePackagedBuild_whenTheRunnableJarIsRead_thenItRunsTheConformanceReportWithTheFlowSdkClassesItNeedsOnly()
    throws IOException {
    Path runnable = TARGET.resolve("flowsdk-mqtt-testing.jar");
    try (JarFile f = new JarFile(runnable.toFile())) {
      assertEquals(ConformanceMain.class.getName(), f.getManifest().getMainAttributes().getValue("Main-Class"));
      assertNotNull(f.getEntry("io/vertx/core/Vertx.class"));
      assertNotNull(f.getEntry("io/netty/handler/codec/mqtt/MqttDecoder.class"));
    }
    assertToolkitAndWhatItNeeds(runnable);
  }

  /** One compilation holds both, so only this check keeps node code from depending on the toolkit. */
  @Test
  void givenTheCompiledClasses_whenTheirConstantPoolsAreRead_thenNoNodeClassRefersToTheToolkit() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        String name = CLASSES.relativize(file).toString();
        if (!name.startsWith(TOOLKIT)) {
          assertFalse(flowSdkReferences(Files.readAllBytes(file)).stream().anyMatch(c -> c.startsWith(TOOLKIT)),
            () -> name + " refers to the protocol-testing toolkit");
        }
      }
    }
  }
}
