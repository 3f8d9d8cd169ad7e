package dev.ironcore.boot.embedded;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every manifest file of a directory to a cluster (create or update, then the status a
 * manifest carries), and on a later {@link #sync()} applies what changed and deletes the objects of
 * files or documents that were removed.
 */
public class ManifestDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDirectory.class);
  private static final Map<String, Class<? extends HasMetadata>> OUR_KINDS = Map.of(
      "IPXEBootConfig", IPXEBootConfig.class,
      "HTTPBootConfig", HTTPBootConfig.class,
      "Server", Server.class,
      "ServerBootConfiguration", ServerBootConfiguration.class);

  private final KubernetesClient client;
  private final Path directory;
  private final Map<Path, Long> appliedVersions = new HashMap<>();
  private final Map<Path, List<AppliedObject>> appliedObjects = new HashMap<>();

  /** What is remembered of an applied object: enough to delete it, not the object itself. */
  private record AppliedObject(Class<? extends HasMetadata> type, String namespace, String name) {
    static AppliedObject of(HasMetadata object) {
      return new AppliedObject(object.getClass(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }
  }

  public ManifestDirectory(KubernetesClient client, Path directory) {
    this.client = client;
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Applies new and changed files, deletes what vanished; returns the number of files applied. */
  public synchronized int sync() throws IOException {
    Set<Path> present = new HashSet<>();
    int applied = 0;
    for (Path file : manifestFiles()) {
      present.add(file);
      long modified = Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
      if (!Long.valueOf(modified).equals(appliedVersions.get(file))) {
        applyFile(file);
        appliedVersions.put(file, modified);
        applied++;
      }
    }
    for (Path gone : Set.copyOf(appliedObjects.keySet())) {
      if (!present.contains(gone)) {
        appliedObjects.remove(gone).forEach(this::delete);
        appliedVersions.remove(gone);
        LOG.info("Manifest {} removed: its objects were deleted", gone.getFileName());
      }
    }
    return applied;
  }

  private List<Path> manifestFiles() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$") && !isKustomization(f)).sorted().toList();
    }
  }

  /** {@code kustomization.yaml} tells kubectl what to apply; it is no object for the API server. */
  private static boolean isKustomization(Path file) {
    return file.getFileName().toString().matches("kustomization\\.ya?ml");
  }

  private void applyFile(Path file) {
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(file)) {
      objects = client.load(in).items().stream().map(ManifestDirectory::typed).toList();
    } catch (Exception e) {
      LOG.warn("Manifest {} skipped: {}", file.getFileName(), e.getMessage());
      return;
    }
    objects.forEach(this::apply);
    List<AppliedObject> now = objects.stream().map(AppliedObject::of).toList();
    List<AppliedObject> before = appliedObjects.put(file, now);
    if (before != null) {
      before.stream().filter(old -> !now.contains(old)).forEach(this::delete);
    }
    LOG.info("Applied {} object(s) from {}", objects.size(), file.getFileName());
  }

  /** Applies one object: create or update, then its status when the manifest carries one. */
  public void apply(HasMetadata object) {
    try {
      if (object.getMetadata().getNamespace() == null && isNamespaced(object)) {
        object.getMetadata().setNamespace("default");
      }
      HasMetadata stored = client.resource(object).createOr(NonDeletingOperation::update);
      if (hasStatus(object)) {
        object.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
        client.resource(object).updateStatus();
      }
    } catch (Exception e) {
      LOG.warn("{} {}: not applied: {}", object.getKind(), object.getMetadata().getName(), e.getMessage());
    }
  }

  private void delete(AppliedObject object) {
    try {
      var resources = client.resources(object.type());
      (object.namespace() == null ? resources.withName(object.name())
          : resources.inNamespace(object.namespace()).withName(object.name())).delete();
    } catch (Exception e) {
      LOG.warn("{} {}: not deleted: {}", object.type().getSimpleName(), object.name(), e.getMessage());
    }
  }

  private static HasMetadata typed(HasMetadata object) {
    Class<? extends HasMetadata> type = OUR_KINDS.get(object.getKind());
    if (type != null && object instanceof GenericKubernetesResource) {
      return Serialization.jsonMapper().convertValue(object, type);
    }
    return object;
  }

  private static boolean isNamespaced(HasMetadata object) {
    return !(object instanceof Server) && !"Namespace".equals(object.getKind())
        && !"CustomResourceDefinition".equals(object.getKind());
  }

  private static boolean hasStatus(HasMetadata object) {
    return object instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> resource
        && Serialization.jsonMapper().valueToTree(object).hasNonNull("status")
        && resource.getStatus() != null;
  }

}
