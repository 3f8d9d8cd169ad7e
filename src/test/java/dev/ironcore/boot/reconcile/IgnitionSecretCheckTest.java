package dev.ironcore.boot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.config.ButaneSettings;
import dev.ironcore.boot.ignition.ButaneTranslations;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IgnitionSecretCheckTest {
  static final String BUTANE = "variant: fcos\nversion: 1.5.0\n";
  static final String BROKEN_BUTANE = "variant: fcos\nversion: 9.9.9\n";

  private final ButaneTranslations butane = new ButaneTranslations(ButaneSettings.DEFAULT, new SimpleMeterRegistry());
  private final IgnitionSecretCheck check = new IgnitionSecretCheck(butane);
  private final LocalObjectReference ref = new LocalObjectReference("node-ignition");

  @AfterEach
  void closeTranslations() {
    butane.close();
  }

  @Test
  void aConfigWithoutSecretRefIsReady() {
    IgnitionVerdict verdict = check.assess("ns", null, null);

    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.reason()).isEqualTo(IgnitionSecretConditions.NOT_REFERENCED);
  }

  @Test
  void aMissingSecretIsAnErrorNamingIt() {
    IgnitionVerdict verdict = check.assess("ns", ref, null);

    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.state()).isEqualTo("Error");
    assertThat(verdict.reason()).isEqualTo(IgnitionSecretConditions.SECRET_NOT_FOUND);
    assertThat(verdict.message()).isEqualTo("Secret ns/node-ignition not found.");
  }

  @Test
  void aSecretWithoutIgnitionKeyIsAnError() {
    IgnitionVerdict verdict = check.assess("ns", ref, secret(Map.of("other", "x"), "1"));

    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.reason()).isEqualTo(IgnitionSecretConditions.KEY_MISSING);
    assertThat(verdict.message()).isEqualTo("Secret ns/node-ignition has no key ignition.");
  }

  @Test
  void plainIgnitionIsReadyWithoutBeingParsed() {
    IgnitionVerdict verdict = check.assess("ns", ref, secret(Map.of("ignition", "not even json"), "1"));

    assertThat(verdict.ready()).isTrue();
    assertThat(verdict.state()).isEqualTo("Ready");
    assertThat(verdict.reason()).isEqualTo(IgnitionSecretConditions.VALID);
  }

  @Test
  void butaneThatTranslatesIsReady() {
    IgnitionVerdict verdict = check.assess("ns", ref, secret(Map.of("ignition", BUTANE, "format", " fcos\n"), "1"));

    assertThat(verdict.ready()).isTrue();
  }

  @Test
  void brokenButaneIsAnErrorWithTheTranslatorsMessageButNotTheData() {
    String secretData = "variant: fcos\nversion: 1.5.0\npasswd: { users: [ { name: core, password_hash: s3cr3t, x: [ }\n";

    IgnitionVerdict verdict = check.assess("ns", ref, secret(Map.of("ignition", secretData, "format", "fcos"), "1"));

    assertThat(verdict.ready()).isFalse();
    assertThat(verdict.reason()).isEqualTo(IgnitionSecretConditions.BUTANE_INVALID);
    assertThat(verdict.message()).startsWith("Secret ns/node-ignition: Butane translation failed: ").doesNotContain("s3cr3t");
  }

  @Test
  void anotherFormatIsServedAsIsAndNotTranslated() {
    IgnitionVerdict verdict = check.assess("ns", ref, secret(Map.of("ignition", BROKEN_BUTANE, "format", "ign"), "1"));

    assertThat(verdict.ready()).isTrue();
  }

  @Test
  void theConditionCarriesReasonMessageAndGeneration() {
    IgnitionVerdict verdict = check.assess("ns", ref, null);

    var condition = verdict.condition(7L);

    assertThat(condition.getType()).isEqualTo("IgnitionSecretReady");
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("SecretNotFound");
    assertThat(condition.getMessage()).isEqualTo(verdict.message());
    assertThat(condition.getObservedGeneration()).isEqualTo(7L);
  }

  private static Secret secret(Map<String, String> data, String resourceVersion) {
    return new SecretBuilder().withNewMetadata().withNamespace("ns").withName("node-ignition").withUid("u1")
        .withResourceVersion(resourceVersion).endMetadata().withStringData(data).build();
  }
}
