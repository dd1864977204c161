package io.flowsdk.docs;

import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java block in {@code docs/} that is marked {@code <!-- example: FILE#TAG -->} must equal the
 * region between {@code // tag::TAG[]} and {@code // end::TAG[]} of FILE, a test class that the build
 * runs: its name matches the pom's Surefire or Failsafe includes and it has test methods. So the examples
 * in the docs compile and run, and cannot drift from the code.
 */
class DocsExamplesTest {

  private static final Pattern MARKED_BLOCK = Pattern.compile("<!-- example: ([^#\\s]+)#([\\w-]+) -->\\s*\\n```java\\n(.*?)\\n```",
    Pattern.DOTALL);

  static String dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
  }

  static String taggedRegion(Path file, String tag) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.equals("// tag::" + tag + "[]")) {
        start = i + 1;
      } else if (l.equals("// end::" + tag + "[]") && start >= 0) {
        return dedent(new ArrayList<>(lines.subList(start, i)));
      }
    }
    throw new AssertionError("no region '" + tag + "' in " + file);
  }

  private static boolean hasTestMethods(Path source) throws ClassNotFoundException {
    String name = Path.of("src/test/java").relativize(source).toString().replace(".java", "").replace('/', '.');
    for (Method method : Class.forName(name).getDeclaredMethods()) {
      for (Annotation annotation : method.getAnnotations()) {
        // @Test, @ParameterizedTest, @TestFactory, jqwik's @Property: every annotation the JUnit Platform runs
        if (annotation.annotationType().isAnnotationPresent(Testable.class)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void givenDocs_whenExamplesMarked_thenEachEqualsItsTaggedRegionInATestTheBuildRuns() throws Exception {
    BuildTestSelection build = BuildTestSelection.of(Path.of("pom.xml"));
    int checked = 0;
    try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).collect(Collectors.toList())) {
        Matcher m = MARKED_BLOCK.matcher(Files.readString(doc));
        while (m.find()) {
          Path source = Path.of(m.group(1));
          assertTrue(Files.isRegularFile(source), doc + " quotes " + source + ", which does not exist");
          assertTrue(source.toString().startsWith("src/test/java/"), doc + ": examples must live in tests so they run");
          assertTrue(build.runs(source), doc + " quotes " + source + ", which mvn verify never runs: name it *Test "
            + "(or *IT), or include it in the pom's Surefire configuration");
          assertTrue(hasTestMethods(source), doc + " quotes " + source + ", which has no test method");
          assertEquals(taggedRegion(source, m.group(2)), dedent(List.of(m.group(3).split("\n", -1))),
            doc + " quotes " + m.group(1) + "#" + m.group(2) + " differently from the code");
          checked++;
        }
      }
    }
    assertFalse(checked == 0, "the docs quote no example at all");
  }

  @Test
  void givenThePom_whenATestSourceIsNamedLikeTheOldExamples_thenTheBuildDoesNotRunIt() throws Exception {
    BuildTestSelection build = BuildTestSelection.of(Path.of("pom.xml"));
    assertFalse(build.runs(Path.of("src/test/java/io/flowsdk/examples/FlowBusExamples.java")));
    assertFalse(build.runs(Path.of("src/test/java/io/flowsdk/examples/MqttClientExample.java")));
    assertTrue(build.runs(Path.of("src/test/java/io/flowsdk/examples/FlowBusExamplesTest.java")));
    assertTrue(build.runs(Path.of("src/test/java/io/flowsdk/node/NodeProcessIT.java")));
    assertFalse(build.runs(Path.of("bench/java/io/flowsdk/bench/FlowBusTest.java")));
  }
}
