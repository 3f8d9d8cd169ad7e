package dev.ironcore.boot.testing.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ironcore.boot.oci.Descriptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes blobs, image manifests and indexes to a {@link TestRegistry} over the registry HTTP API:
 * monolithic uploads ({@code POST} then {@code PUT ?digest=}), manifests by {@code PUT}. With token
 * auth it asks the registry's {@link TokenIssuer} for a push token directly.
 */
public final class ImagePusher {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String CONFIG = "application/vnd.ironcore.image.config.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestRegistry registry;
  private final HttpClient client = HttpClient.newHttpClient();

  public ImagePusher(TestRegistry registry) {
    this.registry = registry;
  }

  /** Uploads a blob (a layer) and returns its descriptor. */
  public Descriptor layer(String repository, String mediaType, byte[] content) throws Exception {
    HttpResponse<String> started = send(repository, HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), 202);
    String location = started.headers().firstValue("Location").orElseThrow();
    String digest = sha256(content);
    URI upload = URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    send(repository, HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201);
    return Descriptor.of(mediaType, digest, content.length);
  }

  /** An OCI image manifest with a small config and these layers, tagged (or pushed by digest when tag is null). */
  public Descriptor image(String repository, String tag, List<Descriptor> layers) throws Exception {
    Descriptor config = layer(repository, CONFIG, "{}".getBytes(UTF_8));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", json(config));
    manifest.put("layers", layers.stream().map(ImagePusher::json).toList());
    return manifest(repository, tag, OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
  }

  /** An OCI image index listing these manifests (with their platforms and annotations) in order. */
  public Descriptor index(String repository, String tag, List<Descriptor> manifests) throws Exception {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("manifests", manifests.stream().map(ImagePusher::json).toList());
    return manifest(repository, tag, OCI_INDEX, JSON.writeValueAsBytes(index));
  }

  /** Any manifest bytes, stored under the tag, or under their digest when tag is null. */
  public Descriptor manifest(String repository, String tag, String mediaType, byte[] body) throws Exception {
    String digest = sha256(body);
    send(repository, HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + (tag != null ? tag : digest)))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), 201);
    return Descriptor.of(mediaType, digest, body.length);
  }

  /** The descriptor of a pushed manifest as an index entry: its platform and annotations. */
  public static Descriptor platformEntry(Descriptor manifest, String architecture, Map<String, String> annotations) {
    return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), annotations,
        Optional.of(architecture));
  }

  private static Map<String, Object> json(Descriptor descriptor) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mediaType", descriptor.mediaType());
    json.put("digest", descriptor.digest());
    json.put("size", descriptor.size());
    descriptor.platformArchitecture().ifPresent(arch -> json.put("platform", Map.of("architecture", arch, "os", "linux")));
    if (!descriptor.annotations().isEmpty()) {
      json.put("annotations", descriptor.annotations());
    }
    return json;
  }

  private HttpResponse<String> send(String repository, HttpRequest.Builder request, int expected) throws Exception {
    if (registry.tokenIssuer().isPresent()) {
      request.header("Authorization", "Bearer " + registry.tokenIssuer().get().token("repository:" + repository + ":pull,push"));
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IOException(request.build().method() + " " + request.build().uri() + " → " + response.statusCode() + " " + response.body());
    }
    return response;
  }

  private URI uri(String path) {
    return registry.baseUri().resolve(path);
  }

  public static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
