import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The hostile clients of bench/hostile-bench.sh, on loopback only: idle connections, HEADs for
 * layers no boot config references, and slow readers of a referenced layer, each kind from its own
 * client addresses (idle: 127.0.1.1-…, 100 connections each; HEADs: 127.0.2.x, one per loop; slow readers:
 * 127.0.3.x, one per connection), so the service's per-client caps (512 connections, 8 blob answers) are
 * not what stops them.
 *
 * <p>{@code java bench/HostileClients.java hold --port=P --uuids=FILE --idle=500 --heads=100
 * --head-image=127.0.0.1:R/repo --head-tag=T --head-pause-ms=1000 --slow=20 --slow-path=/image?…
 * --slow-rate=1024 --digests=FILE}: opens everything, prints {@code HOLDING} once all of it is
 * open, and holds it (reopening what the service closes, as an attacker would) until SIGTERM; then
 * prints one {@code HOSTILE key=value …} line.
 *
 * <p>{@code java bench/HostileClients.java idle-check --port=P --uuids=FILE --idle=500 --slow=20
 * --slow-path=… --wait-seconds=S}: opens the idle connections (half send nothing, half make one
 * request and then go quiet) and slow readers that read nothing after the response head, reopens
 * nothing, and after S seconds prints one {@code IDLECHECK key=value …} line: how many the service
 * closed, and after how long.
 *
 * <p>Idle connections: half never send a byte (the header timeout or the idle timeout closes them,
 * whichever is shorter), half make one {@code GET /ipxe/<uuid>}, read the answer and go quiet
 * (an idle keep-alive connection: only the idle timeout closes it). Slow readers: a receive buffer of
 * 4 KiB; the first half read {@code --slow-rate} bytes per second, the others nothing after the head.
 */
public class HostileClients {
  private static final String IDLE_SOURCE_PREFIX = "127.0.1.";
  private static final int IDLE_PER_SOURCE = 100;
  /** One address per HEAD loop and per slow reader, as machines of their own: the per-client caps are not what is measured. */
  private static final String HEAD_SOURCE_PREFIX = "127.0.2.";
  private static final String SLOW_SOURCE_PREFIX = "127.0.3.";
  private final AtomicInteger slowSources = new AtomicInteger();
  private static final int SLOW_RECEIVE_BUFFER = 4096;
  /** A HEAD without an answer for this long counts as stalled (and its connection is replaced). */
  private static final int HEAD_TIMEOUT_MS = 30_000;

  private final Map<String, String> options;
  private final InetSocketAddress target;
  private final String host;
  private final List<String> uuids;
  private volatile boolean stopping;

  private final AtomicInteger idleOpen = new AtomicInteger();
  private final AtomicInteger idleOpenMin = new AtomicInteger(Integer.MAX_VALUE);
  private final LongAdder idleOpened = new LongAdder();
  private final LongAdder silentClosed = new LongAdder();
  private final LongAdder keepAliveClosed = new LongAdder();
  private final LifetimeRange silentLifetimes = new LifetimeRange();
  private final LifetimeRange keepAliveLifetimes = new LifetimeRange();
  private final LongAdder connectFailures = new LongAdder();

  private final LongAdder headsSent = new LongAdder();
  private final Map<Integer, LongAdder> headStatuses = new ConcurrentHashMap<>();
  private final LongAdder headTimeouts = new LongAdder();
  private final LongAdder headErrors = new LongAdder();
  private final AtomicLong headNanosMax = new AtomicLong();
  private final LongAdder headNanosSum = new LongAdder();
  private PrintWriter digests;

  private final Map<Integer, LongAdder> slowStatuses = new ConcurrentHashMap<>();
  private final LongAdder slowBytes = new LongAdder();
  private final LongAdder slowClosed = new LongAdder();

