package io.runtimepolicy.operator.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0, the subset code-scanning services read (GitHub's upload-sarif, GitLab, Azure
 * DevOps): one run, the rules it reported, one result per change and finding with its file and
 * line. Paths are given as relative URIs, as the check was given them.
 */
final class SarifFormat {

  static final String VERSION = "2.1.0";
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String TOOL = "runtime-policy";

  private SarifFormat() {}

  static String render(CheckResult result) {
    List<Results> results = Results.of(result);
    ObjectNode root = JsonFormat.JSON.createObjectNode().put("version", VERSION);
    root.put("$schema", SCHEMA);
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", TOOL);
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    ArrayNode rules = driver.putArray("rules");
    for (Results r : results) {
      if (!ruleIndex.containsKey(r.ruleId())) {
        ruleIndex.put(r.ruleId(), ruleIndex.size());
        rules
            .addObject()
            .put("id", r.ruleId())
            .putObject("shortDescription")
            .put("text", r.ruleId());
      }
    }
    ArrayNode out = run.putArray("results");
    for (Results r : results) {
      ObjectNode entry = out.addObject().put("ruleId", r.ruleId());
      entry.put("ruleIndex", ruleIndex.get(r.ruleId())).put("level", r.level());
      entry.putObject("message").put("text", r.message());
      if (r.rule() != null) {
        entry.putObject("properties").put("rule", r.rule());
      }
      ObjectNode location = entry.putArray("locations").addObject().putObject("physicalLocation");
      location.putObject("artifactLocation").put("uri", uri(r.file()));
      location.putObject("region").put("startLine", Math.max(1, r.line()));
    }
    return JsonFormat.write(root);
  }

  /** A relative path with forward slashes; standard input is {@code stdin}. */
  static String uri(String file) {
    if (Source.STDIN.equals(file)) {
      return "stdin";
    }
    String path = file.replace('\\', '/').replace("%", "%25").replace(" ", "%20");
    return path.startsWith("./") ? path.substring(2) : path;
  }
}
