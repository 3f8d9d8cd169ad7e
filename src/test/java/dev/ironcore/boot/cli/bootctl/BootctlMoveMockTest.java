package dev.ironcore.boot.cli.bootctl;

import static dev.ironcore.boot.testing.Fixtures.NAMESPACE;
import static dev.ironcore.boot.testing.Fixtures.httpConfig;
import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ownedBy;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.sbc;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.boot.BootConfigState;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.MetalGroup;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootctl move} run in-process between two mock API servers, each reached through a kubeconfig file. */
class BootctlMoveMockTest {
  private static final String UUID = "8a1b2c3d-0000-4000-8000-000000000001";
  private static final Map<String, String> IGNITION = Map.of("ignition", "{\"ignition\":{\"version\":\"3.4.0\"}}");

  @TempDir
  Path dir;

  private MockCluster sourceCluster;
  private MockCluster targetCluster;
  private CountingCreates targetCreates;
  private KubernetesClient source;
  private KubernetesClient target;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startClusters() {
    startClusters(null, null);
  }

  /** Replaces the target by one whose creates and deletes on these paths fail (see {@link CountingCreates}). */
  private void startClusters(String failingPath, String failingDeletes) {
    closeClusters();
    sourceCluster = new MockCluster();
    targetCreates = new CountingCreates(failingPath, failingDeletes);
    targetCluster = new MockCluster(targetCreates);
    source = sourceCluster.newClient();
    target = targetCluster.newClient();
  }

