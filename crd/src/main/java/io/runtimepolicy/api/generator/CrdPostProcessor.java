package io.runtimepolicy.api.generator;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the generator cannot express: printer columns in declaration order (it sorts them by JSON
 * path, which would put AGE first), descriptions on the root, spec and status, and the rule on
 * {@code java.optionsEnvVar}, built from {@link OptionsVariables} so the schema and the engine
 * refuse the same names.
 */
final class CrdPostProcessor implements CRDPostProcessor {

  private final List<String> columnOrder;

  CrdPostProcessor(Class<?> resourceClass) {
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
    root.getProperties().get("spec").setDescription(RuntimePolicy.SPEC_DESCRIPTION);
    root.getProperties().get("status").setDescription(RuntimePolicy.STATUS_DESCRIPTION);
    JSONSchemaProps optionsEnvVar =
        root.getProperties()
            .get("spec")
            .getProperties()
            .get("java")
            .getProperties()
            .get("optionsEnvVar");
    optionsEnvVar.setMaxLength((long) OptionsVariables.MAX_LENGTH);
    ValidationRule rule = new ValidationRule();
    rule.setRule(OptionsVariables.celRule());
    rule.setMessageExpression(OptionsVariables.celMessageExpression());
    optionsEnvVar.setXKubernetesValidations(List.of(rule));
  }
}
