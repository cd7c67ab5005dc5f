package io.runtimepolicy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The operator's client reads objects without their managedFields, and nothing else is lost. */
class OperatorClientTest {

  private static final String DEPLOYMENT =
      """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"web","namespace":"team","uid":"u-1","resourceVersion":"42",
         "annotations":{"runtimepolicy.io/tune":"true"},
         "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1",
           "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
       "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"app:1",
         "env":[{"name":"A","value":"1"}]}]}}}}
      """;

  @Test
  void managedFieldsAreNotReadAndTheRestIs() {
    Deployment read = OperatorClient.serialization().unmarshal(DEPLOYMENT, Deployment.class);

    assertThat(read.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(read.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
    assertThat(read.getMetadata().getName()).isEqualTo("web");
    assertThat(read.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(read.getMetadata().getAnnotations()).containsEntry("runtimepolicy.io/tune", "true");
    assertThat(read.getSpec().getReplicas()).isEqualTo(2);
    assertThat(read.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting("name", "value")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("A", "1"));
  }

  @Test
  void writtenObjectsCarryNoManagedFields() {
    Deployment read = OperatorClient.serialization().unmarshal(DEPLOYMENT, Deployment.class);
    assertThat(OperatorClient.serialization().asJson(read)).doesNotContain("managedFields");
  }
}
