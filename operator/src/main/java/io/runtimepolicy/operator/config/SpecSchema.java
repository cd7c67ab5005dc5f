package io.runtimepolicy.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The RuntimePolicy spec's schema from the CRD this build generated (in the operator's jar), to
 * check a spec the operator is given outside the API server, such as the default policy, as
 * strictly as the API server would: types, enums, bounds, patterns, lengths, required fields, list
 * sizes and unknown fields. CEL rules are left to the engine, which refuses what they refuse (a
 * maxProcessors below minProcessors is no cap; a system variable is not an options variable).
 */
final class SpecSchema {

  private static final String CRD = "/META-INF/fabric8/runtimepolicies.runtimepolicy.io-v1.yml";

  private SpecSchema() {}

  /** What is wrong with {@code spec}, each with its path; empty when it is a valid spec. */
  static List<String> problems(JsonNode spec) {
    List<String> problems = new ArrayList<>();
    check(spec, specSchema(), "spec", problems);
    return problems;
  }

  private static JSONSchemaProps specSchema() {
    try (InputStream in = SpecSchema.class.getResourceAsStream(CRD)) {
      if (in == null) {
        throw new IllegalStateException(CRD + " is not on the classpath");
      }
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return crd.getSpec()
          .getVersions()
          .get(0)
          .getSchema()
          .getOpenAPIV3Schema()
          .getProperties()
          .get("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(JsonNode value, JSONSchemaProps schema, String path, List<String> out) {
    if (value.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        out.add(path + " must not be null");
      }
      return;
    }
    String type = schema.getType();
    if (type != null && !hasType(value, type)) {
      out.add(path + " must be " + (type.equals("integer") ? "an integer" : "a " + type));
      return;
    }
    if (schema.getEnum() != null
        && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(value::equals)) {
      out.add(path + " must be one of " + schema.getEnum());
    }
    if (value.isNumber()) {
      bounds(value.doubleValue(), schema, path, out);
    }
    if (value.isTextual()) {
      String text = value.textValue();
      if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
        out.add(path + " must be at least " + schema.getMinLength() + " characters");
      }
      if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
        out.add(path + " must be at most " + schema.getMaxLength() + " characters");
      }
      if (schema.getPattern() != null
          && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
        out.add(path + " must match " + schema.getPattern());
      }
    }
    if (value.isArray()) {
      items(value, schema, path, out);
    }
    if (value.isObject() && schema.getRequired() != null) {
      schema.getRequired().stream()
          .filter(field -> !value.has(field))
          .forEach(field -> out.add(path + "." + field + " is required"));
    }
    if (value.isObject() && schema.getProperties() != null) {
      Map<String, JSONSchemaProps> properties = schema.getProperties();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JSONSchemaProps property = properties.get(field.getKey());
        if (property == null) {
          out.add(path + "." + field.getKey() + " is not a field of a RuntimePolicy spec");
        } else {
          check(field.getValue(), property, path + "." + field.getKey(), out);
        }
      }
    }
  }

  private static void items(JsonNode array, JSONSchemaProps schema, String path, List<String> out) {
    if (schema.getMinItems() != null && array.size() < schema.getMinItems()) {
      out.add(path + " must have at least " + schema.getMinItems() + " items");
    }
    if (schema.getMaxItems() != null && array.size() > schema.getMaxItems()) {
      out.add(path + " must have at most " + schema.getMaxItems() + " items");
    }
    JSONSchemaProps items = schema.getItems() == null ? null : schema.getItems().getSchema();
    if (items != null) {
      for (int i = 0; i < array.size(); i++) {
        check(array.get(i), items, path + "[" + i + "]", out);
      }
    }
  }

  private static void bounds(double number, JSONSchemaProps schema, String path, List<String> out) {
    Double min = schema.getMinimum();
    if (min != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
      if (exclusive ? number <= min : number < min) {
        out.add(path + " must be " + (exclusive ? "above " : "at least ") + plain(min));
      }
    }
    Double max = schema.getMaximum();
    if (max != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
      if (exclusive ? number >= max : number > max) {
        out.add(path + " must be " + (exclusive ? "below " : "at most ") + plain(max));
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "integer" ->
          value.isIntegralNumber()
              || (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
      case "number" -> value.isNumber();
      default -> true;
    };
  }

  private static String plain(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }
}
