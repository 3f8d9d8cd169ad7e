package dev.ironcore.boot.web;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.logging.BatchingConsoleAppender;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.component.platform.http.DefaultPlatformHttpConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Which threads answer boot requests, and the one log line each request leaves: the iPXE routes run
 * on the event loops (several, one connection on each in turn), HTTP boot on a worker thread (it may
 * wait for a registry), and every request is logged (by the writer thread, to stdout) with its endpoint,
 * machine, status, outcome and duration, never a secret.
 */
class BootRequestThreadsAndLogTest {
  private static final String PLAIN_UUID = "8a1b2c3d-0000-4000-8000-0000000000a1";
  private static final String CUSTOM_UUID = "8a1b2c3d-0000-4000-8000-0000000000a2";
  private static final String SECRET_SCRIPT = "#!ipxe\necho secret-token-123\n";
  private static final String SECRET_IGNITION = "{\"ignition\":{\"version\":\"3.3.0\"},\"passwd\":\"secret-hash-456\"}";

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static BootServiceUnderTest service;
  /** A line of the production pattern: time, level, [thread], logger, message. */
  private static final Pattern REQUEST_LINE =
      Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[([^\\]]+)\\] boot\\.requests - (.*)");
  private static Lines lines;

  @BeforeAll
  static void startService() throws Exception {
    lines = captureStdout();
    cluster = new MockCluster();
    client = cluster.newClient();
    client.resource(secret("custom-script", Map.of("ipxe-script", SECRET_SCRIPT))).create();
    client.resource(secret("ignition", Map.of("ignition", SECRET_IGNITION))).create();
    IPXEBootConfig plain = ipxeConfig("plain", PLAIN_UUID, "http://k/kernel", "http://k/initrd", null);
    plain.getSpec().setIgnitionSecretRef(ref("ignition"));
    client.resource(plain).create();
    IPXEBootConfig custom = ipxeConfig("custom", CUSTOM_UUID, "http://k/kernel", "http://k/initrd", null);
    custom.getSpec().setIpxeScriptSecretRef(ref("custom-script"));
    client.resource(custom).create();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.default-httpboot-uki-url", "http://images.example/default.efi"));
  }

  @AfterAll
  static void stopService() throws Exception {
    service.close();
    client.close();
    cluster.close();
    System.setOut(lines.original);
  }

  @BeforeEach
  void forgetEarlierLines() {
    lines.clear();
  }

  @Test
  void theIpxeRoutesRunOnTheEventLoopsAndHttpBootOnAWorkerThread() {
    assertThat(platformConsumer("ipxe-script")).isInstanceOf(EventLoopHttpConsumer.class);
    assertThat(platformConsumer("ipxe-chainload")).isInstanceOf(EventLoopHttpConsumer.class);
    // these may wait (a registry for the default UKI) or work longer (a first Butane translation)
    assertThat(platformConsumer("httpboot-answer")).isNotInstanceOf(EventLoopHttpConsumer.class);
    assertThat(platformConsumer("ignition-config")).isNotInstanceOf(EventLoopHttpConsumer.class);
  }

  @Test
  void connectionsAreSpreadOverSeveralEventLoops() throws Exception {
    // When four clients, each on its own connection, ask for their scripts
    for (int i = 0; i < 4; i++) {
      HttpClient ownConnection = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response = ownConnection.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + service.bootPort() + "/ipxe/" + PLAIN_UUID)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }

    // Then event loops answered them, and not all the same one
    Set<String> threads = awaitLines(4).stream().map(line -> line[0]).collect(Collectors.toSet());
    assertThat(threads).allSatisfy(thread -> assertThat(thread).startsWith("vert.x-eventloop-thread-"));
    assertThat(threads).hasSizeGreaterThan(1);
  }

  @Test
  void everyRequestLeavesOneInfoLineWithEndpointMachineClientPeerStatusOutcomeAndDuration() throws Exception {
    service.get("/ipxe/" + PLAIN_UUID);
    service.get("/ipxe/" + CUSTOM_UUID.toUpperCase());
    service.get("/ipxe/00000000-0000-0000-0000-000000000000");
    service.get("/ipxe/");
    service.get("/ignition/" + PLAIN_UUID);
    service.get("/httpboot", "X-Forwarded-For", "192.0.2.7");

    List<String> logged = awaitLines(6).stream().map(line -> line[1]).toList();
    assertThat(logged).hasSize(6);
    assertThat(logged.get(0)).matches("endpoint=ipxe-script machine=" + PLAIN_UUID
        + " client=127.0.0.1 peer=127.0.0.1 status=200 outcome=ok durationMs=\\d+");
    assertThat(logged.get(1)).matches("endpoint=ipxe-script machine=" + CUSTOM_UUID
        + " client=127.0.0.1 peer=127.0.0.1 status=200 outcome=ok durationMs=\\d+");
    assertThat(logged.get(2)).matches("endpoint=ipxe-script machine=00000000-0000-0000-0000-000000000000"
        + " client=127.0.0.1 peer=127.0.0.1 status=404 outcome=not_found durationMs=\\d+");
    assertThat(logged.get(3)).matches("endpoint=ipxe-chainload machine=- client=127.0.0.1 peer=127.0.0.1"
        + " status=200 outcome=ok durationMs=\\d+");
    assertThat(logged.get(4)).matches("endpoint=ignition-config machine=" + PLAIN_UUID
        + " client=127.0.0.1 peer=127.0.0.1 status=200 outcome=ok durationMs=\\d+");
    assertThat(logged.get(5)).matches("endpoint=httpboot-answer machine=192.0.2.7 client=127.0.0.1 peer=127.0.0.1"
        + " status=200 outcome=ok durationMs=\\d+");
    assertThat(String.join("\n", logged)).doesNotContain("secret-token-123").doesNotContain("secret-hash-456");
  }

  /** What the production logging writes to stdout, kept while still shown. */
  private static Lines captureStdout() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger requests = logback.getLogger(BootRequestObserver.REQUEST_LOG);
    assertThat(requests.getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT"))
        .as("the root logger writes through the queue of one writer thread, which drops nothing")
        .isInstanceOf(BatchingConsoleAppender.class);
    assertThat(requests.isAdditive()).isTrue();
    Lines lines = new Lines(System.out);
    System.setOut(new PrintStream(lines, true, StandardCharsets.UTF_8));
    return lines;
  }

  /** Passes stdout on and keeps a copy of it. */
  private static final class Lines extends OutputStream {
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    Lines(PrintStream original) {
      this.original = original;
    }

    @Override
    public synchronized void write(int b) {
      original.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      original.write(bytes, offset, length);
      copy.write(bytes, offset, length);
    }

    synchronized void clear() {
      copy.reset();
    }

    /** Thread name and message of each complete boot.requests line so far. */
    synchronized List<String[]> requestLines() {
      return copy.toString(StandardCharsets.UTF_8).lines().map(REQUEST_LINE::matcher).filter(Matcher::matches)
          .map(line -> new String[] {line.group(1), line.group(2)}).toList();
    }
  }

  private static List<String[]> awaitLines(int count) {
    await().atMost(Duration.ofSeconds(5)).until(() -> lines.requestLines().size() >= count);
    return lines.requestLines();
  }

  private static Object platformConsumer(String routeId) {
    return ((DefaultPlatformHttpConsumer) service.app().camelContext().getRoute(routeId).getConsumer())
        .getPlatformHttpConsumer();
  }
}
