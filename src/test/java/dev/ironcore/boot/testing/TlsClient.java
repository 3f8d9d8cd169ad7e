package dev.ironcore.boot.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS clients that trust only a test root: Java's HttpClient, raw sockets, and {@code curl --cacert}. */
public final class TlsClient {
  private final Path root;
  private final SSLContext context;
  private final HttpClient http;

  public TlsClient(Path root) throws Exception {
    this.root = root;
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(root)) {
      trusted.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The TLS context that trusts only the root, for clients a test builds itself (other versions, headers). */
  public SSLContext context() {
    return context;
  }

  /** GET over Java's HttpClient (hostname checked against the certificate's IP address). */
  public HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GET with {@code curl --cacert <root>}: status code, then the body. */
  public CurlResult curl(int port, String path, Path bodyFile) throws IOException, InterruptedException {
    Process curl = new ProcessBuilder("curl", "-sS", "--cacert", root.toString(), "-o", bodyFile.toString(),
        "-w", "%{http_code}", "https://127.0.0.1:" + port + path).redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
    if (!curl.waitFor(30, TimeUnit.SECONDS)) {
      curl.destroyForcibly();
    }
    return new CurlResult(curl.exitValue(), out, Files.readAllBytes(bodyFile));
  }

  /** What curl printed ({@code %{http_code}}, or its error) and what it saved. */
  public record CurlResult(int exitCode, String output, byte[] body) {}

  /** The leaf certificate a new connection is served. */
  public X509Certificate servedCertificate(int port) throws IOException {
    try (KeepAliveConnection connection = connect(port)) {
      return connection.peerCertificate();
    }
  }

  /** A new HTTPS connection, handshake done, for several requests. */
  public KeepAliveConnection connect(int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return new KeepAliveConnection(socket);
  }

  /** One HTTP/1.1 connection kept open across requests. */
  public static final class KeepAliveConnection implements AutoCloseable {
    private final SSLSocket socket;

    KeepAliveConnection(SSLSocket socket) {
      this.socket = socket;
    }

    public X509Certificate peerCertificate() throws IOException {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** Sends a GET on this connection, with extra header lines, and reads the answer (a Content-Length body). */
    public RawResponse get(String path, String... headerLines) throws IOException {
      OutputStream out = socket.getOutputStream();
      String headers = String.join("", java.util.Arrays.stream(headerLines).map(line -> line + "\r\n").toList());
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n").getBytes(ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      List<String> head = List.of(readHead(in).split("\r\n"));
      int length = head.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
          .map(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElse(0);
      return new RawResponse(Integer.parseInt(head.get(0).split(" ")[1]), new String(in.readNBytes(length), ISO_8859_1));
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
        int next = in.read();
        if (next < 0) {
          throw new IOException("connection closed after " + head.size() + " bytes of the response head");
        }
        head.write(next);
      }
      return head.toString(ISO_8859_1).trim();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Status and body of a response read off a raw connection. */
  public record RawResponse(int status, String body) {}
}
