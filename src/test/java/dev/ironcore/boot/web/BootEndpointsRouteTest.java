package dev.ironcore.boot.web;

import static dev.ironcore.boot.testing.Fixtures.httpConfig;
import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ownedBy;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.sbc;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static dev.ironcore.boot.testing.Fixtures.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.IpxeClient;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The boot endpoints over real HTTP on loopback, against the CRUD mock API with our CRDs. */
class BootEndpointsRouteTest {
  private static final String SERVICE_URL = "http://boot.example:8082";
  private static final String LIVE_UUID = "8a1b2c3d-0000-4000-8000-00000000000a";
  private static final String DISK_UUID = "8a1b2c3d-0000-4000-8000-00000000000b";
  private static final String CUSTOM_UUID = "8a1b2c3d-0000-4000-8000-00000000000c";
  private static final String NO_SECRET_UUID = "8a1b2c3d-0000-4000-8000-00000000000d";
  private static final String BROKEN_UUID = "8a1b2c3d-0000-4000-8000-00000000000e";
  private static final String HTTP_UUID = "8a1b2c3d-0000-4000-8000-00000000000f";
  private static final String BUTANE_UUID = "8a1b2c3d-0000-4000-8000-000000000010";
  private static final String NO_REF_UUID = "8a1b2c3d-0000-4000-8000-000000000011";
  private static final String TWO_CONFIGS_UUID = "8a1b2c3d-0000-4000-8000-000000000012";
  private static final String BROKEN_BUTANE_UUID = "8a1b2c3d-0000-4000-8000-000000000013";
  private static final String BUTANE = "variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/hostname\n"
      + "      contents:\n        inline: node-1\n";
  private static final String IGNITION_JSON = "{\"ignition\":{\"version\":\"3.3.0\"}}";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static BootServiceUnderTest service;

