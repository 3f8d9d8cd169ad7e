package dev.ironcore.boot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD manifests under k8s/ are generated from the model classes (with {@link UpstreamCrdConventions}
 * applied) and must not drift from them.
 * Regenerate with {@code mvn test -Dtest=CrdManifestsTest -Dcrd.update=true}.
 */
class CrdManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir
  Path generated;

  @ParameterizedTest
  @CsvSource({
      "ipxebootconfigs.boot.ironcore.dev-v1.yml, k8s/crd",
      "httpbootconfigs.boot.ironcore.dev-v1.yml, k8s/crd",
      "servers.metal.ironcore.dev-v1.yml, k8s/embedded",
      "serverbootconfigurations.metal.ironcore.dev-v1.yml, k8s/embedded"})
  void manifestInK8sEqualsTheOneGeneratedFromTheClasses(String file, String directory) throws IOException {
    // Given the CRDs generated from the model classes
    new CRDGenerator()
        .customResourceClasses(IPXEBootConfig.class, HTTPBootConfig.class, Server.class, ServerBootConfiguration.class)
        .forCRDVersions("v1")
        .withPostProcessor(new UpstreamCrdConventions(
            IPXEBootConfig.class, HTTPBootConfig.class, Server.class, ServerBootConfiguration.class))
        .inOutputDir(generated.toFile())
        .generate();
    Path fresh = generated.resolve(file);
    Path committed = Path.of(directory, file);
    if (Boolean.getBoolean("crd.update")) {
      Files.copy(fresh, committed, StandardCopyOption.REPLACE_EXISTING);
    }
    // Then the committed manifest says the same
    assertThat(read(committed.toFile())).isEqualTo(read(fresh.toFile()));
  }

  private static JsonNode read(File file) throws IOException {
    return YAML.readTree(file);
  }
}
