package dev.ironcore.boot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.testing.CrdSchemas;
import dev.ironcore.boot.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema check the tests run on what the service writes refuses what an API server with these
 * CRDs would: each broken status or spec below is found, at its place, while the intact object passes.
 */
class CrdSchemaValidationTest {
  private static final CrdSchemas SCHEMAS = CrdSchemas.ofProject();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String CONDITION = "/status/conditions/0";

  @Test
  void intactObjectsPass() {
    assertThat(SCHEMAS.violations(ipxeConfig())).isEmpty();
    assertThat(SCHEMAS.violations(sbc())).isEmpty();
  }

  static Stream<Arguments> brokenIpxeConfigs() {
    return Stream.of(
        broken("an empty reason", CONDITION + "/reason", c -> condition(c).put("reason", "")),
        broken("a reason that is not CamelCase", CONDITION + "/reason", c -> condition(c).put("reason", "Not found")),
        broken("a message over 32768 characters", CONDITION + "/message",
            c -> condition(c).put("message", "x".repeat(32_769))),
        broken("no message", CONDITION, c -> condition(c).remove("message")),
        broken("a status other than True, False, Unknown", CONDITION + "/status",
            c -> condition(c).put("status", "Yes")),
        broken("no lastTransitionTime", CONDITION, c -> condition(c).remove("lastTransitionTime")),
        broken("a lastTransitionTime that is no date-time", CONDITION + "/lastTransitionTime",
            c -> condition(c).put("lastTransitionTime", "yesterday")),
        broken("a negative observedGeneration", CONDITION + "/observedGeneration",
            c -> condition(c).put("observedGeneration", -1)),
        broken("a type with a space", CONDITION + "/type", c -> condition(c).put("type", "Ignition Ready")),
        broken("a status field the CRD does not have (pruned)", "/status",
            c -> ((ObjectNode) c.get("status")).put("phase", "Ready")),
        broken("an empty kernelURL", "/spec/kernelURL", c -> ((ObjectNode) c.get("spec")).put("kernelURL", "")),
        broken("no initrdURL", "/spec", c -> ((ObjectNode) c.get("spec")).remove("initrdURL")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenIpxeConfigs")
  void aBrokenIpxeConfigIsRefusedWhereItIsBroken(String what, String where, Consumer<ObjectNode> breakIt) {
    ObjectNode config = (ObjectNode) json(ipxeConfig());
    breakIt.accept(config);

    List<String> violations = SCHEMAS.violations(config);

    assertThat(violations).as(what).isNotEmpty()
        .allSatisfy(violation -> assertThat(violation).startsWith(where + ": "));
  }

  @Test
  void anSbcWithoutServerRefIsRefused() {
    ObjectNode sbc = (ObjectNode) json(sbc());
    ((ObjectNode) sbc.get("spec")).remove("serverRef");

    assertThat(SCHEMAS.violations(sbc)).singleElement().asString().startsWith("/spec: ");
  }

  private static Arguments broken(String what, String where, Consumer<ObjectNode> breakIt) {
    return Arguments.of(what, where, breakIt);
  }

  private static ObjectNode condition(ObjectNode config) {
    return (ObjectNode) config.at(CONDITION);
  }

  private static IPXEBootConfig ipxeConfig() {
    IPXEBootConfig config = Fixtures.ipxeConfig("node-1", "uuid-1", "http://a/kernel", "http://a/initrd", null);
    config.setStatus(status());
    return config;
  }

  private static ServerBootConfiguration sbc() {
    ServerBootConfiguration sbc = Fixtures.sbc("node-1", "server-1");
    sbc.setStatus(status());
    return sbc;
  }

  private static BootConfigStatus status() {
    BootConfigStatus status = new BootConfigStatus();
    status.setState("Error");
    status.setConditions(List.of(new ConditionBuilder().withType("IgnitionSecretReady").withStatus("False")
        .withReason("SecretNotFound").withMessage("Secret default/node-1 not found.").withObservedGeneration(1L)
        .withLastTransitionTime("2026-06-01T12:00:00Z").build()));
    return status;
  }

  private static JsonNode json(Object object) {
    return SERIALIZATION.convertValue(object, JsonNode.class);
  }
}