  @BeforeAll
  static void startService() throws Exception {
    cluster = new MockCluster();
    client = cluster.newClient();
    givenTheClusterHoldsTheTestObjects();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.ipxe-service-url", SERVICE_URL,
        "boot.default-httpboot-uki-url", "http://images.example/default.efi"));
  }

  @AfterAll
  static void stopService() throws Exception {
    service.close();
    client.close();
    cluster.close();
  }

  private static void givenTheClusterHoldsTheTestObjects() {
    client.resource(secret("ignition", Map.of("ignition", IGNITION_JSON))).create();
    client.resource(secret("butane", Map.of("ignition", BUTANE, "format", " fcos\n"))).create();
    client.resource(secret("broken-butane", Map.of("ignition", "variant: fcos\nversion: 1.5.0\npasswd:\n  users: 7\n",
        "format", "fcos"))).create();
    client.resource(secret("no-ignition-key", Map.of("other", "x"))).create();
    client.resource(secret("custom-ipxe", Map.of("ipxe-script", "#!ipxe\necho custom\n"))).create();
    IPXEBootConfig live = ipxeConfig("live", LIVE_UUID.toUpperCase(), "http://k/kernel", "http://k/initrd", "http://k/squash");
    live.getSpec().setIgnitionSecretRef(ref("ignition"));
    // the test's client is this machine (client binding audits any other address)
    live.getSpec().setSystemIPs(List.of("127.0.0.1"));
    create(live);
    create(ipxeConfig("disk", DISK_UUID, "http://k/kernel", "http://k/initrd", null));
    IPXEBootConfig custom = ipxeConfig("custom", CUSTOM_UUID, "http://k/kernel", "http://k/initrd", null);
    custom.getSpec().setIpxeScriptSecretRef(ref("custom-ipxe"));
    create(custom);
    IPXEBootConfig noSecret = ipxeConfig("no-secret", NO_SECRET_UUID, "http://k/kernel", "http://k/initrd", null);
    noSecret.getSpec().setIpxeScriptSecretRef(ref("missing-secret"));
    noSecret.getSpec().setIgnitionSecretRef(ref("no-ignition-key"));
    create(noSecret);
    create(ipxeConfig("broken", BROKEN_UUID, "http://k/kernel\nshell", "http://k/initrd", null));
    IPXEBootConfig butane = ipxeConfig("butane", BUTANE_UUID, "http://k/kernel", "http://k/initrd", null);
    butane.getSpec().setIgnitionSecretRef(ref("butane"));
    create(butane);
    IPXEBootConfig brokenButane = ipxeConfig("broken-butane", BROKEN_BUTANE_UUID, "http://k/kernel", "http://k/initrd", null);
    brokenButane.getSpec().setIgnitionSecretRef(ref("broken-butane"));
    create(brokenButane);
    create(ipxeConfig("no-ref", NO_REF_UUID, "http://k/kernel", "http://k/initrd", null));
    HTTPBootConfig uki = httpConfig("uki", HTTP_UUID, List.of("10.1.0.5", "AA-BB-CC-00-11-22", "2001:DB8:0:0::5"),
        "http://images.example/uki.efi");
    uki.getSpec().setIgnitionSecretRef(ref("ignition"));
    create(uki);
    givenOneMachineWithAWorkloadAndAMaintenanceConfig();
  }

  private static void givenOneMachineWithAWorkloadAndAMaintenanceConfig() {
    client.resource(server("two-configs", "workload-sbc", "maintenance-sbc", "Reserved")).create();
    client.resource(sbc("workload-sbc", "two-configs")).create();
    client.resource(sbc("maintenance-sbc", "two-configs")).create();
    create(ownedBy(ipxeConfig("a-maintenance", TWO_CONFIGS_UUID, "http://m/kernel", "http://m/initrd", null),
        "maintenance-sbc"));
    create(ownedBy(ipxeConfig("b-workload", TWO_CONFIGS_UUID, "http://w/kernel", "http://w/initrd", null),
        "workload-sbc"));
    create(ipxeConfig("c-orphan", TWO_CONFIGS_UUID, "http://o/kernel", "http://o/initrd", null));
  }

  private static void create(HasMetadata object) {
    client.resource(object).create();
  }

  @Test
  void servesTheChainloadScriptWithoutUuid() throws Exception {
    // When iPXE asks without its UUID
    HttpResponse<String> response = service.get("/ipxe/");

    // Then it gets the chainload script, byte for byte (COMPAT §2), with a Content-Length
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(golden("chainload.ipxe").replace("SERVICE_URL", SERVICE_URL));
    assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(response.body().length()));
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void servesTheTemplateScriptForAMachineWhateverTheCaseOfItsUuid() throws Exception {
    // Given a config whose systemUUID is stored in upper case
    // When the machine asks in lower case and in upper case
    HttpResponse<String> lower = service.get("/ipxe/" + LIVE_UUID);
    HttpResponse<String> upper = service.get("/ipxe/" + LIVE_UUID.toUpperCase());

    // Then both get the script of COMPAT §2
    String expected = golden("with-squashfs.ipxe").replace("SERVICE_URL", SERVICE_URL)
        .replace("KERNEL", "http://k/kernel").replace("INITRD", "http://k/initrd").replace("SQUASHFS", "http://k/squash");
    assertThat(lower.statusCode()).isEqualTo(200);
    assertThat(lower.body()).isEqualTo(expected);
    assertThat(upper.body()).isEqualTo(expected);
  }

  @Test
  void leavesOutTheSquashfsLineAndTokensWithoutSquashfs() throws Exception {
    HttpResponse<String> response = service.get("/ipxe/" + DISK_UUID);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(golden("without-squashfs.ipxe").replace("SERVICE_URL", SERVICE_URL)
        .replace("KERNEL", "http://k/kernel").replace("INITRD", "http://k/initrd"));
  }

  @Test
  void servesACustomScriptFromItsSecretUnchangedAndUncached() throws Exception {
    HttpResponse<String> response = service.get("/ipxe/" + CUSTOM_UUID);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("#!ipxe\necho custom\n");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void answers404WithoutNamingTheSecretWhenTheCustomScriptSecretIsMissingAndNamesItInStatus() throws Exception {
    HttpResponse<String> response = service.get("/ipxe/" + NO_SECRET_UUID);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("the machine's iPXE script Secret is missing;"
        + " see the IPXEScriptFetched condition of its boot config\n");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    // And the config's status names it for the operator
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = Conditions.find(status(IPXEBootConfig.class, "no-secret"), "IPXEScriptFetched");
      assertThat(condition).isNotNull();
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getReason()).isEqualTo("ScriptSecretMissing");
      assertThat(condition.getMessage()).isEqualTo("Secret default/missing-secret not found.");
    });
  }

  @Test
  void answers404ForAnUnknownMachine() throws Exception {
    HttpResponse<String> response = service.get("/ipxe/00000000-0000-0000-0000-000000000000");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("00000000-0000-0000-0000-000000000000");
  }

  @Test
  void decodesAPercentEncodedUuidOnceAsGoDoes() throws Exception {
    String encoded = "%38" + LIVE_UUID.substring(1).replace("-", "%2D");

    assertThat(service.get("/ipxe/" + encoded).statusCode()).isEqualTo(200);
    assertThat(service.get("/ipxe/" + encoded).body()).isEqualTo(service.get("/ipxe/" + LIVE_UUID).body());
    assertThat(service.get("/ipxe/%2538" + LIVE_UUID.substring(1)).statusCode()).isEqualTo(400);
    for (String malformed : List.of("8a1b%zz", "8a1b%4", "8a1b%")) {
      for (String endpoint : List.of("/ipxe/", "/ignition/")) {
        IpxeClient.Answer answer = IpxeClient.get(service.bootPort(), endpoint + malformed);
        assertThat(answer.status()).as(endpoint + malformed).isEqualTo(400);
        assertThat(answer.text()).as(endpoint + malformed).startsWith("Bad Request: malformed percent-encoding");
      }
    }
  }

  @Test
  void answers400ForUuidsThatAreTooLongOrCarryControlOrPathCharacters() throws Exception {
    for (String bad : List.of("a".repeat(129), "a%2Fb", "a..b", "a%00b", "a%0Ab", "%2E%2E%2Fetc")) {
      HttpResponse<String> response = service.get("/ipxe/" + bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.body()).as(bad).startsWith("Bad Request: UUID");
      assertThat(service.get("/ignition/" + bad).statusCode()).as(bad).isEqualTo(400);
    }
  }

  @Test
  void refusesToRenderAUrlWithANewlineAndSaysWhyInTheConfigStatus() throws Exception {
    // When a config's kernelURL holds a newline (script injection)
    HttpResponse<String> response = service.get("/ipxe/" + BROKEN_UUID);

    // Then the request fails naming the config, and nothing of the URL is rendered
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("default/broken").contains("kernelURL").doesNotContain("shell");
    // And the config's status says why
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = Conditions.find(status(IPXEBootConfig.class, "broken"), "IPXEScriptFetched");
      assertThat(condition).isNotNull();
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getMessage()).contains("kernelURL");
    });
  }

  @Test
  void recordsTheDeliveryConditionOnceAfterAScriptWasServed() throws Exception {
    // When the machine fetches its script
    assertThat(service.get("/ipxe/" + DISK_UUID).statusCode()).isEqualTo(200);

    // Then the config's status gets IPXEScriptFetched (COMPAT §7)
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = Conditions.find(status(IPXEBootConfig.class, "disk"), "IPXEScriptFetched");
      assertThat(condition).isNotNull();
      assertThat(condition.getStatus()).isEqualTo("True");
      assertThat(condition.getReason()).isEqualTo("IPXEScriptDelivered");
      assertThat(condition.getMessage()).isEqualTo("IPXE script has been successfully delivered to the client.");
    });
    // And fetching again, once the index has the new status (and the controller's), writes nothing
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<Condition> cached = service.app().index().ipxeConfigsForUuid(DISK_UUID).get(0).getStatus().getConditions();
      return Conditions.find(cached, "IPXEScriptFetched") != null && Conditions.find(cached, "IgnitionSecretReady") != null;
    });
    String version = client.resources(IPXEBootConfig.class).inNamespace(Fixtures.NAMESPACE).withName("disk").get().getMetadata().getResourceVersion();
    assertThat(service.get("/ipxe/" + DISK_UUID).statusCode()).isEqualTo(200);
    Thread.sleep(300); // nothing to await: the absence of a write is what is checked
    assertThat(client.resources(IPXEBootConfig.class).inNamespace(Fixtures.NAMESPACE).withName("disk").get().getMetadata().getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  void choosesTheWorkloadConfigAmongSeveralAndDropsOrphans() throws Exception {
    HttpResponse<String> response = service.get("/ipxe/" + TWO_CONFIGS_UUID);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("set kernel-url http://w/kernel");
  }

  @Test
  void servesIgnitionBytesUnchangedAndUncachedAndRecordsTheCondition() throws Exception {
    HttpResponse<String> response = service.get("/ignition/" + LIVE_UUID);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(IGNITION_JSON);
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = Conditions.find(status(IPXEBootConfig.class, "live"), "IgnitionDataFetched");
      assertThat(condition).isNotNull();
      assertThat(condition.getReason()).isEqualTo("IgnitionDataDelivered");
    });
  }

  @Test
  void fallsBackToHttpBootConfigsForIgnition() throws Exception {
    HttpResponse<String> response = service.get("/ignition/" + HTTP_UUID.toUpperCase());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(IGNITION_JSON);
  }

  @Test
  void answers404SayingWhatIsMissingForIgnitionWithoutNamingTheSecret() throws Exception {
    HttpResponse<String> noKey = service.get("/ignition/" + NO_SECRET_UUID);
    assertThat(noKey.statusCode()).isEqualTo(404);
    assertThat(noKey.body()).isEqualTo("the machine's Ignition Secret has no key ignition;"
        + " see the IgnitionSecretReady condition of its boot config\n");
    assertThat(noKey.headers().firstValue("cache-control")).hasValue("no-store");
    HttpResponse<String> noRef = service.get("/ignition/" + NO_REF_UUID);
    assertThat(noRef.statusCode()).isEqualTo(404);
    assertThat(noRef.body()).isEqualTo("IPXEBootConfig default/no-ref has no ignitionSecretRef\n");
    assertThat(service.get("/ignition/" + "11111111-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);
  }

  @Test
  void translatesButaneSecretsOncePerSecretVersion() throws Exception {
    // When two machines' worth of requests hit the config whose Secret holds Butane (format: fcos)
    HttpResponse<String> first = service.get("/ignition/" + BUTANE_UUID);
    HttpResponse<String> second = service.get("/ignition/" + BUTANE_UUID);

    // Then both get the Ignition JSON of fcos 1.5.0 (Ignition 3.4.0) with the file as a data URL
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(first.body())).isEqualTo(JSON.readTree("{\"ignition\":{\"version\":\"3.4.0\"},\"storage\":{\"files\":[{\"path\":"
        + "\"/etc/hostname\",\"contents\":{\"compression\":\"\",\"source\":\"data:,node-1\"}}]}}"));
    assertThat(second.body()).isEqualTo(first.body());
    // And the Secret was translated once
    assertThat(service.metricsText())
        .contains("boot_butane_translations_total{result=\"ok\"} 1.0");
  }

  @Test
  void answers422WithTheFirstButaneErrorAndItsPosition() throws Exception {
    HttpResponse<String> response = service.get("/ignition/" + BROKEN_BUTANE_UUID);

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body()).startsWith("Butane translation failed: error at ")
        .contains("users").contains("line 4").doesNotContain("broken-butane");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void answersHttpBootFromTheFirstForwardedAddressThatMatches() throws Exception {
    // When the relay forwards an unknown address first, then the config's
    HttpResponse<String> response = service.get("/httpboot", "X-Forwarded-For", " 192.0.2.1 ,, 10.1.0.5");

    // Then the body is the exact JSON of COMPAT §4
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"ClientIPs\":\"192.0.2.1,10.1.0.5\",\"SystemUUID\":\"" + HTTP_UUID
        + "\",\"UKIURL\":\"http://images.example/uki.efi\"}");
  }

  @Test
  void matchesMacAndIpv6IdentifiersWhateverTheirSpelling() throws Exception {
    assertThat(service.get("/httpboot", "X-Forwarded-For", "aa:bb:cc:00:11:22").body()).contains(HTTP_UUID);
    assertThat(service.get("/httpboot", "X-Forwarded-For", "2001:db8::5").body()).contains(HTTP_UUID);
  }

  @Test
  void answersTheDefaultUkiForUnknownMissingOrMalformedAddresses() throws Exception {
    assertThat(service.get("/httpboot", "X-Forwarded-For", "192.0.2.9").body())
        .isEqualTo("{\"ClientIPs\":\"192.0.2.9\",\"UKIURL\":\"http://images.example/default.efi\"}");
    assertThat(service.get("/httpboot").body())
        .isEqualTo("{\"ClientIPs\":\"\",\"UKIURL\":\"http://images.example/default.efi\"}");
    HttpResponse<String> malformed = service.get("/httpboot", "X-Forwarded-For", "<script>, ,not-an-ip");
    assertThat(malformed.statusCode()).isEqualTo(200);
    assertThat(malformed.body())
        .isEqualTo("{\"ClientIPs\":\"\\u003cscript\\u003e,not-an-ip\",\"UKIURL\":\"http://images.example/default.efi\"}");
  }

  @Test
  void answers405ForOtherMethods() throws Exception {
    assertThat(service.send(service.bootPort(), "POST", "/ipxe/" + DISK_UUID).statusCode()).isEqualTo(405);
    assertThat(service.send(service.bootPort(), "DELETE", "/ignition/" + DISK_UUID).statusCode()).isEqualTo(405);
    assertThat(service.send(service.bootPort(), "PUT", "/httpboot").statusCode()).isEqualTo(405);
  }

  @Test
  void servesTheSameEndpointsOnTheImageProxyPort() throws Exception {
    assertThat(service.send(service.imagePort(), "GET", "/ipxe/" + DISK_UUID).body())
        .isEqualTo(service.get("/ipxe/" + DISK_UUID).body());
    assertThat(service.send(service.imagePort(), "GET", "/httpboot").statusCode()).isEqualTo(200);
  }

  @Test
  void reportsReadinessAndRequestMetricsOnTheManagementPorts() throws Exception {
    service.get("/ipxe/" + DISK_UUID);

    assertThat(service.send(service.healthPort(), "GET", "/readyz").statusCode()).isEqualTo(200);
    assertThat(service.send(service.healthPort(), "GET", "/healthz").statusCode()).isEqualTo(200);
    String metrics = service.metricsText();
    assertThat(metrics).contains("boot_requests_seconds_count{endpoint=\"ipxe-script\",outcome=\"ok\",status=\"200\"}");
    assertThat(metrics).contains("boot_reconciles_total").contains("jvm_memory_used_bytes");
  }

  @Test
  void exposesEveryRouteAndItsStepsAsJmxMBeans() throws Exception {
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    String context = service.app().camelContext().getManagementName();

    Set<String> routes = jmx.queryNames(new ObjectName("org.apache.camel:context=" + context + ",type=routes,*"), null)
        .stream().map(name -> ObjectName.unquote(name.getKeyProperty("name"))).collect(Collectors.toSet());
    assertThat(routes).contains("ipxe-chainload", "ipxe-script", "httpboot-answer", "ignition-config");
    Set<String> steps = jmx.queryNames(new ObjectName("org.apache.camel:context=" + context + ",type=processors,*"),
        null).stream().map(name -> ObjectName.unquote(name.getKeyProperty("name"))).collect(Collectors.toSet());
    assertThat(steps).contains("ipxe-script-lookup", "ipxe-script-respond", "httpboot-answer-lookup",
        "ignition-config-lookup");
    Object total = jmx.getAttribute(new ObjectName("org.apache.camel:context=" + context
        + ",type=routes,name=\"ipxe-chainload\""), "ExchangesTotal");
    assertThat((Long) total).isPositive();
  }

  @Test
  void neverPutsAStackTraceOrSecretIntoAnErrorBody() throws Exception {
    for (String path : List.of("/ipxe/" + BROKEN_UUID, "/ipxe/x%0A", "/ignition/" + NO_SECRET_UUID,
        "/ignition/" + BROKEN_BUTANE_UUID)) {
      String body = service.get(path).body();
      assertThat(body).as(path).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("variant");
      assertThat(body.strip().lines().count()).as(path).isEqualTo(1);
    }
  }

  private static List<Condition> status(Class<? extends HasMetadata> kind, String name) {
    HasMetadata object = client.resources(kind).inNamespace(Fixtures.NAMESPACE).withName(name).get();
    if (object instanceof IPXEBootConfig ipxe && ipxe.getStatus() != null) {
      return ipxe.getStatus().getConditions();
    }
    return List.of();
  }

  static String golden(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/golden", name), StandardCharsets.UTF_8);
  }
}