  @AfterEach
  void closeClusters() {
    for (AutoCloseable closeable : new AutoCloseable[] {source, target, sourceCluster, targetCluster}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void movesConfigsWithTheirIgnitionSecretsAndRepointsOwnersToTheTargetSbc() throws IOException {
    // Given an SBC's two children sharing one Secret, a standalone config with its own, and the SBC in both clusters
    String sourceSbcUid = create(source, sbc("node-1", "server-1")).getMetadata().getUid();
    HTTPBootConfig http = httpConfig("node-1", UUID, List.of("10.0.0.1"), "http://images/uki.efi");
    http.getSpec().setIgnitionSecretRef(ref("node-1-ignition"));
    http = create(source, ownedBy(http, "node-1"), sourceSbcUid);
    http.getStatus().setState(BootConfigState.READY);
    source.resource(http).updateStatus();
    IPXEBootConfig ipxe = ipxeConfig("node-1", UUID, "http://k", "http://i", null);
    ipxe.getSpec().setIgnitionSecretRef(ref("node-1-ignition"));
    create(source, ownedBy(ipxe, "node-1"), sourceSbcUid);
    IPXEBootConfig standalone = ipxeConfig("standalone", UUID, "http://k2", "http://i2", "http://s2");
    standalone.getSpec().setIgnitionSecretRef(ref("standalone-ignition"));
    standalone.getSpec().setIpxeScriptSecretRef(ref("standalone-script"));
    create(source, standalone);
    create(source, secret("node-1-ignition", IGNITION));
    create(source, secret("standalone-ignition", IGNITION));
    create(source, secret("standalone-script", Map.of("ipxe-script", "#!ipxe")));
    String targetSbcUid = create(target, sbc("node-1", "server-1")).getMetadata().getUid();
    targetCreates.arm();

    // When
    int exit = move("--verbose");

    // Then every config and ignition Secret arrives once, owned by the target's SBC, without the source's status
    assertThat(exit).as(stderr()).isZero();
    assertThat(targetCreates.stored()).isEqualTo(5);
    HTTPBootConfig movedHttp = target.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("node-1").get();
    assertThat(movedHttp.getSpec().getUkiURL()).isEqualTo("http://images/uki.efi");
    assertThat(movedHttp.getSpec().getNetworkIdentifiers()).containsExactly("10.0.0.1");
    assertThat(movedHttp.getStatus() == null || movedHttp.getStatus().getState() == null).isTrue();
    assertThat(targetSbcUid).isNotEqualTo(sourceSbcUid);
    assertOwnedByTargetSbc(movedHttp, targetSbcUid);
    assertOwnedByTargetSbc(target.resources(IPXEBootConfig.class).inNamespace(NAMESPACE).withName("node-1").get(),
        targetSbcUid);
    IPXEBootConfig movedStandalone =
        target.resources(IPXEBootConfig.class).inNamespace(NAMESPACE).withName("standalone").get();
    assertThat(movedStandalone.getSpec().getSquashfsURL()).isEqualTo("http://s2");
    assertThat(movedStandalone.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(secretData(target, "node-1-ignition")).isEqualTo(secretData(source, "node-1-ignition"));
    assertThat(secretData(target, "standalone-ignition")).isEqualTo(secretData(source, "standalone-ignition"));
    // As in Go, only ignition Secrets travel: the iPXE script Secret stays behind
    assertThat(target.secrets().inNamespace(NAMESPACE).withName("standalone-script").get()).isNull();
    assertThat(stdout())
        .contains("found 1 HTTPBootConfig(s) in the source cluster: default/node-1")
        .contains("created HTTPBootConfig default/node-1, owned by ServerBootConfiguration default/node-1 (uid "
            + targetSbcUid + ")")
        .contains("created Secret default/node-1-ignition")
        .contains("moved 5 object(s) to the target cluster, 0 identical object(s) skipped")
        .doesNotContain("3.4.0");
  }

  @Test
  void aConfigWhoseSbcIsMissingInTheTargetArrivesWithoutAnOwner() throws IOException {
    // Given a config owned by an SBC that the target does not have
    create(source, ownedBy(httpConfig("node-1", UUID, List.of(), "http://images/uki.efi"), "node-1"));
    targetCreates.arm();

    // When
    int exit = move();

    // Then it is created without owner references, as Go's bootctl does
    assertThat(exit).as(stderr()).isZero();
    assertThat(target.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("node-1").get()
        .getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void movesOnlyTheNamespaceAsked() throws IOException {
    // Given configs in two namespaces
    create(source, httpConfig("in-default", UUID, List.of(), "http://images/a.efi"));
    HTTPBootConfig other = httpConfig("in-other", UUID, List.of(), "http://images/b.efi");
    other.getMetadata().setNamespace("other");
    create(source, other);

    // When
    int exit = move("--namespace", "other");

    // Then only the other namespace's config arrives
    assertThat(exit).as(stderr()).isZero();
    assertThat(target.resources(HTTPBootConfig.class).inAnyNamespace().list().getItems())
        .extracting(config -> config.getMetadata().getNamespace() + "/" + config.getMetadata().getName())
        .containsExactly("other/in-other");
  }

  @Test
  void skipsObjectsAlreadyIdenticalInTheTarget() throws IOException {
    // Given a config and its Secret present, field for field, in both clusters, and one new config
    HTTPBootConfig present = httpConfig("present", UUID, List.of("10.0.0.2"), "http://images/a.efi");
    present.getSpec().setIgnitionSecretRef(ref("present-ignition"));
    create(source, present);
    create(source, secret("present-ignition", IGNITION));
    HTTPBootConfig inTarget = create(target, httpConfig("present", UUID, List.of("10.0.0.2"), "http://images/a.efi"));
    inTarget.getSpec().setIgnitionSecretRef(ref("present-ignition"));
    inTarget = target.resource(inTarget).update();
    create(target, secret("present-ignition", IGNITION));
    create(source, httpConfig("new", UUID, List.of(), "http://images/b.efi"));
    targetCreates.arm();

    // When
    int exit = move("--verbose");

    // Then only the new config is created; the present one is left untouched
    assertThat(exit).as(stderr()).isZero();
    assertThat(targetCreates.stored()).isEqualTo(1);
    assertThat(target.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("present").get()
        .getMetadata().getResourceVersion()).isEqualTo(inTarget.getMetadata().getResourceVersion());
    assertThat(stdout()).contains("skipped HTTPBootConfig default/present: identical in the target cluster")
        .contains("moved 1 object(s) to the target cluster, 1 identical object(s) skipped");
  }

  @Test
  void aConfigThatDiffersInTheTargetFailsBeforeAnythingIsWritten() throws IOException {
    // Given one new config and one whose target copy has another UKI URL
    create(source, httpConfig("a-new", UUID, List.of(), "http://images/a.efi"));
    create(source, httpConfig("b-differs", UUID, List.of(), "http://images/b.efi"));
    create(target, httpConfig("b-differs", UUID, List.of(), "http://images/other.efi"));
    targetCreates.arm();

    // When
    int exit = move();

    // Then it fails naming the object, and the target is as it was
    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("a \"default/b-differs\" object already exists in the target cluster "
        + "and is different than in the source cluster");
    assertThat(targetCreates.stored()).isZero();
    assertThat(target.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("a-new").get()).isNull();
    assertThat(target.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("b-differs").get()
        .getSpec().getUkiURL()).isEqualTo("http://images/other.efi");
  }

  @Test
  void anIgnitionSecretThatDiffersInTheTargetFails() throws IOException {
    // Given a config whose Secret exists in the target with other data
    HTTPBootConfig config = httpConfig("node-1", UUID, List.of(), "http://images/a.efi");
    config.getSpec().setIgnitionSecretRef(ref("node-1-ignition"));
    create(source, config);
    create(source, secret("node-1-ignition", IGNITION));
    create(target, secret("node-1-ignition", Map.of("ignition", "{}")));
    targetCreates.arm();

    // When
    int exit = move();

    // Then it fails naming the Secret (never its data), and nothing is written
    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("a \"default/node-1-ignition\" secret already exists in the target cluster "
        + "and is different than in the source cluster").doesNotContain("3.4.0");
    assertThat(targetCreates.stored()).isZero();
  }

  @Test
  void aMissingOwnerWithRequireOwnersFailsAndLeavesNothingBehind() throws IOException {
    // Given an owned config with a Secret, and an unowned one listed before it, while the target lacks the SBC
    create(source, httpConfig("a-unowned", UUID, List.of(), "http://images/a.efi"));
    HTTPBootConfig owned = httpConfig("node-1", UUID, List.of(), "http://images/b.efi");
    owned.getSpec().setIgnitionSecretRef(ref("node-1-ignition"));
    create(source, ownedBy(owned, "node-1"));
    create(source, secret("node-1-ignition", IGNITION));
    targetCreates.arm();

    // When
    int exit = move("--require-owners");

    // Then
    assertThat(exit).isEqualTo(1);
    assertThat(stderr())
        .contains("an owner ServerBootConfiguration \"default/node-1\" wasn't found in the target cluster");
    assertThat(target.resources(HTTPBootConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(target.secrets().inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aTargetFailingHalfWayGetsEverythingCreatedSoFarDeletedAgain() throws IOException {
    // Given a target whose storage fails every IPXEBootConfig create, after the HTTPBootConfigs and Secrets went in
    startClusters("/ipxebootconfigs", null);
    createTwoHttpConfigsAndAnIpxeConfig();

    // When
    int exit = move();

    // Then four objects were created, the fifth failed, and all four are gone again
    assertThat(exit).isEqualTo(1);
    assertThat(targetCreates.stored()).isEqualTo(4);
    assertThat(stderr())
        .contains("object \"default/node-3\" couldn't be created in the target cluster: the API server answered 500")
        .contains("clean up of already moved objects was performed to restore a target cluster's state: "
            + "deleted the 4 object(s) created so far");
    assertThat(target.resources(HTTPBootConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(target.resources(IPXEBootConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(target.secrets().inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void whatTheRollBackCouldNotDeleteIsNamed() throws IOException {
    // Given a target that fails the IPXEBootConfig create and every Secret delete
    startClusters("/ipxebootconfigs", "/secrets/");
    createTwoHttpConfigsAndAnIpxeConfig();

    // When
    int exit = move();

    // Then the configs are gone, and the Secrets left behind are named for the operator to delete
    assertThat(exit).isEqualTo(1);
    assertThat(target.resources(HTTPBootConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(stderr()).contains("could not delete Secret default/node-2-ignition (the API server answered 500: "
        + "etcdserver: request timed out), Secret default/node-1-ignition (the API server answered 500: "
        + "etcdserver: request timed out); delete them by hand");
  }

  private void createTwoHttpConfigsAndAnIpxeConfig() {
    for (String name : List.of("node-1", "node-2")) {
      HTTPBootConfig config = httpConfig(name, UUID, List.of(), "http://images/" + name + ".efi");
      config.getSpec().setIgnitionSecretRef(ref(name + "-ignition"));
      create(source, config);
      create(source, secret(name + "-ignition", IGNITION));
    }
    create(source, ipxeConfig("node-3", UUID, "http://k", "http://i", null));
    targetCreates.arm();
  }

  @Test
  void aDryRunSaysWhatItWouldDoAndWritesNothing() throws IOException {
    // Given an owned config with its Secret, and the SBC in the target
    create(source, sbc("node-1", "server-1"));
    HTTPBootConfig config = httpConfig("node-1", UUID, List.of(), "http://images/a.efi");
    config.getSpec().setIgnitionSecretRef(ref("node-1-ignition"));
    create(source, ownedBy(config, "node-1"));
    create(source, secret("node-1-ignition", IGNITION));
    String targetSbcUid = create(target, sbc("node-1", "server-1")).getMetadata().getUid();
    targetCreates.arm();

    // When
    int exit = move("--dry-run");

    // Then
    assertThat(exit).as(stderr()).isZero();
    assertThat(targetCreates.stored()).isZero();
    assertThat(target.resources(HTTPBootConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(target.secrets().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(stdout())
        .contains("would create HTTPBootConfig default/node-1, owned by ServerBootConfiguration default/node-1 (uid "
            + targetSbcUid + ")")
        .contains("would create Secret default/node-1-ignition")
        .contains("dry run: 2 object(s) would be moved to the target cluster, 0 identical object(s) skipped; "
            + "nothing was written");
  }

  @Test
  void anUnreachableTargetFailsNamingWhatItWasDoing() throws IOException {
    // Given a target kubeconfig pointing at a loopback port nobody listens on
    create(source, httpConfig("node-1", UUID, List.of(), "http://images/a.efi"));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    // When
    int exit = BootctlCommand.run(new String[] {"move", "--source-kubeconfig", kubeconfig("source",
        sourceCluster.address().getPort()), "--target-kubeconfig", kubeconfig("target", closedPort)}, print(out),
        print(err));

    // Then
    assertThat(exit).isEqualTo(1);
    assertThat(stderr())
        .contains("failed to check an object existence in the target cluster: the API server could not be reached");
  }

  @Test
  void anUnreadableKubeconfigFails() {
    int exit = BootctlCommand.run(new String[] {"move", "--source-kubeconfig", dir.resolve("absent").toString(),
        "--target-kubeconfig", dir.resolve("absent").toString()}, print(out), print(err));

    assertThat(exit).isEqualTo(1);
    assertThat(stderr()).contains("failed to construct a source cluster client: failed to load cluster kubeconfig: "
        + "cannot read " + dir.resolve("absent"));
  }

  private static void assertOwnedByTargetSbc(HasMetadata config, String targetSbcUid) {
    assertThat(config.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getApiVersion()).isEqualTo(MetalGroup.API_VERSION);
      assertThat(owner.getKind()).isEqualTo("ServerBootConfiguration");
      assertThat(owner.getName()).isEqualTo("node-1");
      assertThat(owner.getUid()).isEqualTo(targetSbcUid);
      assertThat(owner.getController()).isTrue();
    });
  }

  private int move(String... flags) throws IOException {
    String[] args = new String[flags.length + 5];
    args[0] = "move";
    args[1] = "--source-kubeconfig";
    args[2] = kubeconfig("source", sourceCluster.address().getPort());
    args[3] = "--target-kubeconfig=" + kubeconfig("target", targetCluster.address().getPort());
    args[4] = "--namespace=";
    System.arraycopy(flags, 0, args, 5, flags.length);
    return BootctlCommand.run(args, print(out), print(err));
  }

  /** A kubeconfig whose current context reaches the mock API on loopback. */
  private String kubeconfig(String name, int port) throws IOException {
    Path file = dir.resolve(name + ".kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: http://127.0.0.1:%2$d
        users:
        - name: %1$s
          user:
            token: test-token
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
        current-context: %1$s
        """.formatted(name, port));
    return file.toString();
  }

  private static <T extends HasMetadata> T create(KubernetesClient client, T object) {
    return client.resource(object).create();
  }

  /** Creates {@code object} with its owner reference pointing at the SBC's real uid in that cluster. */
  private static <T extends HasMetadata> T create(KubernetesClient client, T object, String ownerUid) {
    OwnerReference owner = object.getMetadata().getOwnerReferences().get(0);
    owner.setUid(ownerUid);
    return create(client, object);
  }

  private static Map<String, String> secretData(KubernetesClient client, String name) {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
    return secret.getData() == null || secret.getData().isEmpty() ? secret.getStringData() : secret.getData();
  }

  private static PrintStream print(ByteArrayOutputStream buffer) {
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
