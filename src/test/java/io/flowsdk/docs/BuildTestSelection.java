package io.flowsdk.docs;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which test sources {@code mvn verify} runs: a file under {@code src/test/java} runs when Surefire's or
 * Failsafe's includes in {@code pom.xml} (their defaults when the pom sets none) match it and that
 * plugin's excludes do not. Only Ant-style patterns are understood; a {@code %regex[...]} pattern fails
 * loudly rather than being misread.
 */
final class BuildTestSelection {

  private static final Path TEST_SOURCES = Path.of("src/test/java");
  // the defaults documented in maven-surefire-plugin / maven-failsafe-plugin 3.5.2
  private static final List<String> SUREFIRE_INCLUDES = List.of("**/Test*.java", "**/*Test.java", "**/*Tests.java", "**/*TestCase.java");
  private static final List<String> FAILSAFE_INCLUDES = List.of("**/IT*.java", "**/*IT.java", "**/*ITCase.java");
  private static final List<String> DEFAULT_EXCLUDES = List.of("**/*$*");

  private final List<Plugin> plugins;

  private BuildTestSelection(List<Plugin> plugins) {
    this.plugins = plugins;
  }

  static BuildTestSelection of(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    Document doc = factory.newDocumentBuilder().parse(pom.toFile());
    Element build = child(doc.getDocumentElement(), "build");
    Element pluginsElement = build == null ? null : child(build, "plugins");
    return new BuildTestSelection(List.of(
      plugin(pluginsElement, "maven-surefire-plugin", SUREFIRE_INCLUDES),
      plugin(pluginsElement, "maven-failsafe-plugin", FAILSAFE_INCLUDES)));
  }

  /** Whether {@code source}, a path under {@code src/test/java}, is a test class the build runs. */
  boolean runs(Path source) {
    if (!source.startsWith(TEST_SOURCES)) {
      return false;
    }
    String relative = TEST_SOURCES.relativize(source).toString().replace('\\', '/');
    return plugins.stream().anyMatch(p -> p.selects(relative));
  }

  private record Plugin(List<Pattern> includes, List<Pattern> excludes) {
    boolean selects(String relative) {
      return includes.stream().anyMatch(p -> p.matcher(relative).matches())
        && excludes.stream().noneMatch(p -> p.matcher(relative).matches());
    }
  }

  private static Plugin plugin(Element plugins, String artifactId, List<String> defaultIncludes) {
    Element configuration = null;
    for (Element plugin : children(plugins, "plugin")) {
      Element id = child(plugin, "artifactId");
      if (id != null && id.getTextContent().trim().equals(artifactId)) {
        configuration = child(plugin, "configuration");
      }
    }
    return new Plugin(patterns(configuration, "includes", "include", defaultIncludes),
      patterns(configuration, "excludes", "exclude", DEFAULT_EXCLUDES));
  }

  private static List<Pattern> patterns(Element configuration, String list, String item, List<String> defaults) {
    Element configured = configuration == null ? null : child(configuration, list);
    List<String> globs = new ArrayList<>();
    for (Element e : children(configured, item)) {
      for (String glob : e.getTextContent().split(",")) {
        globs.add(glob.trim());
      }
    }
    return (globs.isEmpty() ? defaults : globs).stream().map(BuildTestSelection::antGlob).toList();
  }

  /** An Ant-style pattern ({@code **}, {@code *}, {@code ?}) as a regular expression over a '/'-separated path. */
  static Pattern antGlob(String glob) {
    if (glob.startsWith("%regex[") || glob.startsWith("!")) {
      throw new IllegalArgumentException("BuildTestSelection understands only Ant-style test patterns, not " + glob);
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (glob.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 2;
      } else if (glob.startsWith("**", i)) {
        regex.append(".*");
        i += 1;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        found.add((Element) n);
      }
    }
    return found;
  }
}
