package io.runtimepolicy.api.generator;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The chart's {@code values.schema.json} entry for {@code defaultPolicy}, written from the CRD's
 * spec schema: the default policy is a RuntimePolicy spec, so {@code helm install} refuses exactly
 * what the API server would refuse in a policy, and a new runtime's section needs no chart edit.
 * The rest of the file is the chart's own and kept as it is.
 */
final class ValuesSchema {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ValuesSchema() {}

  static void writeDefaultPolicy(Path valuesSchema, JSONSchemaProps spec) throws IOException {
    ObjectNode root = (ObjectNode) MAPPER.readTree(valuesSchema.toFile());
    ObjectNode properties = (ObjectNode) root.get("properties");
    ObjectNode defaultPolicy = convert(spec);
    defaultPolicy.put(
        "description",
        "The spec of the `default` RuntimePolicy the operator creates on demand: any RuntimePolicy"
            + " spec (docs/reference.md).");
    properties.set("defaultPolicy", defaultPolicy);
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    String json = MAPPER.writer(printer).writeValueAsString(root) + "\n";
    Files.writeString(valuesSchema, json, StandardCharsets.UTF_8);
  }

  /**
   * OpenAPI v3 as the CRD writes it, in JSON Schema draft-07 as helm reads it: {@code nullable}
   * becomes a {@code "null"} type, a boolean {@code exclusiveMinimum} the bound itself, objects
   * refuse unknown keys, and the Kubernetes extensions (CEL rules, defaults) are left to the API
   * server and the operator.
   */
  private static ObjectNode convert(JSONSchemaProps props) {
    ObjectNode out = NODES.objectNode();
    if (props.getType() != null) {
      if (Boolean.TRUE.equals(props.getNullable())) {
        out.set("type", NODES.arrayNode().add(props.getType()).add("null"));
      } else {
        out.put("type", props.getType());
      }
    }
    if (props.getEnum() != null && !props.getEnum().isEmpty()) {
      ArrayNode values = out.putArray("enum");
      props.getEnum().forEach(values::add);
      if (Boolean.TRUE.equals(props.getNullable())) {
        values.addNull();
      }
    }
    if (props.getMinimum() != null) {
      out.put(
          Boolean.TRUE.equals(props.getExclusiveMinimum()) ? "exclusiveMinimum" : "minimum",
          props.getMinimum());
    }
    if (props.getMaximum() != null) {
      out.put(
          Boolean.TRUE.equals(props.getExclusiveMaximum()) ? "exclusiveMaximum" : "maximum",
          props.getMaximum());
    }
    if (props.getMaxLength() != null) {
      out.put("maxLength", props.getMaxLength());
    }
    if (props.getPattern() != null) {
      out.put("pattern", props.getPattern());
    }
    if (props.getDescription() != null) {
      out.put("description", props.getDescription());
    }
    if (props.getProperties() != null && !props.getProperties().isEmpty()) {
      out.put("additionalProperties", false);
      ObjectNode properties = out.putObject("properties");
      for (Map.Entry<String, JSONSchemaProps> e : props.getProperties().entrySet()) {
        properties.set(e.getKey(), convert(e.getValue()));
      }
    } else if (props.getItems() != null && props.getItems().getSchema() != null) {
      out.set("items", convert(props.getItems().getSchema()));
    }
    return out;
  }
}
