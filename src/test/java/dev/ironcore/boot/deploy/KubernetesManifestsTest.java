package dev.ironcore.boot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.ClientBindingSettings;
import dev.ironcore.boot.config.ImageProxyScopeSettings;
import dev.ironcore.boot.config.ShutdownSettings;
import dev.ironcore.boot.embedded.CrdManifests;
import dev.ironcore.boot.imageproxy.ImageProxySettings;
import dev.ironcore.boot.net.Cidr;
import dev.ironcore.boot.reconcile.sbc.DesiredBootConfigs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests under k8s/ hold together without a cluster: what {@code kubectl apply -k k8s/}
 * installs parses, an API server accepts it, the Deployment matches the ports the service listens
 * on, and RBAC grants what the code needs and no more.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** What BootConfigIndex runs informers for (Secrets are watched one by one, granted per namespace). */
  private static final List<Class<? extends HasMetadata>> WATCHED_KINDS =
      List.of(IPXEBootConfig.class, HTTPBootConfig.class, ServerBootConfiguration.class, Server.class);
  /** Status that DeliveryConditions patches. */
  private static final List<Class<? extends HasMetadata>> DELIVERY_STATUS_KINDS =
      List.of(IPXEBootConfig.class, HTTPBootConfig.class);
  private static final String SECRET_READER = "boot-operator-secret-reader";
  private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

  private static List<String> installedFiles;
  private static List<HasMetadata> installed;
  private static BootSettings defaults;

  @BeforeAll
  static void loadInstallationAndDefaults() throws IOException {
    installedFiles = kustomizationResources(K8S);
    installed = new ArrayList<>();
    for (String file : installedFiles) {
      installed.addAll(parse(K8S.resolve(file)));
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      properties.load(in);
    }
    defaults = BootSettings.from(properties::getProperty, name -> null);
  }

  @Test
  void everyFileOfTheKustomizationExistsAndHoldsKnownKinds() throws IOException {
    // Given the resources k8s/kustomization.yaml lists
    for (String file : installedFiles) {
      // When each is read
      Path path = K8S.resolve(file);
      assertThat(path).as(file).isRegularFile();
      List<HasMetadata> objects = parse(path);
      // Then it holds objects of kinds fabric8 knows (a misspelt apiVersion or kind would stay generic)
      assertThat(objects).as(file).isNotEmpty()
          .allSatisfy(object -> assertThat(object).isNotInstanceOf(GenericKubernetesResource.class))
          .allSatisfy(object -> assertThat(object.getMetadata().getName()).isNotBlank());
    }
  }

  @Test
  void installationHasOurCrdsButNeitherSamplesNorMetalStandIns() {
    // Given the files the kustomization installs
    // Then the CRDs among them are exactly the ones embedded mode installs as ours
    assertThat(installedFiles.stream().filter(file -> file.startsWith("crd/")).map(file -> "k8s/" + file))
        .containsExactlyInAnyOrderElementsOf(CrdManifests.BOOT);
    // And nothing comes from samples/ or embedded/
    assertThat(installedFiles).noneMatch(file -> file.startsWith("samples/") || file.startsWith("embedded/"));
  }

  @Test
  void deploymentProbesHitTheHealthPort() {
    // Given the container and the health-probe address the service listens on by default
    Container container = container();
    int healthPort = defaults.healthProbeAddress().port();
    // When the kubelet probes it
    HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
    HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();
    // Then liveness asks /healthz and readiness /readyz, both on that port
    assertThat(liveness.getPath()).isEqualTo("/healthz");
    assertThat(readiness.getPath()).isEqualTo("/readyz");
    assertThat(containerPort(container, liveness.getPort())).isEqualTo(healthPort);
    assertThat(containerPort(container, readiness.getPort())).isEqualTo(healthPort);
  }

  @Test
  void containerPortsAreTheServiceDefaults() {
    // Given the container of the Deployment
    Container container = container();
    // Then each named port is the one application.properties makes the service listen on
    assertThat(containerPort(container, new IntOrString("boot"))).isEqualTo(defaults.bootServerAddress().port());
    assertThat(containerPort(container, new IntOrString("image-proxy")))
        .isEqualTo(defaults.imageProxyServerAddress().port());
    assertThat(containerPort(container, new IntOrString("metrics"))).isEqualTo(defaults.metricsAddress().port());
    assertThat(containerPort(container, new IntOrString("health"))).isEqualTo(defaults.healthProbeAddress().port());
  }

  @Test
  void bootServiceForwardsBootAndImageProxyPorts() {
    // Given the boot Service and the container it selects
    Service service = named(Service.class, "boot-operator");
    Container container = container();
    int boot = defaults.bootServerAddress().port();
    int imageProxy = defaults.imageProxyServerAddress().port();
    // Then it selects the operator's pods
    assertThat(podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    // And exposes the boot and image-proxy ports, each forwarded to the same port of the container
    assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactlyInAnyOrder(boot, imageProxy);
    for (ServicePort port : service.getSpec().getPorts()) {
      assertThat(containerPort(container, port.getTargetPort())).as(port.getName()).isEqualTo(port.getPort());
    }
  }

  @Test
  void bootServiceKeepsClientAddressesForClientBinding() {
    // Given the boot Service, exposed to the machines
    Service service = named(Service.class, "boot-operator");
    // Then it is reachable from outside the cluster and keeps each request's source address
    assertThat(service.getSpec().getType()).isIn("LoadBalancer", "NodePort");
    assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
  }

  @Test
  void deploymentEnforcesClientBindingAndTheReferencedImageScopeWithValidSettings() {
    assertThat(containerEnvironment()).containsEntry("BOOT_CLIENT_BINDING", "enforce");
    BootSettings settings = deployedSettings();
    assertThat(settings.clientBinding().mode()).isEqualTo(ClientBindingSettings.Mode.ENFORCE);
    assertThat(settings.imageProxyScope().scope()).isEqualTo(ImageProxyScopeSettings.Scope.REFERENCED);
  }

  @Test
  void thePodsGracePeriodOutlastsTheShutdownDrain() {
    long gracePeriod = single(Deployment.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    Duration drain = deployedSettings().shutdown().timeout();

    // the kubelet's SIGKILL must not cut answers the drain still waits for, nor the stop after it
    assertThat(Duration.ofSeconds(gracePeriod)).isGreaterThanOrEqualTo(drain.plusSeconds(5));
    assertThat(drain).isGreaterThan(ShutdownSettings.DEFAULT.timeout());
  }

  private static Map<String, String> containerEnvironment() {
    Map<String, String> env = new HashMap<>();
    container().getEnv().forEach(variable -> env.put(variable.getName(), variable.getValue()));
    return env;
  }

  /** The settings the container's environment gives (BOOT_X is the environment form of boot.x); they must be valid. */
  private static BootSettings deployedSettings() {
    Properties properties = new Properties();
    containerEnvironment().forEach((name, value) -> {
      if (name.startsWith("BOOT_") && value != null) {
        properties.setProperty("boot." + name.substring(5).toLowerCase().replace('_', '-'), value);
      }
    });
    return BootSettings.from(properties::getProperty, name -> null);
  }

  @Test
  void metricsServiceForwardsTheMetricsPort() {
    // Given the metrics Service
    Service service = named(Service.class, "boot-operator-metrics");
    // Then it selects the operator's pods and forwards only the metrics port
    assertThat(podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getPort()).isEqualTo(defaults.metricsAddress().port());
      assertThat(containerPort(container(), port.getTargetPort())).isEqualTo(defaults.metricsAddress().port());
    });
  }

  @Test
  void secureMetricsMayReviewTokensAndAReaderRoleGrantsGetMetricsOnly() {
    // Given the role the service reviews scrapers' tokens with, and the one a scraper is bound to
    ClusterRole auth = named(ClusterRole.class, "boot-operator-metrics-auth");
    ClusterRole reader = named(ClusterRole.class, "boot-operator-metrics-reader");
    // Then the service may create TokenReviews and SubjectAccessReviews, nothing else
    assertThat(auth.getRules()).hasSize(2);
    assertThat(verbs(auth.getRules(), "authentication.k8s.io", "tokenreviews")).containsExactly("create");
    assertThat(verbs(auth.getRules(), "authorization.k8s.io", "subjectaccessreviews")).containsExactly("create");
    assertThat(all(ClusterRoleBinding.class)).anySatisfy(binding ->
        assertThat(binding.getRoleRef().getName()).isEqualTo("boot-operator-metrics-auth"));
    // And the reader role grants get on /metrics and nothing else
    assertThat(reader.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getNonResourceURLs()).containsExactly("/metrics");
      assertThat(rule.getVerbs()).containsExactly("get");
      assertThat(rule.getResources()).isNullOrEmpty();
    });
  }

  @Test
  void theServiceMonitorScrapesTheMetricsServicesHttpsPortWithItsToken() throws IOException {
    // Given the optional Prometheus Operator kustomization
    List<String> files = kustomizationResources(K8S.resolve("prometheus"));
    JsonNode monitor = YAML.readTree(K8S.resolve("prometheus").resolve("monitor.yaml").toFile());
    assertThat(files).contains("monitor.yaml", "metrics_reader_binding.yaml");
    assertThat(monitor.path("kind").asText()).isEqualTo("ServiceMonitor");
    // Then it scrapes /metrics over HTTPS with the scraper's ServiceAccount token
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("scheme").asText()).isEqualTo("https");
    assertThat(endpoint.path("bearerTokenFile").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
    // And it selects the metrics Service alone, by a port that Service has
    Service metrics = named(Service.class, "boot-operator-metrics");
    Map<String, String> selector = YAML.convertValue(monitor.path("spec").path("selector").path("matchLabels"),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    assertThat(metrics.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(all(Service.class)).filteredOn(service -> service.getMetadata().getLabels().entrySet()
        .containsAll(selector.entrySet())).containsExactly(metrics);
    assertThat(metrics.getSpec().getPorts()).extracting(ServicePort::getName).contains(endpoint.path("port").asText());
    // And the binding lets a ServiceAccount read metrics through the reader role
    List<HasMetadata> binding = parse(K8S.resolve("prometheus").resolve("metrics_reader_binding.yaml"));
    assertThat(binding).singleElement().isInstanceOfSatisfying(ClusterRoleBinding.class, roleBinding ->
        assertThat(roleBinding.getRoleRef().getName()).isEqualTo("boot-operator-metrics-reader"));
  }

  @Test
  void containerRunsNonRootOnAReadOnlyRootFilesystemWithWritableTmp() {
    // Given the pod template
    Deployment deployment = single(Deployment.class);
    Container container = container();
    // Then it runs as non-root with no capabilities and a read-only root
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // And the JVM still has a writable /tmp and the blob cache its directory
    assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath)
        .contains("/tmp", "/var/cache/boot-operator");
  }

  @Test
  void bindingsGrantToTheDeploymentsServiceAccount() {
    // Given the Deployment, its ServiceAccount and the bindings
    Deployment deployment = single(Deployment.class);
    ServiceAccount account = single(ServiceAccount.class);
    String namespace = deployment.getMetadata().getNamespace();
    // Then the pod runs as that account, in its namespace
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(account.getMetadata().getNamespace()).isEqualTo(namespace);
    // And every binding grants to exactly that account a role that is installed too
    List<Subject> subjects = new ArrayList<>();
    all(ClusterRoleBinding.class).forEach(binding -> {
      subjects.addAll(binding.getSubjects());
      assertRoleInstalled(binding.getRoleRef(), ClusterRole.class);
    });
    List<String> bindingNamespaces = new ArrayList<>(watchNamespaces());
    bindingNamespaces.add(namespace);
    all(RoleBinding.class).forEach(binding -> {
      subjects.addAll(binding.getSubjects());
      assertThat(binding.getMetadata().getNamespace()).isIn(bindingNamespaces);
      assertRoleInstalled(binding.getRoleRef(), binding.getMetadata().getNamespace(), Role.class);
    });
    assertThat(subjects).isNotEmpty().allSatisfy(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
      assertThat(subject.getNamespace()).isEqualTo(namespace);
    });
  }

  @Test
  void clusterRoleLetsTheInformersListAndWatchEveryKindTheyWatch() {
    // Given the ClusterRole's rules
    List<PolicyRule> rules = operatorRole().getRules();
    // Then each kind BootConfigIndex watches can be listed and watched
    for (Class<? extends HasMetadata> kind : WATCHED_KINDS) {
      assertThat(verbs(rules, group(kind), HasMetadata.getPlural(kind))).as(kind.getSimpleName())
          .contains("list", "watch");
    }
  }

  @Test
  void clusterRoleLetsDeliveryConditionsReadAndPatchBootConfigStatus() {
    // Given the ClusterRole's rules
    List<PolicyRule> rules = operatorRole().getRules();
    // Then the delivery writer may get each boot config and patch its status subresource
    for (Class<? extends HasMetadata> kind : DELIVERY_STATUS_KINDS) {
      String plural = HasMetadata.getPlural(kind);
      assertThat(verbs(rules, group(kind), plural)).as(plural).contains("get");
      assertThat(verbs(rules, group(kind), plural + "/status")).as(plural + "/status").contains("patch");
    }
  }

  @Test
  void clusterRoleLetsTheSbcControllerCreateUpdateAndDeleteTheBootConfigsItControls() {
    // Given the ClusterRole's rules
    List<PolicyRule> rules = operatorRole().getRules();
    // Then the SBC controller may create and update its children, and delete one its image no longer offers
    for (Class<? extends HasMetadata> kind : DELIVERY_STATUS_KINDS) {
      String plural = HasMetadata.getPlural(kind);
      assertThat(verbs(rules, group(kind), plural)).as(plural).contains("create", "update", "delete");
    }
  }

  @Test
  void noRoleWritesSecretsOrUsesWildcards() {
    // Given every rule of every role installed
    List<PolicyRule> rules = new ArrayList<>(operatorRole().getRules());
    all(Role.class).forEach(role -> rules.addAll(role.getRules()));
    // Then no rule names "*" as group, resource or verb
    assertThat(rules).allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getVerbs()).doesNotContain("*");
    });
    // And Secrets are read only
    assertThat(verbs(rules, "", "secrets")).isNotEmpty().doesNotContainAnyElementsOf(WRITE_VERBS);
  }

  @Test
  void secretsAreReadableOnlyByNameInEachWatchedNamespaceAndNowhereElse() {
    // Given the namespaces the Deployment watches
    List<String> watched = watchNamespaces();
    assertThat(watched).as("BOOT_WATCH_NAMESPACES").isNotEmpty();
    // Then the ClusterRole grants nothing on Secrets
    assertThat(verbs(operatorRole().getRules(), "", "secrets")).isEmpty();
    // And exactly the watched namespaces have a Role that lets the per-Secret watches list and watch, no more
    List<Role> secretRoles = all(Role.class).stream()
        .filter(role -> !verbs(role.getRules(), "", "secrets").isEmpty()).toList();
    assertThat(secretRoles).extracting(role -> role.getMetadata().getNamespace())
        .containsExactlyInAnyOrderElementsOf(watched);
    assertThat(secretRoles).allSatisfy(role -> {
      assertThat(role.getMetadata().getName()).isEqualTo(SECRET_READER);
      assertThat(verbs(role.getRules(), "", "secrets")).containsExactlyInAnyOrder("list", "watch");
      assertThat(role.getRules().stream().flatMap(rule -> rule.getResources().stream())).containsOnly("secrets");
    });
    // And each is bound there to the operator's ServiceAccount
    for (String namespace : watched) {
      assertThat(all(RoleBinding.class)).as(namespace).anySatisfy(binding -> {
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(binding.getRoleRef().getName()).isEqualTo(SECRET_READER);
        assertThat(binding.getSubjects()).extracting(Subject::getName).containsExactly("boot-operator");
      });
    }
  }

  @Test
  void leaderElectionRoleCoversOnlyLeasesInTheOperatorsNamespace() {
    // Given the namespaced Role
    Role role = named(Role.class, "boot-operator-leader-election");
    List<PolicyRule> rules = role.getRules();
    // Then it lives where the operator runs
    assertThat(role.getMetadata().getNamespace()).isEqualTo(single(Deployment.class).getMetadata().getNamespace());
    // And grants what client-go's election does with its Lease, nothing else
    assertThat(rules.stream().flatMap(rule -> rule.getResources().stream())).containsOnly("leases");
    assertThat(verbs(rules, "coordination.k8s.io", "leases")).containsExactlyInAnyOrder("get", "create", "update");
  }

  @Test
  void samplesKustomizationListsEverySampleFile() throws IOException {
    // Given the sample directory and its kustomization
    Path samples = K8S.resolve("samples");
    List<String> listed = kustomizationResources(samples);
    // Then every manifest file there is listed, and every listed file parses
    try (Stream<Path> files = Files.list(samples)) {
      assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(file -> file.getFileName().toString())
          .filter(name -> name.matches(".*\\.ya?ml") && !name.startsWith("kustomization.")).toList());
    }
    for (String file : listed) {
      assertThat(parse(samples.resolve(file))).as(file).isNotEmpty();
    }
  }

  @Test
  void networkPolicyLetsMachinesReachTheBootPortsAndMonitoringTheMetricsPortAndNothingElseIn() {
    // Given the NetworkPolicy and the settings the Deployment's container runs with
    NetworkPolicy policy = single(NetworkPolicy.class);
    BootSettings settings = containerSettings();
    Set<Integer> bootPorts = new LinkedHashSet<>(List.of(settings.bootServerAddress().port(),
        settings.imageProxyServerAddress().port()));
    if (settings.tls().enabled()) {
      bootPorts.add(settings.tls().address().port());
    }
    // Then it selects the operator's pods and polices what comes in
    assertThat(podLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getMetadata().getNamespace()).isEqualTo(single(Deployment.class).getMetadata().getNamespace());
    assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
    // And lets in exactly two kinds of peer, each named, each to named TCP ports (none opens every port)
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    assertThat(rules).hasSize(2).allSatisfy(rule -> {
      assertThat(rule.getFrom()).isNotEmpty();
      assertThat(rule.getPorts()).isNotEmpty().allSatisfy(port -> assertThat(port.getProtocol()).isEqualTo("TCP"));
    });
    // The machine network (a CIDR the site sets) to the ports the service serves boot requests on
    // (HTTPS only while the Deployment configures TLS: it does not)
    NetworkPolicyIngressRule machines = rules.get(0);
    assertThat(machines.getFrom()).singleElement().satisfies(peer -> {
      assertThat(Cidr.parse(peer.getIpBlock().getCidr())).isNotNull();
      assertThat(peer.getNamespaceSelector()).isNull();
      assertThat(peer.getPodSelector()).isNull();
    });
    assertThat(ports(machines)).containsExactlyInAnyOrderElementsOf(bootPorts);
    assertThat(settings.tls().enabled()).isFalse();
    // Monitoring, the namespace whose Prometheus k8s/prometheus lets read metrics, to the metrics port only
    NetworkPolicyIngressRule monitoring = rules.get(1);
    assertThat(monitoring.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getIpBlock()).isNull();
      assertThat(peer.getPodSelector()).isNull();
      assertThat(peer.getNamespaceSelector().getMatchLabels())
          .containsExactly(Map.entry("kubernetes.io/metadata.name", scraperNamespace()));
    });
    assertThat(ports(monitoring)).containsExactly(settings.metricsAddress().port());
    // And the health port is in no rule: the kubelet probes from the pod's own node, which policies let through
    assertThat(rules).noneSatisfy(rule ->
        assertThat(ports(rule)).contains(settings.healthProbeAddress().port()));
  }

  @Test
  void blobCacheVolumeAndEphemeralStorageLimitMatchTheCacheBound() {
    // Given the bound the container sets explicitly, as the service reads it
    Map<String, String> env = new HashMap<>();
    container().getEnv().forEach(variable -> env.put(variable.getName(), variable.getValue()));
    assertThat(env).containsKey("BOOT_BLOB_CACHE_MAX_BYTES");
    BootSettings settings = containerSettings();
    BigDecimal cacheBound = BigDecimal.valueOf(settings.blobCacheMaxBytes());
    // And the volume mounted where the cache lives
    String cacheDir = settings.blobCacheDir().orElse(ImageProxySettings.DEFAULT_CACHE_DIR).toString();
    String cacheVolume = container().getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(cacheDir))
        .map(VolumeMount::getName).findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + cacheDir));
    List<Volume> volumes = single(Deployment.class).getSpec().getTemplate().getSpec().getVolumes();
    // Then every emptyDir is bounded
    assertThat(volumes).filteredOn(volume -> volume.getEmptyDir() != null).isNotEmpty()
        .allSatisfy(volume -> assertThat(volume.getEmptyDir().getSizeLimit()).as(volume.getName()).isNotNull());
    // And the cache's volume holds the bound with 5-25% headroom (blobs still read past their eviction)
    BigDecimal cacheLimit = sizeLimit(volumes, cacheVolume);
    assertThat(cacheLimit).isBetween(cacheBound.multiply(new BigDecimal("1.05")), cacheBound.multiply(new BigDecimal("1.25")));
    // And the container's ephemeral storage holds every emptyDir and more (its logs), but not much more
    BigDecimal volumesLimit = volumes.stream().filter(volume -> volume.getEmptyDir() != null)
        .map(volume -> sizeLimit(volumes, volume.getName())).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(volumesLimit).isGreaterThan(cacheLimit);
    BigDecimal ephemeral = Quantity.getAmountInBytes(container().getResources().getLimits().get("ephemeral-storage"));
    assertThat(ephemeral).isGreaterThan(volumesLimit).isLessThanOrEqualTo(volumesLimit.multiply(new BigDecimal("1.25")));
    assertThat(Quantity.getAmountInBytes(container().getResources().getRequests().get("ephemeral-storage")))
        .isLessThanOrEqualTo(ephemeral);
  }

  @Test
  void imageIsPinnedToThisProjectsRelease() throws Exception {
    // Given the container's image and the project's version
    String image = container().getImage();
    String version = XPathFactory.newInstance().newXPath().evaluate("/project/version",
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()));
    // Then it names a tag (after the registry's port, if any), not latest: the release of this version
    String tag = image.substring(image.lastIndexOf('/') + 1);
    assertThat(tag).contains(":");
    tag = tag.substring(tag.indexOf(':') + 1);
    assertThat(tag).isNotEqualTo("latest").isEqualTo(version.replace("-SNAPSHOT", ""));
  }

  @Test
  void clusterRoleLetsTheSbcControllerSetBlockOwnerDeletionOnItsChildren() {
    // Given the owner reference the SBC controller puts on every boot config it creates
    ServerBootConfiguration sbc = new ServerBootConfiguration();
    sbc.setMetadata(new ObjectMetaBuilder().withName("sbc").withNamespace("default").withUid("u-1").build());
    OwnerReference owner = DesiredBootConfigs.controllerReference(sbc);
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    // Then the ClusterRole may update the owner's finalizers (what the API asks of whoever sets
    // blockOwnerDeletion), and nothing more on that subresource
    String group = owner.getApiVersion().substring(0, owner.getApiVersion().indexOf('/'));
    assertThat(owner.getKind()).isEqualTo(HasMetadata.getKind(ServerBootConfiguration.class));
    assertThat(verbs(operatorRole().getRules(), group, HasMetadata.getPlural(ServerBootConfiguration.class) + "/finalizers"))
        .containsExactly("update");
  }

  @Test
  void apiServerAcceptsEveryInstalledObject() throws IOException {
    // Given an empty API server (fabric8's CRUD mock)
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of()), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient client = server.createClient()) {
      // When every object of the kustomization is created in order
      for (HasMetadata object : installed) {
        client.resource(object).create();
      }
      // Then each can be read back
      assertThat(installed).allSatisfy(object ->
          assertThat(client.resource(object).get()).as(object.getKind() + " " + object.getMetadata().getName())
              .isNotNull());
    } finally {
      server.destroy();
    }
  }

  private static List<String> kustomizationResources(Path directory) throws IOException {
    JsonNode kustomization = YAML.readTree(directory.resolve("kustomization.yaml").toFile());
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(resource -> resources.add(resource.asText()));
    return resources;
  }

  /** All objects of a (multi-document) manifest file. */
  private static List<HasMetadata> parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = SERIALIZATION.unmarshal(in);
      List<HasMetadata> objects = new ArrayList<>();
      if (parsed instanceof List<?> documents) {
        documents.forEach(document -> objects.add((HasMetadata) document));
      } else if (parsed != null) {
        objects.add((HasMetadata) parsed);
      }
      return objects;
    }
  }

  /** The settings the container runs with: its BOOT_X variables as the boot.x properties they stand for. */
  private static BootSettings containerSettings() {
    Properties properties = new Properties();
    container().getEnv().forEach(variable -> {
      if (variable.getName().startsWith("BOOT_") && variable.getValue() != null) {
        properties.setProperty("boot." + variable.getName().substring(5).toLowerCase().replace('_', '-'),
            variable.getValue());
      }
    });
    return BootSettings.from(properties::getProperty, name -> null);
  }

  private static List<Integer> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream().map(NetworkPolicyPort::getPort).map(IntOrString::getIntVal).toList();
  }

  private static BigDecimal sizeLimit(List<Volume> volumes, String name) {
    return volumes.stream().filter(volume -> volume.getName().equals(name)).findFirst()
        .map(volume -> Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()))
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  /** The namespace of the scraper k8s/prometheus lets read metrics. */
  private static String scraperNamespace() {
    try {
      List<HasMetadata> binding = parse(K8S.resolve("prometheus").resolve("metrics_reader_binding.yaml"));
      return ((ClusterRoleBinding) binding.get(0)).getSubjects().get(0).getNamespace();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T extends HasMetadata> List<T> all(Class<T> kind) {
    return installed.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The ClusterRole of what the operator reads and writes (the others serve metrics). */
  private static ClusterRole operatorRole() {
    return named(ClusterRole.class, "boot-operator");
  }

  private static <T extends HasMetadata> T single(Class<T> kind) {
    List<T> objects = all(kind);
    assertThat(objects).as(kind.getSimpleName()).hasSize(1);
    return objects.get(0);
  }

  private static <T extends HasMetadata> T named(Class<T> kind, String name) {
    return all(kind).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(kind.getSimpleName() + " " + name + " is not installed"));
  }

  private static Container container() {
    return single(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> podLabels() {
    return single(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
  }

  /** The container port a probe or Service target names, by number or by port name. */
  private static int containerPort(Container container, IntOrString target) {
    if (target.getIntVal() != null) {
      assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort).contains(target.getIntVal());
      return target.getIntVal();
    }
    return container.getPorts().stream().filter(port -> target.getStrVal().equals(port.getName()))
        .map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + target.getStrVal()));
  }

  private static void assertRoleInstalled(RoleRef ref, Class<? extends HasMetadata> kind) {
    assertThat(ref.getKind()).isEqualTo(kind.getSimpleName());
    assertThat(all(kind)).extracting(role -> role.getMetadata().getName()).contains(ref.getName());
  }

  private static void assertRoleInstalled(RoleRef ref, String namespace, Class<? extends HasMetadata> kind) {
    assertThat(ref.getKind()).isEqualTo(kind.getSimpleName());
    assertThat(all(kind)).anySatisfy(role -> {
      assertThat(role.getMetadata().getName()).isEqualTo(ref.getName());
      assertThat(role.getMetadata().getNamespace()).isEqualTo(namespace);
    });
  }

  /** BOOT_WATCH_NAMESPACES of the container, read as the service reads boot.watch-namespaces. */
  private static List<String> watchNamespaces() {
    String value = container().getEnv().stream().filter(env -> env.getName().equals("BOOT_WATCH_NAMESPACES"))
        .map(EnvVar::getValue).findFirst().orElse("");
    return BootSettings.from(Map.of("boot.watch-namespaces", value)::get, name -> null)
        .secretWatch().watchNamespaces();
  }

  /** The verbs the rules grant on one resource of one API group ("" is the core group). */
  private static Set<String> verbs(List<PolicyRule> rules, String group, String resource) {
    Set<String> verbs = new LinkedHashSet<>();
    rules.stream()
        .filter(rule -> rule.getApiGroups().contains(group) && rule.getResources().contains(resource))
        .forEach(rule -> verbs.addAll(rule.getVerbs()));
    return verbs;
  }

  private static String group(Class<? extends HasMetadata> kind) {
    String group = HasMetadata.getGroup(kind);
    return group == null ? "" : group;
  }
}
