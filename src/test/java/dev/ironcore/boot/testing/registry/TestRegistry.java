package dev.ironcore.boot.testing.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1 with a port of its own and
 * storage in a temp dir, optionally in token-auth mode with a {@link TokenIssuer}. Access log on
 * stdout → {@code access.log}, application log on stderr → {@code registry.log}.
 */
public final class TestRegistry implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final Process process;
  private final Optional<TokenIssuer> issuer;
  private final int port;

  private TestRegistry(Path dir, Process process, Optional<TokenIssuer> issuer) throws IOException, InterruptedException {
    this.dir = dir;
    this.process = process;
    this.issuer = issuer;
    this.port = awaitPort();
    awaitReady();
  }

  public static TestRegistry anonymous(Path dir) throws IOException, InterruptedException {
    return start(dir, "", Optional.empty(), 0);
  }

  /** Kills the registry at once (SIGKILL): transfers under way are cut off mid-stream. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** An anonymous registry again on the same port and storage, e.g. after {@link #kill()}; a fresh access log. */
  public TestRegistry restart() throws IOException, InterruptedException {
    return start(dir, "", Optional.empty(), port);
  }

  public static TestRegistry withTokenAuth(Path dir) throws Exception {
    TokenIssuer issuer = TokenIssuer.start(dir);
    String auth = "auth:\n  token:\n    realm: " + issuer.realm() + "\n    service: " + TokenIssuer.SERVICE
        + "\n    issuer: " + TokenIssuer.ISSUER + "\n    rootcertbundle: " + issuer.rootCertBundle() + "\n";
    return start(dir, auth, Optional.of(issuer), 0);
  }

  private static TestRegistry start(Path dir, String auth, Optional<TokenIssuer> issuer, int port)
      throws IOException, InterruptedException {
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: "
        + dir.resolve("data") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n  secret: test\n" + auth);
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("access.log").toFile()))
        .redirectError(dir.resolve("registry.log").toFile())
        .start();
    // a test whose setup fails after this point never reaches close(): the registry must not outlive the JVM
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    try {
      return new TestRegistry(dir, process, issuer);
    } catch (IOException | RuntimeException e) {
      process.destroy();
      process.waitFor();
      throw e;
    }
  }

  private int awaitPort() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String log = Files.readString(dir.resolve("registry.log"));
      Matcher listening = LISTENING.matcher(log);
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue() + ": " + log);
      }
      Thread.sleep(20);
    }
    throw new IOException("docker-registry did not say where it listens within " + START_TIMEOUT);
  }

  /** Any answer to /v2/ (200 anonymous, 401 with token auth) means it serves. */
  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/v2/")).timeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        client.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IOException("docker-registry on port " + port + " did not answer /v2/ within " + START_TIMEOUT);
  }

  /** {@code 127.0.0.1:<port>}, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public URI baseUri() {
    return URI.create("http://" + host());
  }

  public Optional<TokenIssuer> tokenIssuer() {
    return issuer;
  }

  /** Completed GETs of one blob (status 200 or 206), from the access log. */
  public long blobGets(String repository, String digest) throws IOException {
    Pattern get = Pattern.compile("\"GET /v2/" + Pattern.quote(repository + "/blobs/" + digest) + " HTTP/1\\.1\" (200|206) ");
    return accessLog().stream().filter(line -> get.matcher(line).find()).count();
  }

  public List<String> accessLog() throws IOException {
    return Files.readAllLines(dir.resolve("access.log"), UTF_8);
  }

  /** Where the registry keeps a blob's bytes, e.g. to tamper with them. */
  public Path blobDataFile(String digest) {
    String hex = digest.substring("sha256:".length());
    return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(); // reaps it: children nobody waits for stay defunct
    issuer.ifPresent(TokenIssuer::close);
  }
}
