package dev.ironcore.boot.web;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A distinctive Secret value, planted in Ignition JSON, in Butane with errors at several places and in
 * an iPXE script, appears in no answer but the machine's own delivery, in no status condition read
 * back from the API, no log line and no metric; a missing Secret is not named to the caller.
 */
class SecretValuesStayInTheirAnswerTest {
  private static final String SECRET = "Zq8-s3cr3t-hunter2-Vx4";
  private static final String MISSING_SECRET_NAME = "nowhere-to-be-found";
  private static final String HEAD = "variant: fcos\nversion: 1.5.0\n";
  /** Butane configs whose first error sits at the planted value, each a different kind of error. */
  private static final Map<String, String> BROKEN_BUTANE = new LinkedHashMap<>();

  static {
    BROKEN_BUTANE.put("type", HEAD + "storage:\n  files:\n    - path: /a\n      mode: \"" + SECRET + "\"\n");
    BROKEN_BUTANE.put("escape", HEAD + "passwd:\n  users:\n    - name: core\n      password_hash: \"\\q" + SECRET + "\"\n");
    BROKEN_BUTANE.put("tab", HEAD + "passwd:\n  users:\n    - name: core\n\tpassword_hash: " + SECRET + "\n");
    BROKEN_BUTANE.put("duplicate", HEAD + "passwd:\n  " + SECRET + ": 1\n  " + SECRET + ": 2\n");
    BROKEN_BUTANE.put("anchor", HEAD + "storage: *" + SECRET + "\n");
    BROKEN_BUTANE.put("inline-json", HEAD + "ignition:\n  config:\n    merge:\n      - inline: '{\"" + SECRET + "'\n");
    BROKEN_BUTANE.put("variant", "variant: " + SECRET + "\nversion: 1.0.0\n");
    BROKEN_BUTANE.put("unit", HEAD + "systemd:\n  units:\n    - name: " + SECRET + ".service\n"
        + "storage:\n  files:\n    - path: /etc/systemd/system/" + SECRET + ".service\n");
    BROKEN_BUTANE.put("long-run", HEAD + "storage:\n  files:\n    - path: /a\n      mode: \"" + SECRET
        + " ".repeat(1000 * 1000) + "x\"\n");
  }

  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static MockCluster cluster;
  private static KubernetesClient client;
  private static BootServiceUnderTest service;
  /** Machine (config and Secret) name to its UUID. */
  private static final Map<String, String> UUIDS = new LinkedHashMap<>();

