package dev.ironcore.boot.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded mode boots from a copy of k8s/samples and serves every endpoint from it. */
class EmbeddedModeTest {
  private static final String LIVE = "8a1b2c3d-0000-4000-8000-000000000001";
  private static final String DISK = "8a1b2c3d-0000-4000-8000-000000000002";
  private static final String RESCUE = "8a1b2c3d-0000-4000-8000-000000000003";
  private static final String UKI = "8a1b2c3d-0000-4000-8000-000000000004";

  @TempDir
  static Path manifests;

  private static BootServiceUnderTest service;

  @BeforeAll
  static void startEmbedded() throws Exception {
    try (var samples = Files.list(Path.of("k8s/samples"))) {
      for (Path sample : samples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(sample, manifests.resolve(sample.getFileName()));
      }
    }
    service = BootServiceUnderTest.startSynced(null, Map.of(
        "boot.cluster", "embedded",
        "boot.manifests-dir", manifests.toString(),
        "boot.default-httpboot-uki-url", "http://images.example/default.efi",
        // loopback only: the samples name ghcr.io images, which neither a controller nor prefetch may fetch here
        "boot.allowed-registries", "127.0.0.1", "boot.image-prefetch", "false"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @Test
  void servesEverySampleEndpoint() throws Exception {
    String serviceUrl = "http://127.0.0.1:" + service.bootPort();
    assertThat(service.get("/ipxe/").body()).contains("set ipxe-svc " + serviceUrl);
    assertThat(service.get("/ipxe/" + LIVE).body()).contains("set squashfs-url http://");
    assertThat(service.get("/ipxe/" + DISK).body()).contains("set kernel-url http://images.example/disk/vmlinuz")
        .doesNotContain("squashfs");
    assertThat(service.get("/ipxe/" + RESCUE).body()).startsWith("#!ipxe\necho Booting the rescue image");
    assertThat(service.get("/ignition/" + LIVE).body()).startsWith("{\"ignition\":{\"version\":\"3.3.0\"}");
    assertThat(service.get("/httpboot", "X-Forwarded-For", "aa-bb-cc-dd-ee-04").body())
        .contains("\"SystemUUID\":\"" + UKI + "\"");
    assertThat(service.get("/httpboot", "X-Forwarded-For", "192.0.2.1").body())
        .contains("http://images.example/default.efi");
    assertThat(service.send(service.healthPort(), "GET", "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void appliesTheStatusAManifestCarries() {
    Server server = service.app().index().server("sample-server").orElseThrow();

    assertThat(server.getStatus().getNetworkInterfaces()).singleElement()
        .satisfies(nic -> assertThat(nic.getMacAddress()).isEqualTo("aa:bb:cc:dd:ee:01"));
  }

  @Test
  void picksUpAddedEditedAndRemovedFilesWithoutARestart() throws Exception {
    // When a manifest is added
    Path added = manifests.resolve("zz-added.yaml");
    Files.writeString(added, """
        apiVersion: boot.ironcore.dev/v1alpha1
        kind: IPXEBootConfig
        metadata: {name: added, namespace: default}
        spec: {systemUUID: added-machine, kernelURL: http://a/kernel, initrdURL: http://a/initrd}
        """);
    // Then its config is served
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(service.get("/ipxe/added-machine").body()).contains("http://a/kernel"));

    // When it is edited
    Files.writeString(added, Files.readString(added).replace("http://a/kernel", "http://b/kernel-2"));
    // Then the new value is served
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(service.get("/ipxe/added-machine").body()).contains("http://b/kernel-2"));

    // When it is removed, its object goes too
    Files.delete(added);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(service.get("/ipxe/added-machine").statusCode()).isEqualTo(404));
  }
}
