package dev.ironcore.boot.binding;

import static dev.ironcore.boot.testing.Fixtures.httpConfig;
import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.ForwardingProxy;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.SourceBoundHttp.Response;
import dev.ironcore.boot.testing.SourceBoundHttp;
import dev.ironcore.boot.web.BootRequestObserver;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Client binding over real sockets on loopback, one service per {@code boot.client-binding} mode
 * against one mock API, and one enforcing service on [::1]. Each client socket is bound to its own
 * 127.x address: 127.0.0.11, .13, .14 and 127.0.1.x are machines, 127.0.0.66 a stranger, 127.0.0.21
 * and .22 trusted proxies, 127.0.0.23 an untrusted one.
 */
class ClientBindingRouteTest {
  private static final String MACHINE = "127.0.0.11";
  private static final String SERVER_NIC = "127.0.0.13";
  private static final String SERVER_NIC_LATER = "127.0.0.14";
  private static final String STRANGER = "127.0.0.66";
  private static final String FRONT_PROXY = "127.0.0.21";
  private static final String INNER_PROXY = "127.0.0.22";
  private static final String UNTRUSTED_PROXY = "127.0.0.23";
  private static final String IGNITION = "{\"ignition\":{\"version\":\"3.3.0\"},\"passwd\":{\"users\":[{\"name\":\"core\","
      + "\"passwordHash\":\"binding-secret-hash-42\"}]}}";
  private static final String SCRIPT = "#!ipxe\necho binding-secret-script-43\n";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE_LOG = "boot.images";

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static final Map<String, BootServiceUnderTest> services = new HashMap<>();
  private static final List<AutoCloseable> proxies = new ArrayList<>();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void startOneServicePerMode() throws Exception {
    logs.start();
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    logback.getLogger(ClientBinding.class).addAppender(logs);
    logback.getLogger(BootRequestObserver.REQUEST_LOG).addAppender(logs);
    logback.getLogger(IMAGE_LOG).addAppender(logs);
    cluster = new MockCluster();
    client = cluster.newClient();
    client.resource(secret("ignition", Map.of("ignition", IGNITION))).create();
    client.resource(secret("script", Map.of("ipxe-script", SCRIPT))).create();
    for (String mode : List.of("off", "audit", "enforce", "strict")) {
      givenTheMachinesOf(mode);
      Map<String, String> properties = new HashMap<>(Map.of(
          "boot.client-binding", mode,
          "boot.default-httpboot-uki-url", "http://images.example/default.efi"));
      if (!mode.equals("off")) {
        properties.put("boot.trusted-proxies", FRONT_PROXY + ", " + INNER_PROXY + "/32");
      }
      services.put(mode, BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), properties));
    }
    givenTheMachinesOf("ipv6");
    services.put("ipv6", BootServiceUnderTest.awaitSynced(BootServiceUnderTest.start(
        ClusterConnection.external(cluster.newClient()), Map.of("boot.client-binding", "enforce"), "[::1]")));
  }

  @AfterAll
  static void stopServices() throws Exception {
    for (AutoCloseable proxy : proxies) {
      proxy.close();
    }
    for (BootServiceUnderTest service : services.values()) {
      service.close();
    }
    client.close();
    cluster.close();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ClientBinding.class).detachAppender(logs);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(BootRequestObserver.REQUEST_LOG).detachAppender(logs);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(IMAGE_LOG).detachAppender(logs);
  }

  /** Each mode's machines have UUIDs of their own, so that conditions written by one service stay apart. */
  private static void givenTheMachinesOf(String mode) {
    IPXEBootConfig bound = ipxeConfig(mode + "-bound", uuid(mode, 1), "http://k/kernel", "http://k/initrd", null);
    bound.getSpec().setSystemIPs(List.of("10.99.0.1", MACHINE));
    bound.getSpec().setIgnitionSecretRef(ref("ignition"));
    bound.getSpec().setIpxeScriptSecretRef(ref("script"));
    client.resource(bound).create();
    HTTPBootConfig http = httpConfig(mode + "-http", uuid(mode, 2), List.of("aa:bb:cc:dd:ee:02", httpMachine(mode)),
        "http://images.example/uki.efi");
    http.getSpec().setIgnitionSecretRef(ref("ignition"));
    client.resource(http).create();
    IPXEBootConfig fromServer = ipxeConfig(mode + "-from-server", uuid(mode, 3), "http://k/kernel", "http://k/initrd", null);
    fromServer.getSpec().setIgnitionSecretRef(ref("ignition"));
    fromServer.getSpec().setIpxeScriptSecretRef(ref("script"));
    client.resource(fromServer).create();
    Server server = Fixtures.server(mode + "-server", null, null, "Available");
    server.getSpec().setSystemUUID(uuid(mode, 3).toUpperCase());
    Server created = client.resource(server).create();
    created.getStatus().setNetworkInterfaces(List.of(nic(SERVER_NIC, List.of())));
    client.resource(created).updateStatus();
    IPXEBootConfig unknown = ipxeConfig(mode + "-unknown", uuid(mode, 4), "http://k/kernel", "http://k/initrd", null);
    unknown.getSpec().setIgnitionSecretRef(ref("ignition"));
    unknown.getSpec().setIpxeScriptSecretRef(ref("script"));
    client.resource(unknown).create();
    IPXEBootConfig ipv6 = ipxeConfig(mode + "-ipv6", uuid(mode, 5), "http://k/kernel", "http://k/initrd", null);
    ipv6.getSpec().setSystemIPs(List.of(mode.equals("ipv6") ? "0:0:0:0:0:0:0:1" : "127.0.0.1"));
    ipv6.getSpec().setIgnitionSecretRef(ref("ignition"));
    client.resource(ipv6).create();
    client.resource(ipxeConfig(mode + "-template", uuid(mode, 6), "http://k/kernel", "http://k/initrd", null)).create();
  }

  // ---------------------------------------------------------------- off

  @Test
  void offServesAnyClientAndLogsCountsAndMarksNothing() throws Exception {
    BootServiceUnderTest off = services.get("off");
    assertThat(get("off", STRANGER, "/ignition/" + uuid("off", 1)).body()).isEqualTo(IGNITION);
    assertThat(get("off", STRANGER, "/ipxe/" + uuid("off", 1)).body()).isEqualTo(SCRIPT);
    assertThat(get("off", STRANGER, "/ignition/" + uuid("off", 4)).status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(condition(IPXEBootConfig.class, "off-bound", "IgnitionDataFetched").getReason())
            .isEqualTo("IgnitionDataDelivered"));
    assertThat(off.metricsText()).doesNotContain("boot_unbound_");
    assertThat(bindingLogLines()).noneMatch(line -> line.contains("machine=" + uuid("off", 1)));
  }

  @Test
  void withoutTrustedProxiesHttpBootMatchesOnForwardedForAsGoDoes() throws Exception {
    // a DHCP server extension (or anyone) names the client: Go's behaviour while boot.trusted-proxies is empty
    JsonNode answer = JSON.readTree(get("off", STRANGER, "/httpboot", "X-Forwarded-For: " + httpMachine("off")).body());
    assertThat(answer.path("SystemUUID").asText()).isEqualTo(uuid("off", 2));
  }

  // ---------------------------------------------------------------- audit

  @Test
  void auditServesAStrangerButLogsOnceCountsAndMarksTheCondition() throws Exception {
    BootServiceUnderTest audit = services.get("audit");
    String uuid = uuid("audit", 1);
    double before = audit.metric("boot_unbound_deliveries_total", "ignition-config", "not_machine_address");

    assertThat(get("audit", STRANGER, "/ignition/" + uuid).body()).isEqualTo(IGNITION);
    assertThat(get("audit", STRANGER, "/ignition/" + uuid).body()).isEqualTo(IGNITION);

    assertThat(audit.metric("boot_unbound_deliveries_total", "ignition-config", "not_machine_address"))
        .isEqualTo(before + 2);
    assertThat(bindingLogLines()).filteredOn(line -> line.contains("machine=" + uuid) && line.contains(STRANGER))
        .singleElement().satisfies(line -> assertThat(line).contains("reason=not_machine_address", "served"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = condition(IPXEBootConfig.class, "audit-bound", "IgnitionDataFetched");
      assertThat(condition.getReason()).isEqualTo("UnboundClient");
      assertThat(condition.getStatus()).isEqualTo("True");
      assertThat(condition.getMessage()).contains(STRANGER).doesNotContain("binding-secret");
    });

    // the machine itself fetching puts the condition back to delivered
    assertThat(get("audit", MACHINE, "/ignition/" + uuid).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(condition(IPXEBootConfig.class, "audit-bound", "IgnitionDataFetched").getReason())
            .isEqualTo("IgnitionDataDelivered"));
  }

  @Test
  void auditCountsACustomScriptServedToAMachineWithNoKnownAddress() throws Exception {
    BootServiceUnderTest audit = services.get("audit");
    double before = audit.metric("boot_unbound_deliveries_total", "ipxe-script", "no_known_address");

    assertThat(get("audit", MACHINE, "/ipxe/" + uuid("audit", 4)).body()).isEqualTo(SCRIPT);

    assertThat(audit.metric("boot_unbound_deliveries_total", "ipxe-script", "no_known_address")).isEqualTo(before + 1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Condition condition = condition(IPXEBootConfig.class, "audit-unknown", "IPXEScriptFetched");
      assertThat(condition.getReason()).isEqualTo("UnboundClient");
      assertThat(condition.getMessage()).contains(MACHINE).doesNotContain("binding-secret");
    });
  }

  // ---------------------------------------------------------------- enforce

  @Test
  void enforceServesTheMachineAndRefusesAStrangerNamingItsAddressAndTheWayOut() throws Exception {
    BootServiceUnderTest enforce = services.get("enforce");
    String uuid = uuid("enforce", 1);
    double before = enforce.metric("boot_unbound_refusals_total", "ignition-config", "not_machine_address");

    assertThat(get("enforce", MACHINE, "/ignition/" + uuid).body()).isEqualTo(IGNITION);
    assertThat(get("enforce", MACHINE, "/ipxe/" + uuid).body()).isEqualTo(SCRIPT);
    Response ignition = get("enforce", STRANGER, "/ignition/" + uuid);
    Response script = get("enforce", STRANGER, "/ipxe/" + uuid);

    for (Response refused : List.of(ignition, script)) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body().strip()).contains(STRANGER, "boot.trusted-proxies", "externalTrafficPolicy: Local")
          .doesNotContain("binding-secret").doesNotContain("\n");
    }
    assertThat(enforce.metric("boot_unbound_refusals_total", "ignition-config", "not_machine_address"))
        .isEqualTo(before + 1);
    assertThat(enforce.metric("boot_unbound_refusals_total", "ipxe-script", "not_machine_address")).isPositive();
    awaitLogLine(BootRequestObserver.REQUEST_LOG, line -> line.contains("machine=" + uuid)
        && line.contains("client=" + STRANGER + " peer=" + STRANGER + " status=403 outcome=forbidden"));
    assertThat(bindingLogLines()).anyMatch(line -> line.contains("machine=" + uuid) && line.contains(STRANGER)
        && line.contains("refused"));
  }

  @Test
  void enforceKnowsHttpBootIdentifiers() throws Exception {
    assertThat(get("enforce", httpMachine("enforce"), "/ignition/" + uuid("enforce", 2)).body()).isEqualTo(IGNITION);
    assertThat(get("enforce", STRANGER, "/ignition/" + uuid("enforce", 2)).status()).isEqualTo(403);
  }

  @Test
  void enforceKnowsIpv6AddressesInAnySpelling() throws Exception {
    int port = services.get("ipv6").bootPort();
    // systemIPs says 0:0:0:0:0:0:0:1; the socket's peer is ::1
    assertThat(SourceBoundHttp.get("::1", "::1", port, "/ignition/" + uuid("ipv6", 5)).body()).isEqualTo(IGNITION);
    // a machine whose address is 127.0.0.1 is not ::1
    Response refused = SourceBoundHttp.get("::1", "::1", port, "/ignition/" + uuid("enforce", 5));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("client ::1 ");
  }

  @Test
  void enforceServesAndAuditsWhileNoAddressIsKnown() throws Exception {
    BootServiceUnderTest enforce = services.get("enforce");
    double before = enforce.metric("boot_unbound_deliveries_total", "ignition-config", "no_known_address");

    assertThat(get("enforce", STRANGER, "/ignition/" + uuid("enforce", 4)).body()).isEqualTo(IGNITION);

    assertThat(enforce.metric("boot_unbound_deliveries_total", "ignition-config", "no_known_address"))
        .isEqualTo(before + 1);
  }

  @Test
  void theTemplateScriptHoldsNoSecretAndIsServedToAnyone() throws Exception {
    assertThat(get("strict", STRANGER, "/ipxe/" + uuid("strict", 6)).body()).startsWith("#!ipxe").contains("http://k/kernel");
  }

  @Test
  void bindingFollowsTheServersAddressesAsTheyChange() throws Exception {
    String uuid = uuid("enforce", 3);
    assertThat(get("enforce", SERVER_NIC, "/ignition/" + uuid).body()).isEqualTo(IGNITION);
    assertThat(get("enforce", SERVER_NIC_LATER, "/ipxe/" + uuid).status()).isEqualTo(403);

    // When the Server's NIC moves to another address (listed in ips, the deprecated ip left empty)
    client.resources(Server.class).withName("enforce-server").editStatus(server -> {
      server.getStatus().setNetworkInterfaces(List.of(nic(null, List.of("10.99.0.3", SERVER_NIC_LATER))));
      return server;
    });

    // Then the new address is the machine's, the old one no longer (the issue asks for a second; the bound is generous)
    long changed = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertThat(get("enforce", SERVER_NIC_LATER, "/ipxe/" + uuid).body()).isEqualTo(SCRIPT));
    assertThat(get("enforce", SERVER_NIC, "/ignition/" + uuid).status()).isEqualTo(403);
    System.out.printf("binding followed the Server's new address after %d ms%n", (System.nanoTime() - changed) / 1_000_000);
  }

  // ---------------------------------------------------------------- X-Forwarded-For

  @Test
  void throughTrustedProxiesTheClientIsTheMachineBehindThem() throws Exception {
    ForwardingProxy inner = proxy(INNER_PROXY, new InetSocketAddress("127.0.0.1", services.get("enforce").bootPort()));
    ForwardingProxy front = proxy(FRONT_PROXY, inner.listenAddress());
    String uuid = uuid("enforce", 1);

    // machine → front → inner → service: the service sees peer .22 and X-Forwarded-For lines ".11" and ".21"
    assertThat(SourceBoundHttp.get(MACHINE, FRONT_PROXY, front.port(), "/ignition/" + uuid).body()).isEqualTo(IGNITION);
    // a stranger through the same chain is itself
    Response stranger = SourceBoundHttp.get(STRANGER, FRONT_PROXY, front.port(), "/ignition/" + uuid);
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.body()).contains(STRANGER);
    // and so is a stranger who claims to be the machine: the front proxy appends who really called
    Response claiming = SourceBoundHttp.get(STRANGER, FRONT_PROXY, front.port(), "/ignition/" + uuid,
        "X-Forwarded-For: " + MACHINE);
    assertThat(claiming.status()).isEqualTo(403);
    assertThat(claiming.body()).contains(STRANGER);

    awaitLogLine(BootRequestObserver.REQUEST_LOG, line -> line.contains("machine=" + uuid)
        && line.contains("client=" + MACHINE + " peer=" + INNER_PROXY + " status=200"));
  }

  @Test
  void theImageProxyLogsClientAndPeerToo() throws Exception {
    ForwardingProxy inner = proxy(INNER_PROXY, new InetSocketAddress("127.0.0.1", services.get("enforce").bootPort()));

    // a blob request that names no image: refused by the image proxy's own handler, and logged
    assertThat(SourceBoundHttp.get(MACHINE, INNER_PROXY, inner.port(), "/image?imageName=x").status()).isEqualTo(404);

    awaitLogLine(IMAGE_LOG, line -> line.startsWith("GET /image ")
        && line.contains("client=" + MACHINE + " peer=" + INNER_PROXY + " status=404"));
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    String uuid = uuid("enforce", 1);
    // a stranger claiming the machine's address
    Response spoofed = get("enforce", STRANGER, "/ignition/" + uuid, "X-Forwarded-For: " + MACHINE);
    assertThat(spoofed.status()).isEqualTo(403);
    assertThat(spoofed.body()).contains(STRANGER);
    // nor can it pose as platform-http's own peer header
    assertThat(get("enforce", STRANGER, "/ignition/" + uuid, "CamelVertxPlatformHttpRemoteAddress: " + MACHINE)
        .status()).isEqualTo(403);
    // the machine behind a proxy that is not trusted is that proxy
    ForwardingProxy untrusted = proxy(UNTRUSTED_PROXY, new InetSocketAddress("127.0.0.1", services.get("enforce").bootPort()));
    Response proxied = SourceBoundHttp.get(MACHINE, UNTRUSTED_PROXY, untrusted.port(), "/ignition/" + uuid);
    assertThat(proxied.status()).isEqualTo(403);
    assertThat(proxied.body()).contains(UNTRUSTED_PROXY);
  }

  @Test
  void httpBootTrustsForwardedForOnlyFromTrustedProxies() throws Exception {
    BootServiceUnderTest enforce = services.get("enforce");
    double before = enforce.metric("boot_httpboot_untrusted_forwarded_total");

    // Given a stranger naming the machine's address directly
    JsonNode spoofed = JSON.readTree(get("enforce", STRANGER, "/httpboot", "X-Forwarded-For: " + httpMachine("enforce"))
        .body());
    // Then it gets the default UKI and no UUID
    assertThat(spoofed.has("SystemUUID")).isFalse();
    assertThat(spoofed.path("UKIURL").asText()).isEqualTo("http://images.example/default.efi");
    assertThat(enforce.metric("boot_httpboot_untrusted_forwarded_total")).isEqualTo(before + 1);

    // While the DHCP server extension, a trusted peer, is believed
    ForwardingProxy relay = proxy(INNER_PROXY, new InetSocketAddress("127.0.0.1", enforce.bootPort()));
    JsonNode relayed = JSON.readTree(SourceBoundHttp.get(httpMachine("enforce"), INNER_PROXY, relay.port(), "/httpboot").body());
    assertThat(relayed.path("SystemUUID").asText()).isEqualTo(uuid("enforce", 2));
    assertThat(relayed.path("UKIURL").asText()).isEqualTo("http://images.example/uki.efi");
  }

  // ---------------------------------------------------------------- strict

  @Test
  void strictRefusesWhileNoAddressIsKnownAndServesTheMachine() throws Exception {
    BootServiceUnderTest strict = services.get("strict");
    double before = strict.metric("boot_unbound_refusals_total", "ignition-config", "no_known_address");

    Response refused = get("strict", MACHINE, "/ignition/" + uuid("strict", 4));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("no known address", MACHINE).doesNotContain("binding-secret");
    assertThat(get("strict", MACHINE, "/ipxe/" + uuid("strict", 4)).status()).isEqualTo(403);
    assertThat(strict.metric("boot_unbound_refusals_total", "ignition-config", "no_known_address")).isEqualTo(before + 1);

    assertThat(get("strict", MACHINE, "/ignition/" + uuid("strict", 1)).body()).isEqualTo(IGNITION);
    assertThat(get("strict", STRANGER, "/ignition/" + uuid("strict", 1)).status()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- helpers

  private static String uuid(String mode, int machine) {
    return String.format("b1d1a000-0000-4000-8000-%08d%04d", modeIndex(mode), machine);
  }

  /** The address of each mode's HTTP-boot machine, apart so that /httpboot finds one config. */
  private static String httpMachine(String mode) {
    return "127.0.1." + (modeIndex(mode) + 1);
  }

  private static int modeIndex(String mode) {
    return List.of("off", "audit", "enforce", "strict", "ipv6").indexOf(mode);
  }

  private static NetworkInterface nic(String ip, List<String> ips) {
    NetworkInterface nic = new NetworkInterface();
    nic.setName("eth0");
    nic.setIp(ip);
    nic.setIps(ips);
    return nic;
  }

  private static Response get(String mode, String source, String path, String... headers) throws Exception {
    return SourceBoundHttp.get(source, services.get(mode).bootPort(), path, headers);
  }

  private static ForwardingProxy proxy(String address, InetSocketAddress upstream) throws Exception {
    ForwardingProxy proxy = new ForwardingProxy(address, upstream);
    proxies.add(proxy);
    return proxy;
  }

  private static Condition condition(Class<? extends CustomResource<?, BootConfigStatus>> kind, String name, String type) {
    HasMetadata object = client.resources(kind).inNamespace(Fixtures.NAMESPACE).withName(name).get();
    BootConfigStatus status = ((CustomResource<?, BootConfigStatus>) object).getStatus();
    Condition condition = status == null ? null : Conditions.find(status.getConditions(), type);
    assertThat(condition).as(name + " " + type).isNotNull();
    return condition;
  }

  private static List<String> bindingLogLines() {
    synchronized (logs) {
      return logs.list.stream().filter(event -> event.getLoggerName().equals(ClientBinding.class.getName()))
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** Waits (the line is written once the answer is out) for a line of {@code logger} that {@code wanted} accepts. */
  private static void awaitLogLine(String logger, Predicate<String> wanted) {
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      synchronized (logs) {
        return logs.list.stream().filter(event -> event.getLoggerName().equals(logger))
            .map(ILoggingEvent::getFormattedMessage).anyMatch(wanted);
      }
    });
  }
}
