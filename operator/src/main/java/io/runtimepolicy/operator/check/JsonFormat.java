package io.runtimepolicy.operator.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runtimepolicy.operator.check.WorkloadReport.Change;
import io.runtimepolicy.operator.check.WorkloadReport.State;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.RuleResult;
import java.io.UncheckedIOException;

/**
 * The json output, schema {@code runtime-policy.check/v1} (docs/reference.md): fields are only ever
 * added, never renamed or removed, within a schema version.
 */
final class JsonFormat {

  static final String SCHEMA = "runtime-policy.check/v1";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonFormat() {}

  static String render(CheckResult result, int exitCode) {
    ObjectNode root = JSON.createObjectNode().put("schema", SCHEMA).put("exitCode", exitCode);
    ObjectNode summary = root.putObject("summary").put("workloads", result.workloads().size());
    for (State state : State.values()) {
      String key = Character.toLowerCase(state.name().charAt(0)) + state.name().substring(1);
      summary.put(key, result.count(state));
    }
    summary.put("otherDocuments", result.skipped()).put("unreadable", result.unreadable().size());
    ArrayNode workloads = root.putArray("workloads");
    result.workloads().forEach(w -> workload(workloads.addObject(), w));
    ArrayNode errors = root.putArray("errors");
    for (Unreadable u : result.unreadable()) {
      errors.addObject().put("file", u.file()).put("line", u.line()).put("message", u.message());
    }
    return write(root);
  }

  private static void workload(ObjectNode node, WorkloadReport w) {
    node.put("file", w.manifest().source().name()).put("line", w.line());
    node.put("apiVersion", w.manifest().kind().apiVersion()).put("kind", w.kind());
    node.put("namespace", w.namespace()).put("name", w.name());
    node.put("governed", w.governed()).put("policy", w.policy());
    node.put("mode", w.mode() == null ? null : w.mode().name()).put("state", w.state().name());
    node.put("target", w.target().name());
    ArrayNode changes = node.putArray("changes");
    for (Change c : w.changes()) {
      changes
          .addObject()
          .put("container", c.container())
          .put("line", w.lineOf(c.container()))
          .put("variable", c.variable())
          .put("from", c.from())
          .put("to", c.to());
    }
    ArrayNode rules = node.putArray("rules");
    for (RuleResult r : w.rules()) {
      rules.addObject().put("rule", r.rule().id()).put("result", r.outcome().id());
    }
    ArrayNode findings = node.putArray("findings");
    for (Finding f : w.findings()) {
      findings
          .addObject()
          .put("reason", f.reason())
          .put("rule", f.rule().id())
          .put("severity", f.severity().name())
          .put("container", f.container())
          .put("line", w.lineOf(f.container()))
          .put("message", f.message());
    }
  }

  static String write(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
