package dev.ironcore.boot.testing.registry;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry that stalls: {@code /v2/} answers 200 (anonymous), every blob GET announces
 * {@link #ANNOUNCED} bytes, sends the first {@link #SENT} and then says nothing more, keeping the
 * connection open, as a registry does when it hangs mid-body.
 */
public final class StallingRegistry implements AutoCloseable {
  public static final int ANNOUNCED = 1024 * 1024;
  public static final int SENT = 64 * 1024;
  private final ServerSocket server;
  private final ExecutorService connections = Executors.newCachedThreadPool();
  private final AtomicInteger blobRequests = new AtomicInteger();

  public StallingRegistry() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    connections.submit(this::accept);
  }

  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Blob GETs received so far. */
  public int blobRequests() {
    return blobRequests.get();
  }

  private Void accept() throws IOException {
    while (!server.isClosed()) {
      Socket socket = server.accept();
      connections.submit(() -> serve(socket));
    }
    return null;
  }

  private Void serve(Socket socket) throws IOException, InterruptedException {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
      OutputStream out = socket.getOutputStream();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        boolean blob = line.contains("/blobs/");
        while (!in.readLine().isEmpty()) {
          // request headers: not needed
        }
        if (!blob) {
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII));
          out.flush();
          continue;
        }
        blobRequests.incrementAndGet();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + ANNOUNCED
            + "\r\n\r\n").getBytes(US_ASCII));
        out.write(new byte[SENT]);
        out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    connections.shutdownNow();
  }
}
