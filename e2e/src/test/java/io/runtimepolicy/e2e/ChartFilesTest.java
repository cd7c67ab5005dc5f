package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The chart's files against the build: versions in step, the generated CRD, documented values. */
class ChartFilesTest {

  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9_.-]*):");

  @Test
  void appVersionIsThePomVersionWithoutSnapshot() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ProjectFiles.root().resolve("pom.xml").toFile())
            .getDocumentElement();
    String pomVersion = directChild(project, "version");
    JsonNode chart = new YAMLMapper().readTree(ProjectFiles.chart().resolve("Chart.yaml").toFile());

    assertThat(chart.get("appVersion").asText())
        .isEqualTo(pomVersion.replaceFirst("-SNAPSHOT$", ""));
    assertThat(chart.get("version").asText()).isEqualTo(chart.get("appVersion").asText());
    assertThat(chart.get("apiVersion").asText()).isEqualTo("v2");
  }

  @Test
  void chartShipsTheCrdThatTheBuildGenerates() throws Exception {
    Path generated = ProjectFiles.generatedCrd();
    assertThat(generated).as("run the operator module build first (mvn -pl e2e -am ...)").exists();

    assertThat(Files.mismatch(ProjectFiles.chartCrd(), generated))
        .as(
            "helm/runtime-policy-operator/crds drifted from the generated CRD: rebuild the operator and"
                + " commit the copy")
        .isEqualTo(-1L);
  }

  @Test
  void chartShipsTheReportCrdThatTheBuildGenerates() throws Exception {
    Path generated =
        ProjectFiles.root()
            .resolve("operator/target/classes/META-INF/openreports")
            .resolve(ProjectFiles.REPORT_CRD_FILE);
    assertThat(generated).as("run the operator module build first").exists();

    assertThat(
            Files.mismatch(
                ProjectFiles.chart().resolve("files").resolve(ProjectFiles.REPORT_CRD_FILE),
                generated))
        .as("helm/runtime-policy-operator/files drifted from the generated Report CRD")
        .isEqualTo(-1L);
  }

  @Test
  void valuesSchemaRejectsUnknownKeysAtEveryLevelAndDescribesEveryValue() throws Exception {
    JsonNode schema =
        new ObjectMapper().readTree(ProjectFiles.chart().resolve("values.schema.json").toFile());
    List<String> problems = new ArrayList<>();
    checkSchema(schema, "", problems);

    assertThat(problems).isEmpty();
  }

  @Test
  void everyValueIsCommented() throws Exception {
    List<String> lines = Files.readAllLines(ProjectFiles.chart().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    int defaultBlockIndent = -1;
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      int indent = key.group(1).length();
      if (defaultBlockIndent >= 0 && indent > defaultBlockIndent) {
        continue; // inside a Kubernetes-typed default (resources): documented as a whole
      }
      defaultBlockIndent = "resources".equals(key.group(2)) ? indent : -1;
      if (i == 0 || !lines.get(i - 1).trim().startsWith("#")) {
        undocumented.add(lines.get(i).trim());
      }
    }

    assertThat(undocumented).as("values.yaml keys without a comment line above").isEmpty();
  }

  private static void checkSchema(JsonNode node, String path, List<String> problems) {
    if (!path.isEmpty() && !node.has("description")) {
      problems.add(path + ": no description");
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      if (!node.path("additionalProperties").isBoolean()
          || node.get("additionalProperties").asBoolean()) {
        problems.add((path.isEmpty() ? "/" : path) + ": additionalProperties is not false");
      }
      properties
          .fields()
          .forEachRemaining(p -> checkNested(p.getValue(), path + "/" + p.getKey(), problems));
    }
  }

  private static void checkNested(JsonNode node, String path, List<String> problems) {
    checkSchema(node, path, problems);
    JsonNode items = node.get("items");
    if (items != null && items.has("properties")) {
      checkSchema(items, path + "[]", problems);
    }
  }

  private static String directChild(Element parent, String name) {
    for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    throw new IllegalStateException("no <" + name + "> in " + parent.getTagName());
  }
}
