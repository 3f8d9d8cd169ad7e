import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The bound for the cold figure, measured in the same run: the least a JVM proxy that caches a
 * blob and verifies it before its last byte must do, and nothing more. Per client one thread reads
 * the registry's answer in 1 MiB chunks and writes each to the client, a second thread hashes them,
 * a third appends them to a cache file through the page cache (as the service does: the file is then
 * in memory when the download ends, for the clients behind it and the next machine); the last chunk
 * waits for both. Its own client is sent the chunks from memory, which costs it less than following
 * the file would. No framework, no sharing between clients, no ranges, no auth, no redirects,
 * no timeouts, no publishing: the service does all of that on top, so this is an upper bound of
 * its cold speed on this machine.
 *
 * <p>{@code java bench/VerifyingProxyBound.java PORT REGISTRY_HOST:PORT CACHE_DIR}, then
 * {@code GET /v2/<repo>/blobs/sha256:<hex>} on 127.0.0.1:PORT.
 */
public class VerifyingProxyBound {
  private static final int CHUNK = 1024 * 1024;
  /** Up to 64 MiB per download in memory, twice the service's window: generous. */
  private static final int CHUNKS_IN_FLIGHT = 64;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    String registry = args[1];
    Path cacheDir = Path.of(args[2]);
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", port));
      while (true) {
        SocketChannel client = server.accept();
        new Thread(() -> serve(client, registry, cacheDir), "proxy").start();
      }
    }
  }

  private static void serve(SocketChannel client, String registry, Path cacheDir) {
    String[] hostPort = registry.split(":");
    try (client; SocketChannel upstream = SocketChannel.open(
        new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))) {
      String path = requestPath(client);
      String expected = path.substring(path.lastIndexOf(':') + 1);
      upstream.write(ascii("GET " + path + " HTTP/1.1\r\nHost: " + registry + "\r\n\r\n"));
      BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT);
      for (int i = 0; i < CHUNKS_IN_FLIGHT; i++) {
        free.add(ByteBuffer.allocateDirect(CHUNK));
      }
      ByteBuffer chunk = free.take();
      long length = responseLength(upstream, chunk);
      long left = length - chunk.position(); // not yet in a chunk
      client.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n"));

      BlockingQueue<ByteBuffer> toHash = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT + 1);
      BlockingQueue<ByteBuffer> toStore = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT + 1);
      CompletableFuture<String> digest = new CompletableFuture<>();
      CompletableFuture<Void> stored = new CompletableFuture<>();
      new Thread(() -> hash(toHash, toStore, digest), "hasher").start();
      new Thread(() -> store(toStore, free, cacheDir.resolve(expected + ".tmp"), stored), "writer").start();
      while (true) {
        chunk.limit((int) Math.min(CHUNK, chunk.position() + left));
        left -= chunk.remaining();
        while (chunk.hasRemaining()) {
          if (upstream.read(chunk) < 0) {
            throw new EOFException("the registry's answer ended early");
          }
        }
        chunk.flip();
        if (left == 0) {
          toHash.put(chunk);
          break;
        }
        while (chunk.hasRemaining()) {
          client.write(chunk);
        }
        toHash.put(chunk.rewind());
        chunk = free.take().clear();
      }
      toHash.put(END);
      stored.get();
      if (!digest.get().equals(expected)) {
        throw new IOException("digest mismatch: the client is cut off before the last chunk");
      }
      ByteBuffer last = chunk.duplicate().rewind();
      while (last.hasRemaining()) {
        client.write(last);
      }
    } catch (Exception e) {
      System.err.println("download failed: " + e);
    }
  }

  /** Hashes every chunk, then passes it on to be stored. */
  private static void hash(BlockingQueue<ByteBuffer> chunks, BlockingQueue<ByteBuffer> toStore,
      CompletableFuture<String> digest) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (ByteBuffer chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
        sha256.update(chunk.duplicate());
        toStore.put(chunk);
      }
      toStore.put(END);
      digest.complete(HexFormat.of().formatHex(sha256.digest()));
    } catch (Exception e) {
      digest.completeExceptionally(e);
    }
  }

  /** Appends every chunk to the file, through the page cache as the service does (its readers then read memory). */
  private static void store(BlockingQueue<ByteBuffer> chunks, BlockingQueue<ByteBuffer> free, Path file,
      CompletableFuture<Void> stored) {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ByteBuffer chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
        ByteBuffer bytes = chunk.duplicate();
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        free.add(chunk);
      }
      stored.complete(null);
    } catch (Exception e) {
      stored.completeExceptionally(e);
    }
  }

  /** The request's path; the request is small and arrives in one read on loopback. */
  private static String requestPath(SocketChannel client) throws IOException {
    ByteBuffer request = ByteBuffer.allocate(8192);
    client.read(request);
    String text = new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("\r\n")).split(" ")[1];
  }

  /**
   * Reads the registry's response head and returns its Content-Length; the body bytes read with
   * it are left in {@code chunk} (position = their count).
   */
  private static long responseLength(SocketChannel upstream, ByteBuffer chunk) throws IOException {
    byte[] head = new byte[0];
    while (true) {
      chunk.clear();
      if (upstream.read(chunk) < 0) {
        throw new EOFException("no response head");
      }
      chunk.flip();
      byte[] read = new byte[chunk.remaining()];
      chunk.get(read);
      head = concat(head, read);
      String text = new String(head, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (!text.startsWith("HTTP/1.1 200")) {
          throw new IOException("registry answered " + text.substring(0, text.indexOf("\r\n")));
        }
        chunk.clear();
        chunk.put(head, end + 4, head.length - end - 4);
        return text.substring(0, end).lines()
            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .mapToLong(line -> Long.parseLong(line.substring(15).trim()))
            .findFirst().orElseThrow(() -> new IOException("no Content-Length"));
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