  private HostileClients(Map<String, String> options) throws IOException {
    this.options = options;
    int port = Integer.parseInt(options.get("port"));
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.host = "127.0.0.1:" + port;
    this.uuids = Files.readAllLines(Path.of(options.get("uuids"))).stream().filter(s -> !s.isBlank()).toList();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new TreeMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i].substring(2);
      int equals = arg.indexOf('=');
      options.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    HostileClients clients = new HostileClients(options);
    switch (args[0]) {
      case "hold" -> clients.hold();
      case "idle-check" -> clients.idleCheck();
      default -> throw new IllegalArgumentException("mode: hold or idle-check");
    }
  }

  private int count(String name) {
    return Integer.parseInt(options.getOrDefault(name, "0"));
  }

  // ------------------------------------------------------------------ modes

  private void hold() throws Exception {
    int idle = count("idle");
    int heads = count("heads");
    int slow = count("slow");
    digests = new PrintWriter(Files.newBufferedWriter(Path.of(options.get("digests"))));
    CountDownLatch ready = new CountDownLatch(idle + heads + slow);
    for (int i = 0; i < idle; i++) {
      int index = i;
      start("idle-" + i, () -> idleConnection(index, true, ready));
    }
    String image = options.get("head-image");
    String tag = options.get("head-tag");
    long pauseMs = Long.parseLong(options.getOrDefault("head-pause-ms", "1000"));
    for (int i = 0; i < heads; i++) {
      int index = i;
      start("head-" + i, () -> headLoop(index, image, tag, pauseMs, ready));
    }
    int rate = count("slow-rate");
    for (int i = 0; i < slow; i++) {
      int bytesPerSecond = i < slow / 2 ? rate : 0;
      start("slow-" + i, () -> slowReader(bytesPerSecond, true, ready));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping = true;
      synchronized (this) {
        digests.flush();
      }
      System.out.println(holdSummary(idle, heads, slow));
      System.out.flush();
    }));
    if (!ready.await(60, TimeUnit.SECONDS)) {
      System.out.println("NOT-READY after 60 s: " + ready.getCount() + " of the clients have not opened");
    }
    idleOpenMin.set(idleOpen.get());
    System.out.println("HOLDING idle=" + idleOpen.get() + " heads=" + heads + " slow=" + slow);
    System.out.flush();
    while (!stopping) {
      idleOpenMin.accumulateAndGet(idleOpen.get(), Math::min);
      synchronized (this) {
        digests.flush();
      }
      Thread.sleep(100);
    }
  }

  private void idleCheck() throws Exception {
    int idle = count("idle");
    int slow = count("slow");
    long waitMs = Long.parseLong(options.get("wait-seconds")) * 1000;
    CountDownLatch ready = new CountDownLatch(idle + slow);
    for (int i = 0; i < idle; i++) {
      int index = i;
      start("idle-" + i, () -> idleConnection(index, false, ready));
    }
    for (int i = 0; i < slow; i++) {
      start("slow-" + i, () -> slowReader(0, false, ready));
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      System.out.println("NOT-READY after 60 s: " + ready.getCount() + " of the clients have not opened");
    }
    System.out.println("OPEN idle=" + idleOpen.get() + " slow=" + slow);
    System.out.flush();
    Thread.sleep(waitMs);
    int silent = (idle + 1) / 2;
    System.out.println("IDLECHECK silent=" + silent + " silent_closed=" + silentClosed.sum()
        + " silent_lifetime_s=" + silentLifetimes
        + " keepalive=" + (idle - silent) + " keepalive_closed=" + keepAliveClosed.sum()
        + " keepalive_idle_s=" + keepAliveLifetimes
        + " still_open=" + idleOpen.get() + " connect_failures=" + connectFailures.sum()
        + " slow_heads=" + statuses(snapshot(slowStatuses)));
    System.out.flush();
    System.exit(0);
  }

  private String holdSummary(int idle, int heads, int slow) {
    Map<Integer, Long> answers = snapshot(headStatuses); // the HEAD loops still run: one reading of both figures
    long answered = answers.values().stream().mapToLong(Long::longValue).sum();
    return "HOSTILE idle=" + idle + " idle_open_min=" + (idleOpenMin.get() == Integer.MAX_VALUE ? 0 : idleOpenMin.get())
        + " idle_opened=" + idleOpened.sum() + " idle_closed_silent=" + silentClosed.sum()
        + " idle_closed_keepalive=" + keepAliveClosed.sum() + " connect_failures=" + connectFailures.sum()
        + " heads=" + heads + " head_sent=" + headsSent.sum() + " head_answered=" + answered
        + " head_status=" + statuses(answers) + " head_timeouts=" + headTimeouts.sum()
        + " head_errors=" + headErrors.sum()
        + String.format(" head_ms_mean=%.2f head_ms_max=%.2f",
            answered == 0 ? 0.0 : headNanosSum.sum() / 1e6 / answered, headNanosMax.get() / 1e6)
        + " slow=" + slow + " slow_status=" + statuses(snapshot(slowStatuses)) + " slow_bytes=" + slowBytes.sum()
        + " slow_closed=" + slowClosed.sum();
  }

  // ------------------------------------------------------------------ idle connections

  /** Even indexes send nothing; odd ones make one request first. Reopens after a close when {@code reopen}. */
  private void idleConnection(int index, boolean reopen, CountDownLatch ready) {
    String source = IDLE_SOURCE_PREFIX + (1 + index / IDLE_PER_SOURCE);
    boolean silent = index % 2 == 0;
    boolean first = true;
    while (!stopping) {
      try (Socket socket = connect(source, 0)) {
        InputStream in = socket.getInputStream();
        long quietSince;
        if (!silent) {
          send(socket, "GET /ipxe/" + uuids.get(index % uuids.size()) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
          Response response = readHead(in);
          in.readNBytes((int) response.contentLength);
        }
        quietSince = System.nanoTime();
        idleOpen.incrementAndGet();
        idleOpened.increment();
        if (first) {
          ready.countDown();
          first = false;
        }
        int read = readUntilClosed(in);
        idleOpen.decrementAndGet();
        if (stopping) {
          return;
        }
        long lifetime = System.nanoTime() - quietSince;
        (silent ? silentClosed : keepAliveClosed).increment();
        (silent ? silentLifetimes : keepAliveLifetimes).add(lifetime);
        if (read > 0) {
          System.err.println("idle connection " + index + " got " + read + " unexpected bytes before the close");
        }
        if (!reopen) {
          return;
        }
        if (lifetime < TimeUnit.SECONDS.toNanos(1)) {
          Thread.sleep(100); // closed at once (a cap): do not spin
        }
      } catch (IOException e) {
        connectFailures.increment();
        if (!reopen) {
          ready.countDown();
          return;
        }
        sleepQuietly(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Blocks until the server closes the connection (end of stream or reset); bytes read meanwhile. */
  private static int readUntilClosed(InputStream in) {
    int total = 0;
    byte[] buffer = new byte[1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
      }
    } catch (IOException reset) {
      // a reset is a close too
    }
    return total;
  }

  // ------------------------------------------------------------------ HEADs for unreferenced digests

  /** One keep-alive connection; a HEAD for a fresh random digest, alternating the /image and /httpboot forms. */
  private void headLoop(int index, String image, String tag, long pauseMs, CountDownLatch ready) {
    boolean first = true;
    while (!stopping) {
      try (Socket socket = connect(HEAD_SOURCE_PREFIX + (index % 250 + 1), 0)) {
        socket.setSoTimeout(HEAD_TIMEOUT_MS);
        InputStream in = socket.getInputStream();
        boolean open = true;
        for (long n = index; open && !stopping; n++) {
          byte[] random = new byte[32];
          ThreadLocalRandom.current().nextBytes(random);
          String hex = HexFormat.of().formatHex(random);
          synchronized (this) {
            digests.println(hex);
          }
          String path = n % 2 == 0
              ? "/image?imageName=" + image + "&version=" + tag + "&layerDigest=sha256:" + hex
              : "/httpboot/" + image + "/sha256-" + hex + ".efi";
          long start = System.nanoTime();
          send(socket, "HEAD " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
          headsSent.increment();
          Response response;
          try {
            response = readHead(in);
          } catch (SocketTimeoutException e) {
            headTimeouts.increment();
            break;
          }
          long nanos = System.nanoTime() - start;
          headNanosSum.add(nanos);
          headNanosMax.accumulateAndGet(nanos, Math::max);
          headStatuses.computeIfAbsent(response.status, s -> new LongAdder()).increment();
          open = !response.close;
          if (first) {
            ready.countDown();
            first = false;
          }
          Thread.sleep(pauseMs);
        }
      } catch (IOException e) {
        if (!stopping) {
          headErrors.increment();
          sleepQuietly(100);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ slow readers of a referenced layer

  /** GET of the referenced layer with a 4 KiB receive buffer; reads {@code bytesPerSecond} (0: nothing after the head). */
  private void slowReader(int bytesPerSecond, boolean reopen, CountDownLatch ready) {
    String request = "GET " + options.get("slow-path") + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    boolean first = true;
    while (!stopping) {
      try (Socket socket = connect(SLOW_SOURCE_PREFIX + (slowSources.getAndIncrement() % 250 + 1), SLOW_RECEIVE_BUFFER)) {
        send(socket, request);
        InputStream in = socket.getInputStream();
        Response response = readHead(in);
        slowStatuses.computeIfAbsent(response.status, s -> new LongAdder()).increment();
        if (first) {
          ready.countDown();
          first = false;
        }
        if (bytesPerSecond == 0) {
          while (!stopping) {
            Thread.sleep(1000); // holds the answer, reads nothing; a close shows only to a reader
          }
          return;
        }
        byte[] buffer = new byte[bytesPerSecond];
        while (!stopping) {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          slowBytes.add(n);
          Thread.sleep(1000L * n / bytesPerSecond);
        }
        if (stopping) {
          return;
        }
        slowClosed.increment();
        if (!reopen) {
          return;
        }
      } catch (IOException e) {
        if (stopping) {
          return;
        }
        slowClosed.increment();
        if (!reopen) {
          return;
        }
        sleepQuietly(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ plumbing

  private Socket connect(String source, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
      }
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(target, 5000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static void send(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private record Response(int status, long contentLength, boolean close) {}

  /** Reads a response head byte by byte (no read-ahead into the body). */
  private static Response readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the response head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    long length = 0;
    boolean close = false;
    for (String line : lines) {
      String lower = line.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    return new Response(status, length, close);
  }

  private static Map<Integer, Long> snapshot(Map<Integer, LongAdder> counts) {
    Map<Integer, Long> copy = new TreeMap<>();
    counts.forEach((status, count) -> copy.put(status, count.sum()));
    return copy;
  }

  private static String statuses(Map<Integer, Long> counts) {
    return counts.isEmpty() ? "none" : counts.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  private static void start(String name, Runnable body) {
    Thread thread = new Thread(null, body, name, 256 * 1024);
    thread.setDaemon(true);
    thread.start();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Smallest and largest of some durations, printed in seconds as {@code min-max} ({@code none} when empty). */
  private static final class LifetimeRange {
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    synchronized void add(long nanos) {
      min = Math.min(min, nanos);
      max = Math.max(max, nanos);
    }

    @Override
    public synchronized String toString() {
      return min > max ? "none" : String.format("%.1f-%.1f", min / 1e9, max / 1e9);
    }
  }
}
