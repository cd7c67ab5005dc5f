package io.runtimepolicy.api.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.crdv2.generator.v1.JsonSchema;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.runtimepolicy.api.CustomVariables;
import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.RuntimeSection;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the generator cannot express: printer columns in declaration order (it sorts them by JSON
 * path, which would put AGE first), descriptions on the root, spec and status, and the rule on
 * {@code java.optionsEnvVar}, built from {@link OptionsVariables} so the schema and the engine
 * refuse the same names.
 */
final class CrdPostProcessor implements CRDPostProcessor {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> columnOrder;
  private final List<? extends RuntimeSection> sections;
  private JSONSchemaProps spec;

  CrdPostProcessor(Class<?> resourceClass, List<? extends RuntimeSection> sections) {
    this.sections = sections;
    this.columnOrder =
        Arrays.stream(resourceClass.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
  }

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition definition) {
      definition.getSpec().getVersions().forEach(this::process);
    }
    return crd;
  }

  private void process(CustomResourceDefinitionVersion version) {
    List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
    if (columns != null) {
      columns.sort(Comparator.comparingInt(c -> columnOrder.indexOf(c.getName())));
    }
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    root.setDescription(RuntimePolicy.DESCRIPTION);
    spec = root.getProperties().get("spec");
    spec.setDescription(RuntimePolicy.SPEC_DESCRIPTION);
    addSections(spec);
    root.getProperties().get("status").setDescription(RuntimePolicy.STATUS_DESCRIPTION);
    JSONSchemaProps optionsEnvVar =
        spec.getProperties().get(RuntimePolicySpec.JAVA).getProperties().get("optionsEnvVar");
    optionsEnvVar.setMaxLength((long) OptionsVariables.MAX_LENGTH);
    ValidationRule rule = new ValidationRule();
    rule.setRule(OptionsVariables.celRule());
    rule.setMessageExpression(OptionsVariables.celMessageExpression());
    optionsEnvVar.setXKubernetesValidations(List.of(rule));
    customRuntimes(spec.getProperties().get(RuntimePolicySpec.CUSTOM));
  }

  /**
   * What the generator cannot say of {@code spec.custom}: each name once, no built-in runtime's
   * name (both would share its annotations), and each variable once, none a system or options
   * variable ({@link CustomVariables}).
   */
  private void customRuntimes(JSONSchemaProps custom) {
    custom.setXKubernetesListType("map");
    custom.setXKubernetesListMapKeys(List.of("name"));
    JSONSchemaProps runtime = custom.getItems().getSchema();
    runtime.setDescription(
        "One custom runtime: its name, the processor fields, and the variables it sets.");
    ValidationRule notBuiltIn = new ValidationRule();
    notBuiltIn.setRule(
        "!(self.name in ["
            + sections.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "))
            + "])");
    notBuiltIn.setMessageExpression("self.name + ' is a built-in runtime: choose another name'");
    List<ValidationRule> rules = new ArrayList<>();
    if (runtime.getXKubernetesValidations() != null) {
      rules.addAll(runtime.getXKubernetesValidations());
    }
    rules.add(notBuiltIn);
    runtime.setXKubernetesValidations(rules);
    JSONSchemaProps env = runtime.getProperties().get("env");
    env.setXKubernetesListType("map");
    env.setXKubernetesListMapKeys(List.of("name"));
    env.getItems()
        .getSchema()
        .setDescription(
            "One variable: its name and what it is set to from the container's resources.");
    JSONSchemaProps name = env.getItems().getSchema().getProperties().get("name");
    name.setMaxLength((long) OptionsVariables.MAX_LENGTH);
    name.setPattern(OptionsVariables.NAME_PATTERN);
    ValidationRule allowed = new ValidationRule();
    allowed.setRule(CustomVariables.celRule());
    allowed.setMessageExpression(CustomVariables.celMessageExpression());
    name.setXKubernetesValidations(List.of(allowed));
  }

  /** The spec's schema as generated, once {@link #process} has run. */
  JSONSchemaProps spec() {
    return spec;
  }

  /**
   * One property per runtime section, with its type's schema and, as its default, the section a new
   * {@link RuntimePolicySpec} starts with (so a policy that leaves a section out reads back with it
   * filled in, as it did when the sections were fields). The spec's catch-all for the sections is
   * closed again: a misspelt section is pruned and {@code kubectl} warns, as for any unknown field.
   */
  private void addSections(JSONSchemaProps spec) {
    // The generator reads the sections' any-getter as a property of its own: the sections below
    // take its place.
    spec.getProperties().remove("getRuntimes");
    spec.setXKubernetesPreserveUnknownFields(null);
    spec.setAdditionalProperties(null);
    Map<String, Object> defaults = new RuntimePolicySpec().getRuntimes();
    for (RuntimeSection section : sections) {
      if (spec.getProperties().containsKey(section.name())) {
        throw new IllegalStateException("spec." + section.name() + " is already a field");
      }
      JSONSchemaProps schema = JsonSchema.from(section.sectionType());
      schema.setDescription(section.description());
      schema.setDefault(MAPPER.valueToTree(defaults.get(section.name())));
      spec.getProperties().put(section.name(), schema);
    }
    // Alphabetical, as the generator orders every other object's properties.
    Map<String, JSONSchemaProps> sorted = new TreeMap<>(spec.getProperties());
    spec.setProperties(new LinkedHashMap<>(sorted));
  }
}
