package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET for blob bytes over a connection of its own. On plain TCP the kernel fills the
 * caller's (direct) buffer with no copy, which neither the Vert.x client nor the JDK's allows. Every
 * call blocks, so use a thread of its own, never an event loop. Only the connect and the response
 * head have timeouts: the caller watches the body for idleness and calls {@link #close()}.
 */
public final class RegistryConnection implements AutoCloseable {
  private static final Pattern FIELD_VALUE = Pattern.compile("[\\t\\x20-\\x7E\\x80-\\xFF]*");

  /** How connections are made. tls: the factory for https (e.g. RegistryTls' SSLContext.getSocketFactory()). */
  public record Settings(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    public Settings {
      Objects.requireNonNull(tls, "tls");
      if (connectTimeout.compareTo(Duration.ZERO) <= 0 || readTimeout.compareTo(Duration.ZERO) <= 0) {
        throw new IllegalArgumentException("timeouts must be positive: zero would mean waiting forever");
      }
    }
  }

  /**
   * Where to connect: the checked address, and the host (without an IPv6 literal's brackets, which
   * only the Host header keeps) that TLS names in SNI and verifies the certificate against.
   */
  private record Target(InetAddress address, String host, int port, String hostHeader, boolean tls) {}

  /** The TCP connection (a channel, or the socket under TLS), the socket talked on, and where the body comes from. */
  private record Wire(Closeable tcp, Socket socket, ReadableByteChannel body) implements Closeable {
    /**
     * The TCP connection first: closing only the TLS socket sends a close_notify, and a read blocked in
     * another thread may then take the server's answer to it for a clean end instead of failing.
     */
    @Override
    public void close() {
      closeQuietly(tcp);
      closeQuietly(socket);
    }
  }

  private final URI uri;
  private final Wire wire;
  private final ResponseHead head;
  private final long contentLength;
  private long unread; // Long.MAX_VALUE when the length is unknown: more than any body

  private RegistryConnection(URI uri, Wire wire, ResponseHead head) {
    this.uri = uri;
    this.wire = wire;
    this.head = head;
    this.contentLength = head.contentLength();
    this.unread = contentLength < 0 ? Long.MAX_VALUE : contentLength;
  }

  /**
   * Connects to {@code address} (within connectTimeout), never looking the URI's host up again, sends
   * the GET and reads the response head (each read within readTimeout).
   */
  public static RegistryConnection open(URI uri, InetAddress address, Map<String, String> headers, Settings settings)
      throws IOException {
    Target target = target(uri, address);
    byte[] request = request(uri, target.hostHeader(), headers); // refuses bad headers before connecting
    Wire wire = target.tls() ? tls(target, settings) : plain(target, settings);
    try {
      wire.socket().getOutputStream().write(request);
      ResponseHead head = ResponseHead.read(wire.socket().getInputStream());
      wire.socket().setSoTimeout(0); // the body's idleness is the caller's to watch
      return new RegistryConnection(uri, wire, head);
    } catch (IOException | RuntimeException e) {
      wire.close();
      throw e;
    }
  }

  /**
   * Blocking: the GET of {@code first} (on an allowed registry, to connect at {@code address}) and the
   * GETs its redirects lead to by {@link RedirectPolicy}, each hop checked by {@code addresses} and
   * connected to the very address that was checked, up to a response that is no redirect.
   *
   * @throws RegistryException for any failure, a transport one told as the {@link #failure} of the hop it met
   */
  public static RegistryConnection openFollowingRedirects(URI first, InetAddress address, Map<String, String> headers,
      UpstreamAddresses addresses, Settings settings) {
    URI uri = first;
    InetAddress next = address;
    Map<String, String> nextHeaders = headers;
    for (int redirects = 0; ; redirects++) {
      RegistryConnection connection;
      try {
        connection = open(uri, next, nextHeaders, settings);
      } catch (IOException transport) {
        throw failure(uri, transport);
      }
      if (!RedirectPolicy.isRedirect(connection.status())) {
        return connection;
      }
      connection.close(); // Connection: close, so an unread body costs nothing
      if (redirects == RedirectPolicy.MAX_REDIRECTS) {
        throw RedirectPolicy.tooMany(uri);
      }
      RedirectPolicy.Redirect redirect = RedirectPolicy.next(uri, nextHeaders, connection.header("Location"));
      next = addresses.ofHop(uri, redirect.uri(), UpstreamAddresses.Hop.REDIRECT);
      uri = redirect.uri();
      nextHeaders = redirect.headers();
    }
  }

  /**
   * A transport failure towards {@code uri} as the registry failure it is: a timeout, nonsense, a
   * certificate we do not trust, or unreachable.
   */
  public static RegistryException failure(URI uri, IOException failure) {
    String where = uri.getScheme() + "://" + uri.getAuthority();
    if (failure instanceof SSLException tls) {
      return TlsFailure.of(where, uri.getHost(), tls);
    }
    if (failure instanceof SocketTimeoutException) {
      return new RegistryException(RegistryException.Kind.TIMEOUT, where + " did not answer in time", failure);
    }
    String reason = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    if (failure instanceof ProtocolException) {
      return new RegistryException(RegistryException.Kind.BAD_RESPONSE, where + " answered nonsense: " + reason, failure);
    }
    return new RegistryException(RegistryException.Kind.UNREACHABLE, where + " is unreachable: " + reason, failure);
  }

  public URI uri() {
    return uri;
  }

  public int status() {
    return head.status();
  }

  /** The first value of a response header, case-insensitive; null when absent. */
  public String header(String name) {
    return head.header(name);
  }

  /** Every response header by lower-case name, the first value of each. */
  public Map<String, String> headers() {
    return Map.copyOf(head.headers());
  }

  /**
   * The body length from Content-Length; -1 when absent, malformed, or when a Transfer-Encoding other
   * than identity is present.
   */
  public long contentLength() {
    return contentLength;
  }

  /** Reads body bytes into destination (blocking until at least one is there); -1 at the body's end. */
  public int read(ByteBuffer destination) throws IOException {
    if (unread == 0) {
      return -1;
    }
    int limit = destination.limit();
    destination.limit(destination.position() + (int) Math.min(unread, destination.remaining()));
    try {
      int read = head.early().hasRemaining() ? takeEarly(destination) : wire.body().read(destination);
      unread = read < 0 ? 0 : unread - read; // a body cut short ends too: the caller compares the count
      return read;
    } finally {
      destination.limit(limit);
    }
  }

  /** Body bytes readable now without blocking (0 when none or unknown). */
  public int available() throws IOException {
    long now = head.early().hasRemaining() ? head.early().remaining() : wire.socket().getInputStream().available();
    return (int) Math.min(now, unread);
  }

  /** Closes the connection; idempotent and callable from any thread: a read blocked in another thread then fails. */
  @Override
  public void close() {
    wire.close();
  }

  private static Target target(URI uri, InetAddress address) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URI: scheme " + uri.getScheme());
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the URI has no host"); // not the URI itself: it may carry a signature
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    String hostHeader = port == defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    String host = uri.getHost().replaceFirst("^\\[(.*)]$", "$1");
    return new Target(address, host, port, hostHeader, scheme.equals("https"));
  }

  private static byte[] request(URI uri, String hostHeader, Map<String, String> headers) {
    URI ascii = URI.create(uri.toASCIIString()); // a raw path may hold non-ASCII characters; the wire may not
    String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    String query = ascii.getRawQuery() == null ? "" : "?" + ascii.getRawQuery();
    StringBuilder request = new StringBuilder("GET " + path + query + " HTTP/1.1\r\n")
        .append("Host: ").append(hostHeader).append("\r\n")
        .append("User-Agent: ironcore-boot-operator\r\n")
        .append("Accept-Encoding: identity\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> {
      if (!ResponseHead.TOKEN.matcher(name).matches() || !FIELD_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("header " + ResponseHead.excerpt(name) // never the value: it may be a token
            + ": invalid name or value (a line break, control or non-Latin-1 character)");
      }
      request.append(name).append(": ").append(value).append("\r\n");
    });
    return request.append("\r\n").toString().getBytes(ISO_8859_1);
  }

  private static Wire plain(Target target, Settings settings) throws IOException {
    SocketChannel channel = SocketChannel.open(); // blocking: its adaptor's stream honours SO_TIMEOUT for the head
    try {
      Socket socket = channel.socket();
      socket.connect(new InetSocketAddress(target.address(), target.port()), millis(settings.connectTimeout()));
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(millis(settings.readTimeout()));
      return new Wire(channel, socket, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Wire tls(Target target, Settings settings) throws IOException {
    Socket tcp = new Socket();
    try {
      tcp.connect(new InetSocketAddress(target.address(), target.port()), millis(settings.connectTimeout()));
      tcp.setTcpNoDelay(true);
      SSLSocket socket = (SSLSocket) settings.tls().createSocket(tcp, target.host(), target.port(), true);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the JSSE default is to check no host name
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(millis(settings.readTimeout()));
      socket.startHandshake();
      return new Wire(tcp, socket, Channels.newChannel(socket.getInputStream()));
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
  }

  private int takeEarly(ByteBuffer destination) {
    ByteBuffer early = head.early();
    int count = Math.min(early.remaining(), destination.remaining());
    destination.put(early.slice().limit(count));
    early.position(early.position() + count);
    return count;
  }

  /** Whole milliseconds, at least one: a zero socket timeout would mean none. */
  private static int millis(Duration duration) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
  }



  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // A broken connection may fail to close cleanly: it is gone either way.
    }
  }
}
