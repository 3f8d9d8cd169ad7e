package dev.ironcore.boot.cli.bootctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class SameObjectTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String SOURCE = """
      {"apiVersion":"boot.ironcore.dev/v1alpha1","kind":"HTTPBootConfig",
       "metadata":{"name":"node-1","namespace":"default","uid":"u-1","resourceVersion":"7","generation":2,
         "creationTimestamp":"2026-01-01T00:00:00Z","managedFields":[{"manager":"kubectl"}],"labels":{"rack":"a"},
         "ownerReferences":[{"apiVersion":"metal.ironcore.dev/v1alpha1","kind":"ServerBootConfiguration",
           "name":"node-1","uid":"sbc-1","controller":true}]},
       "spec":{"systemUUID":"8a1b2c3d-0000-4000-8000-000000000001","ukiURL":"http://images/uki.efi"},
       "status":{"state":"Ready"}}""";

  private final SameObject sameObject = new SameObject(JSON);

  @Test
  void ignoresTheFieldsEachApiServerSetsAndTheKind() {
    String other = SOURCE.replace("\"u-1\"", "\"u-2\"").replace("\"7\"", "\"99\"")
        .replace("\"generation\":2", "\"generation\":5").replace("2026-01-01", "2027-02-02")
        .replace("kubectl", "bootctl").replace("\"kind\":\"HTTPBootConfig\",", "");

    assertThat(sameObject.identical(object(SOURCE), object(other))).isTrue();
  }

  @Test
  void everythingElseCounts() {
    assertThat(sameObject.identical(object(SOURCE), object(SOURCE.replace("uki.efi", "other.efi")))).isFalse();
    assertThat(sameObject.identical(object(SOURCE), object(SOURCE.replace("\"rack\":\"a\"", "\"rack\":\"b\""))))
        .isFalse();
    assertThat(sameObject.identical(object(SOURCE), object(SOURCE.replace("sbc-1", "sbc-2")))).isFalse();
    assertThat(sameObject.identical(object(SOURCE), object(SOURCE.replace("Ready", "Error")))).isFalse();
    assertThat(sameObject.identical(object(SOURCE), object(SOURCE.replaceAll(",\\s*\"status\":\\{[^}]*}", ""))))
        .isFalse();
  }

  private static GenericKubernetesResource object(String json) {
    return JSON.unmarshal(json, GenericKubernetesResource.class);
  }
}