  @BeforeAll
  static void startService() throws Exception {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    LOG.setContext(logback);
    LOG.start();
    logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(LOG);
    cluster = new MockCluster();
    client = cluster.newClient();
    givenSecretsHoldingTheValue();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()),
        Map.of("boot.ipxe-service-url", "http://boot.example:8082"));
  }

  @AfterAll
  static void stopService() throws Exception {
    service.close();
    client.close();
    cluster.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
  }

  private static void givenSecretsHoldingTheValue() {
    machine("ignition-json", secret("ignition-json", Map.of("ignition",
        "{\"ignition\":{\"version\":\"3.3.0\"},\"passwd\":{\"users\":[{\"name\":\"core\",\"passwordHash\":\"" + SECRET
            + "\"}]}}")), false);
    machine("butane-ok", secret("butane-ok", Map.of("format", "fcos", "ignition",
        HEAD + "passwd:\n  users:\n    - name: core\n      password_hash: " + SECRET + "\n")), false);
    BROKEN_BUTANE.forEach((name, butane) ->
        machine("butane-" + name, secret("butane-" + name, Map.of("format", "fcos", "ignition", butane)), false));
    machine("custom-script", secret("custom-script", Map.of("ipxe-script", "#!ipxe\necho " + SECRET + "\n")), true);
    machine("no-key", secret("no-key", Map.of("other", SECRET)), false);
    machine("missing", null, false);
    machine("missing-script", null, true);
  }

  /** A machine whose config references the Secret by {@code name}, as its Ignition or its iPXE script. */
  private static void machine(String name, io.fabric8.kubernetes.api.model.Secret secret, boolean script) {
    String uuid = String.format("5ec7e700-0000-4000-8000-%012d", UUIDS.size());
    UUIDS.put(name, uuid);
    String secretName = secret == null ? MISSING_SECRET_NAME : name;
    if (secret != null) {
      client.resource(secret).create();
    }
    IPXEBootConfig config = ipxeConfig(name, uuid, "http://k/kernel", "http://k/initrd", null);
    if (script) {
      config.getSpec().setIpxeScriptSecretRef(ref(secretName));
    } else {
      config.getSpec().setIgnitionSecretRef(ref(secretName));
    }
    client.resource(config).create();
  }

  @Test
  void theValueReachesOnlyItsOwnMachinesAnswers() throws Exception {
    // When every machine asks for its Ignition and its iPXE script
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (String uuid : UUIDS.values()) {
      answers.add(service.get("/ignition/" + uuid));
      answers.add(service.get("/ipxe/" + uuid));
    }

    // Then the value is in the 200 answers that deliver it and nowhere else
    for (HttpResponse<String> answer : answers) {
      String what = answer.request().uri().getPath() + " " + answer.statusCode();
      String path = answer.request().uri().getPath();
      boolean delivery = answer.statusCode() == 200
          && (path.startsWith("/ignition/") || path.endsWith(uuid("custom-script")));
      if (!delivery) {
        assertThat(answer.body()).as(what).doesNotContain(SECRET);
      }
      assertThat(answer.headers().map().toString()).as(what).doesNotContain(SECRET);
      if (answer.statusCode() >= 400) {
        assertThat(answer.body().length()).as(what).isLessThanOrEqualTo(400);
      }
      assertThat(answer.body()).as(what).doesNotContain(MISSING_SECRET_NAME);
    }
    // (the checks above are not vacuous: these carry the value, and these are the errors)
    assertThat(service.get("/ignition/" + uuid("ignition-json")).body()).contains(SECRET);
    assertThat(service.get("/ignition/" + uuid("butane-ok")).body()).contains(SECRET);
    assertThat(service.get("/ipxe/" + uuid("custom-script")).body()).contains(SECRET);
    for (String name : BROKEN_BUTANE.keySet()) {
      HttpResponse<String> broken = service.get("/ignition/" + uuid("butane-" + name));
      assertThat(broken.statusCode()).as(name).isEqualTo(422);
      assertThat(broken.body()).as(name).startsWith("Butane translation failed: ");
    }
    assertThat(service.get("/ignition/" + uuid("missing")).body())
        .startsWith("the machine's Ignition Secret is missing; see the IgnitionSecretReady condition");
    assertThat(service.get("/ignition/" + uuid("no-key")).body())
        .startsWith("the machine's Ignition Secret has no key ignition");
    assertThat(service.get("/ipxe/" + uuid("missing-script")).body())
        .startsWith("the machine's iPXE script Secret is missing; see the IPXEScriptFetched condition");

    // And no status condition holds it, though the broken ones say where the problem is
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String name : BROKEN_BUTANE.keySet()) {
        Condition ready = Conditions.find(conditions("butane-" + name), "IgnitionSecretReady");
        assertThat(ready).as(name).isNotNull();
        assertThat(ready.getStatus()).as(name).isEqualTo("False");
        assertThat(ready.getMessage()).as(name).contains("Secret default/butane-" + name + ": Butane translation failed");
      }
      assertThat(Conditions.find(conditions("missing"), "IgnitionSecretReady").getMessage())
          .contains(MISSING_SECRET_NAME);
      assertThat(Conditions.find(conditions("ignition-json"), "IgnitionDataFetched")).isNotNull();
    });
    String statuses = new ObjectMapper().writeValueAsString(
        client.resources(IPXEBootConfig.class).inNamespace(Fixtures.NAMESPACE).list().getItems().stream()
            .map(IPXEBootConfig::getStatus).toList());
    assertThat(statuses).contains("IgnitionSecretReady").doesNotContain(SECRET);

    // And no metric
    String metrics = service.metricsText();
    assertThat(metrics).contains("boot_butane_translations_total").doesNotContain(SECRET);

    // And no log line, though the operator's line names the missing Secret
    List<String> lines = LOG.list.stream().map(SecretValuesStayInTheirAnswerTest::logLine).toList();
    assertThat(lines).anyMatch(line -> line.contains(MISSING_SECRET_NAME));
    assertThat(lines).noneMatch(line -> line.contains(SECRET));
  }

  private static String logLine(ILoggingEvent event) {
    String throwable = event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getLoggerName() + " " + event.getFormattedMessage() + " " + throwable;
  }

  private static String uuid(String machine) {
    return UUIDS.get(machine);
  }

  private static List<Condition> conditions(String name) {
    IPXEBootConfig config = client.resources(IPXEBootConfig.class).inNamespace(Fixtures.NAMESPACE).withName(name).get();
    return config.getStatus() == null ? List.of() : config.getStatus().getConditions();
  }
}
